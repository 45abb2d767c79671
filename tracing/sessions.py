"""Web sessions kept in the store, so that they can end: on logout, on a password change, on
``users revoke-tokens`` and ``users sign-out``, after an idle time and after an absolute lifetime.

The browser's cookie holds a random token; the store holds only its SHA-256, so a
copy of the database opens no session. Every worker sees the same sessions.
"""

import hashlib
import secrets
import time

import sqlalchemy as sa

from tracing.accounts import User
from tracing.store import Store
from tracing.store.engine import write_if_free
from tracing.store.schema import users, web_sessions

__all__ = ["Sessions"]

_TOUCH_SECONDS = 60  # last_seen is written at most once a minute per session


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    """Start, check and end sessions on one store.

    Parameters
    ----------
    store : Store
    idle_seconds : int
        A session unused this long ends.
    max_seconds : int
        A session ends this long after the login, used or not.
    """

    def __init__(self, store: Store, idle_seconds: int = 3600, max_seconds: int = 12 * 3600):
        self.engine, self.idle_seconds, self.max_seconds = store.engine, idle_seconds, max_seconds

    def start(self, user_id: int, now: float | None = None) -> str:
        """A new session of the user; returns its token (for the cookie only)."""
        at, token = int(now if now is not None else time.time()), secrets.token_urlsafe(32)
        row = {"user_id": user_id, "token_hash": _hash(token), "created_at": at, "last_seen": at}
        with self.engine.begin() as conn:
            conn.execute(web_sessions.insert().values(**row))
            conn.execute(web_sessions.delete().where(web_sessions.c.created_at < at - self.max_seconds))
        return token

    def user_for(self, token: str | None, now: float | None = None) -> User | None:
        """The user of a live session, or None (unknown, ended, idle too long or too old)."""
        if not token or len(token) > 100:
            return None
        at = int(now if now is not None else time.time())
        query = (
            sa.select(users.c.id, users.c.name, users.c.role, web_sessions.c.last_seen)
            .join(web_sessions, web_sessions.c.user_id == users.c.id)
            .where(
                web_sessions.c.token_hash == _hash(token),
                web_sessions.c.created_at > at - self.max_seconds,
                web_sessions.c.last_seen > at - self.idle_seconds,
            )
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        if row[3] < at - _TOUCH_SECONDS:  # skipped while an import holds SQLite's write lock
            write_if_free(
                self.engine, web_sessions.update().where(web_sessions.c.token_hash == _hash(token)).values(last_seen=at)
            )
        return User(int(row[0]), row[1], row[2])

    def end(self, token: str | None) -> None:
        """End one session (logout)."""
        if token:
            with self.engine.begin() as conn:
                conn.execute(web_sessions.delete().where(web_sessions.c.token_hash == _hash(token)))
