"""What a case holds: the case itself, its items (addresses, traces, transfers), notes and share links."""

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ITEM_KINDS", "STATUSES", "Case", "CaseItem", "Note", "ShareLink"]

STATUSES = ("open", "closed")
ITEM_KINDS = ("address", "trace", "transfer")


@dataclass(frozen=True)
class Case:
    """An investigation: what it is about, who owns it, whether it is still open."""

    id: int
    title: str
    description: str
    status: str
    tags: tuple[str, ...]
    owner: str
    created_at: int
    updated_at: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (API, report evidence)."""
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "status": self.status,
            "tags": list(self.tags),
            "owner": self.owner,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class CaseItem:
    """An address, a trace or a transfer added to a case, with the parameters used.

    ``ref`` is empty for an address, the seed transaction of a trace (may be empty),
    and ``tx_hash:index`` for a transfer.
    """

    id: int
    case_id: int
    kind: str
    chain: str
    address: str
    ref: str
    params_json: str = field(repr=False)
    added_by: str
    added_at: int

    @property
    def params(self) -> dict[str, Any]:
        """The parameters used, as a mapping."""
        return json.loads(self.params_json or "{}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "kind": self.kind,
            "chain": self.chain,
            "address": self.address,
            "ref": self.ref,
            "params": self.params,
            "added_by": self.added_by,
            "added_at": self.added_at,
        }


@dataclass(frozen=True)
class Note:
    """A Markdown note on a case, or on one address of it (``chain`` and ``address`` set)."""

    id: int
    case_id: int
    chain: str
    address: str
    author: str
    at: int
    body: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "chain": self.chain,
            "address": self.address,
            "author": self.author,
            "at": self.at,
            "body": self.body,
        }


@dataclass(frozen=True)
class ShareLink:
    """A read-only link to a case; the token itself is never stored, only rebuilt from the id and the key."""

    id: int
    case_id: int
    created_by: str
    created_at: int
    expires_at: int
    revoked_at: int | None
    revoked_by: str | None

    def state(self, now: float) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if now >= self.expires_at else "active"
