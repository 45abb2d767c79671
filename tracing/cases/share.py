"""Read-only share links to a case: signed, expiring, revocable, listed and audit-logged.

A token is ``LINK.CASE.EXPIRES.SIGNATURE``, the signature an HMAC-SHA256 of the rest
under the server's secret key. Only the link's row is stored (not the token), so a
copy of the database cannot open cases; revoking marks the row.

>>> from tracing.store import Store
>>> from tracing.cases import Cases
>>> store = Store("sqlite:///:memory:")
>>> case = Cases(store).create("alice", "Theft", now=1_000)
>>> links = ShareLinks(store, secret="k")
>>> link, token = links.create("alice", case.id, now=1_000)
>>> links.resolve(token, case.id, now=2_000).id == link.id
True
>>> links.resolve(token, case.id, now=1_000 + 8 * 86_400)
Traceback (most recent call last):
...
tracing.errors.ShareLinkGone: this link expired on 1970-01-08 00:16 UTC
"""

import base64
import hashlib
import hmac
import time
from datetime import UTC, datetime

import sqlalchemy as sa

from tracing.audit import record
from tracing.cases.model import ShareLink
from tracing.errors import BadParameters, CaseNotFound, ShareLinkGone, ShareLinkInvalid
from tracing.store import Store
from tracing.store.schema import cases, share_links

__all__ = ["DEFAULT_DAYS", "MAX_DAYS", "ShareLinks"]

DEFAULT_DAYS = 7
MAX_DAYS = 90


def _utc(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _link(row) -> ShareLink:
    return ShareLink(
        int(row.id), int(row.case_id), row.created_by, row.created_at, row.expires_at, row.revoked_at, row.revoked_by
    )


class ShareLinks:
    """Share links of the cases in one store, signed with ``secret`` (the app's SECRET_KEY)."""

    def __init__(self, store: Store, secret: str | bytes):
        if not secret:
            raise BadParameters("SECRET_KEY", "share links need a secret key")
        self.engine = store.engine
        self._key = secret.encode() if isinstance(secret, str) else bytes(secret)

    def _sign(self, link_id: int, case_id: int, expires_at: int) -> str:
        message = f"share:{link_id}.{case_id}.{expires_at}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def token(self, link: ShareLink) -> str:
        """The link's token (rebuilt from its row and the key: it is never stored)."""
        return f"{link.id}.{link.case_id}.{link.expires_at}.{self._sign(link.id, link.case_id, link.expires_at)}"

    def create(
        self, actor: str, case_id: int, *, days: float = DEFAULT_DAYS, now: float | None = None
    ) -> tuple[ShareLink, str]:
        """A new link to the case valid for ``days`` (default 7, at most 90); returns it and its token."""
        try:
            days = float(days)
        except (TypeError, ValueError):
            raise BadParameters("days", f"must be a number of days, got {days!r}") from None
        if not 0 < days <= MAX_DAYS:
            raise BadParameters("days", f"a link lasts more than 0 and at most {MAX_DAYS} days, got {days:g}")
        at = int(now if now is not None else time.time())
        row = {"case_id": int(case_id), "created_by": actor, "created_at": at, "expires_at": at + int(days * 86_400)}
        with self.engine.begin() as conn:
            if conn.execute(sa.select(cases.c.id).where(cases.c.id == int(case_id))).first() is None:
                raise CaseNotFound(f"no case #{case_id}")
            link_id = int(conn.execute(share_links.insert().values(**row)).inserted_primary_key[0])
            detail = {"link": link_id, "expires_at": _utc(row["expires_at"])}
            record(conn, actor, "case.share", "case", int(case_id), detail, now=at)
        link = ShareLink(link_id, revoked_at=None, revoked_by=None, **row)
        return link, self.token(link)

    def revoke(self, actor: str, case_id: int, link_id: int, *, now: float | None = None) -> ShareLink:
        """Stop a link from working (a revoked link stays listed, marked revoked)."""
        at = int(now if now is not None else time.time())
        with self.engine.begin() as conn:
            row = conn.execute(
                sa.select(share_links).where(share_links.c.id == int(link_id), share_links.c.case_id == int(case_id))
            ).first()
            if row is None:
                raise CaseNotFound(f"case #{case_id} has no share link #{link_id}")
            if row.revoked_at is None:
                conn.execute(
                    share_links.update().where(share_links.c.id == row.id).values(revoked_at=at, revoked_by=actor)
                )
                record(conn, actor, "case.unshare", "case", int(case_id), {"link": int(row.id)}, now=at)
        return self.links(case_id, only=int(link_id))[0]

    def links(self, case_id: int, *, only: int | None = None) -> list[ShareLink]:
        """The case's links, newest first."""
        query = sa.select(share_links).where(share_links.c.case_id == int(case_id))
        if only is not None:
            query = query.where(share_links.c.id == only)
        with self.engine.connect() as conn:
            return [_link(r) for r in conn.execute(query.order_by(share_links.c.id.desc())).all()]

    def resolve(self, token: str, case_id: int, *, now: float | None = None) -> ShareLink:
        """The link a token opens for case ``case_id``.

        Raises
        ------
        ShareLinkInvalid
            Malformed, altered or unknown token, or one for another case (HTTP 403).
        ShareLinkGone
            A genuine token that has expired or was revoked (HTTP 410).
        """
        parts = (token or "").strip().split(".")
        if len(parts) != 4 or not all(p.isdigit() for p in parts[:3]):
            raise ShareLinkInvalid("this is not a share link of this tool (the token is malformed)")
        link_id, token_case, expires_at = (int(p) for p in parts[:3])
        expected = self._sign(link_id, token_case, expires_at).encode()
        if not hmac.compare_digest(parts[3].encode("utf-8", "replace"), expected):  # bytes: any text compares
            raise ShareLinkInvalid("this share link was altered or was not made here (its signature does not match)")
        if token_case != int(case_id):
            raise ShareLinkInvalid(f"this share link opens case #{token_case}, not case #{case_id}")
        found = self.links(token_case, only=link_id)
        if not found or found[0].expires_at != expires_at:
            raise ShareLinkInvalid("this share link is not known (its case may have been deleted)")
        link = found[0]
        if link.revoked_at is not None:
            raise ShareLinkGone(f"this link was revoked on {_utc(link.revoked_at)}")
        if (now if now is not None else time.time()) >= link.expires_at:
            raise ShareLinkGone(f"this link expired on {_utc(link.expires_at)}")
        return link
