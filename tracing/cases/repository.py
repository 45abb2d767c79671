"""Cases in the store: create, change, search; add addresses, traces, transfers and notes.

Every change writes its audit entry in the same transaction (:func:`tracing.audit.record`).
"""

import json
import re
import time
from collections.abc import Iterable, Mapping

import sqlalchemy as sa

from tracing.audit import record
from tracing.cases.model import ITEM_KINDS, STATUSES, Case, CaseItem, Note
from tracing.errors import BadParameters, CaseNotFound
from tracing.flow.params import TraceParameters, parse_time
from tracing.model import normalize_address
from tracing.params import Parameters
from tracing.store import Store
from tracing.store.schema import case_items, case_notes, cases

__all__ = ["Cases", "parse_tags"]

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_NOTE = 20_000
_TAG = re.compile(r"^[\w .:/#+-]{1,40}$")
_TX = re.compile(r"^(0x)?[0-9a-fA-F]{16,128}$|^[1-9A-HJ-NP-Za-km-z]{32,100}$")  # hex, or base58 (Solana)


def parse_tags(tags: str | Iterable[str]) -> tuple[str, ...]:
    """Tags from a comma-separated text or a list: trimmed, lower-case, unique, in order.

    >>> parse_tags(" Theft, usdt ,theft")
    ('theft', 'usdt')
    """
    items = tags.split(",") if isinstance(tags, str) else list(tags)
    out: list[str] = []
    for raw in items:
        tag = str(raw).strip().lower()
        if not tag:
            continue
        if not _TAG.match(tag):
            raise BadParameters("tags", f"{tag[:50]!r}: a tag has 1 to 40 letters, digits, spaces or . : / # + -")
        if tag not in out:
            out.append(tag)
    if len("," + ",".join(out) + ",") > 500:
        raise BadParameters("tags", "too many tags (at most 500 characters in all)")
    return tuple(out)


def _text(field: str, value: str, limit: int, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise BadParameters(field, "must not be empty")
    if len(value) > limit:
        raise BadParameters(field, f"at most {limit} characters, got {len(value)}")
    return value


def _status(value: str) -> str:
    if value not in STATUSES:
        raise BadParameters("status", f"must be one of {', '.join(STATUSES)}, got {value!r}")
    return value


def _case(row) -> Case:
    tags = tuple(t for t in row.tags.split(",") if t)
    return Case(int(row.id), row.title, row.description, row.status, tags, row.owner, row.created_at, row.updated_at)


def _item(row) -> CaseItem:
    return CaseItem(
        int(row.id), int(row.case_id), row.kind, row.chain, row.address, row.ref, row.params, row.added_by, row.added_at
    )


def _note(row) -> Note:
    return Note(int(row.id), int(row.case_id), row.chain, row.address, row.author, row.at, row.body)


class Cases:
    """Case operations on one :class:`~tracing.store.Store`; ``actor`` names who acts, for the audit log."""

    def __init__(self, store: Store):
        self.store = store
        self.engine = store.engine

    # -- cases ----------------------------------------------------------------------------
    def create(
        self,
        actor: str,
        title: str,
        description: str = "",
        tags: str | Iterable[str] = (),
        *,
        owner: str | None = None,
        now: float | None = None,
    ) -> Case:
        """A new open case owned by ``owner`` (default: the actor)."""
        at = int(now if now is not None else time.time())
        row = {
            "title": _text("title", title, MAX_TITLE, required=True),
            "description": _text("description", description, MAX_DESCRIPTION, required=False),
            "status": "open",
            "tags": "," + ",".join(parse_tags(tags)) + ",",
            "owner": _text("owner", owner or actor, 80, required=True),
            "created_at": at,
            "updated_at": at,
        }
        with self.engine.begin() as conn:
            case_id = int(conn.execute(cases.insert().values(**row)).inserted_primary_key[0])
            record(conn, actor, "case.create", "case", case_id, {"title": row["title"]}, now=at)
        return self.get(case_id)

    def get(self, case_id: int) -> Case:
        """The case, or :class:`CaseNotFound`."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(cases).where(cases.c.id == int(case_id))).first()
        if row is None:
            raise CaseNotFound(f"no case #{case_id}")
        return _case(row)

    def update(self, actor: str, case_id: int, *, now: float | None = None, **changes) -> Case:
        """Change any of title, description, status, tags, owner; the audit entry holds old and new values."""
        allowed = {"title", "description", "status", "tags", "owner"}
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise BadParameters(unknown[0], f"cannot be changed; changeable: {', '.join(sorted(allowed))}")
        before = self.get(case_id)
        values: dict = {}
        for name, value in changes.items():
            if value is None:
                continue
            if name == "title":
                values[name] = _text("title", value, MAX_TITLE, required=True)
            elif name == "description":
                values[name] = _text("description", value, MAX_DESCRIPTION, required=False)
            elif name == "status":
                values[name] = _status(value)
            elif name == "owner":
                values[name] = _text("owner", value, 80, required=True)
            else:
                values[name] = "," + ",".join(parse_tags(value)) + ","
        old = {k: ("," + ",".join(before.tags) + "," if k == "tags" else getattr(before, k)) for k in values}
        diff = {k: [old[k].strip(","), v.strip(",")] if k == "tags" else [old[k], v] for k, v in values.items()}
        diff = {k: v for k, v in diff.items() if v[0] != v[1]}
        if not diff:
            return before
        at = int(now if now is not None else time.time())
        with self.engine.begin() as conn:
            conn.execute(cases.update().where(cases.c.id == before.id).values(updated_at=at, **values))
            action = "case.status" if set(diff) == {"status"} else "case.update"
            record(conn, actor, action, "case", before.id, diff, now=at)
        return self.get(case_id)

    def search(
        self,
        *,
        text: str = "",
        status: str | None = None,
        owner: str | None = None,
        tag: str | None = None,
        address: str | None = None,
        since: int | str | None = None,
        until: int | str | None = None,
        limit: int = 200,
    ) -> list[Case]:
        """Cases matching every filter given, most recently changed first.

        ``text`` looks in titles, descriptions and tags; ``address`` finds cases that hold the
        address (as an item or in a trace); ``since``/``until`` bound the last change (ISO date or
        Unix seconds).
        """
        query = sa.select(cases).order_by(cases.c.updated_at.desc(), cases.c.id.desc())
        if text and text.strip():
            pattern = "%" + text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(
                sa.or_(
                    *(sa.func.lower(c).like(pattern, escape="\\") for c in (cases.c.title, cases.c.description)),
                    cases.c.tags.like(pattern, escape="\\"),
                )
            )
        if status:
            query = query.where(cases.c.status == _status(status))
        if owner:
            query = query.where(cases.c.owner == owner)
        if tag:
            query = query.where(cases.c.tags.like("%," + parse_tags(tag)[0] + ",%"))
        if address and address.strip():
            held = sa.select(case_items.c.case_id).where(case_items.c.address == address.strip())
            query = query.where(cases.c.id.in_(held))
        for name, bound, op in (("since", since, "__ge__"), ("until", until, "__le__")):
            if bound not in (None, ""):
                query = query.where(getattr(cases.c.updated_at, op)(parse_time(bound, name)))
        with self.engine.connect() as conn:
            return [_case(r) for r in conn.execute(query.limit(max(1, min(limit, 1000)))).all()]

    def owners(self) -> list[str]:
        """Everyone who owns a case (for the filter's choices)."""
        with self.engine.connect() as conn:
            return sorted(conn.execute(sa.select(cases.c.owner).distinct()).scalars())

    # -- items ----------------------------------------------------------------------------
    def add_item(
        self,
        actor: str,
        case_id: int,
        kind: str,
        address: str,
        *,
        chain: str | None = None,
        ref: str = "",
        params: Mapping | None = None,
        now: float | None = None,
    ) -> CaseItem:
        """Add an address (scoring parameters), a trace (trace parameters) or a transfer (``ref`` = ``tx:index``).

        The parameters are validated and stored in full, defaults included, so a report states what was used.
        """
        if kind not in ITEM_KINDS:
            raise BadParameters("kind", f"must be one of {', '.join(ITEM_KINDS)}, got {kind!r}")
        case = self.get(case_id)
        found_chain, address = normalize_address(address, chain)
        params = dict(params or {})
        if kind == "address":
            used = Parameters.from_mapping(params).to_dict()
        elif kind == "trace":
            trace = TraceParameters.from_mapping(params)
            used, ref = trace.to_dict(), trace.tx or ""
        else:
            tx, _, index = (ref or "").strip().partition(":")
            if not _TX.match(tx) or (index and not index.isdigit()):
                raise BadParameters("ref", f"a transfer is 'TX_HASH:INDEX' (index optional), got {ref[:80]!r}")
            ref, used = f"{tx}:{int(index) if index else self._only_index(found_chain, address, tx)}", {}
        at = int(now if now is not None else time.time())
        row = {
            "case_id": case.id,
            "kind": kind,
            "chain": found_chain.value,
            "address": address,
            "ref": ref,
            "params": json.dumps(used, sort_keys=True),
            "added_by": actor,
            "added_at": at,
        }
        with self.engine.begin() as conn:
            item_id = int(conn.execute(case_items.insert().values(**row)).inserted_primary_key[0])
            detail = {"item": item_id, "kind": kind, "chain": row["chain"], "address": address, "ref": ref}
            record(conn, actor, f"case.add_{kind}", "case", case.id, detail, now=at)
            conn.execute(cases.update().where(cases.c.id == case.id).values(updated_at=at))
        return CaseItem(item_id, case.id, kind, row["chain"], address, ref, row["params"], actor, at)

    def _only_index(self, chain, address: str, tx: str) -> int:
        """The index of the one stored transfer of ``address`` in ``tx`` (0 when none is stored).

        A transaction may move several tokens (each its own index): then the investigator must say which.
        """
        table = self.store.transfers_of(chain, address)
        indexes = sorted({int(i) for i in table.index[table.tx_hash == tx]})
        if len(indexes) > 1:
            choices = ", ".join(f"{tx[:10]}…:{i}" for i in indexes[:5])
            raise BadParameters(
                "ref", f"transaction {tx} holds {len(indexes)} transfers of this address; add TX_HASH:INDEX ({choices})"
            )
        return indexes[0] if indexes else 0

    def remove_item(self, actor: str, case_id: int, item_id: int, *, now: float | None = None) -> None:
        """Take an item off a case."""
        at = int(now if now is not None else time.time())
        with self.engine.begin() as conn:
            row = conn.execute(
                sa.select(case_items).where(case_items.c.id == int(item_id), case_items.c.case_id == int(case_id))
            ).first()
            if row is None:
                raise CaseNotFound(f"case #{case_id} has no item #{item_id}")
            conn.execute(case_items.delete().where(case_items.c.id == row.id))
            detail = {"item": int(row.id), "kind": row.kind, "address": row.address, "ref": row.ref}
            record(conn, actor, "case.remove_item", "case", int(case_id), detail, now=at)
            conn.execute(cases.update().where(cases.c.id == int(case_id)).values(updated_at=at))

    def items(self, case_id: int) -> list[CaseItem]:
        """The case's items in the order they were added."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(case_items).where(case_items.c.case_id == int(case_id)).order_by(case_items.c.id)
            ).all()
        return [_item(r) for r in rows]

    # -- notes ----------------------------------------------------------------------------
    def add_note(
        self,
        actor: str,
        case_id: int,
        body: str,
        *,
        address: str | None = None,
        chain: str | None = None,
        now: float | None = None,
    ) -> Note:
        """A Markdown note on the case, or on one address when ``address`` is given."""
        case = self.get(case_id)
        body = _text("note", body, MAX_NOTE, required=True)
        chain_value, address_value = "", ""
        if address and address.strip():
            found, address_value = normalize_address(address, chain)
            chain_value = found.value
        at = int(now if now is not None else time.time())
        row = {"case_id": case.id, "chain": chain_value, "address": address_value, "author": actor, "at": at}
        with self.engine.begin() as conn:
            note_id = int(conn.execute(case_notes.insert().values(body=body, **row)).inserted_primary_key[0])
            detail = {"note": note_id, "address": address_value, "length": len(body)}
            record(conn, actor, "case.add_note", "case", case.id, detail, now=at)
            conn.execute(cases.update().where(cases.c.id == case.id).values(updated_at=at))
        return Note(note_id, case.id, chain_value, address_value, actor, at, body)

    def notes(self, case_id: int, *, address: str | None = None) -> list[Note]:
        """The case's notes, oldest first (only those on ``address`` when given)."""
        query = sa.select(case_notes).where(case_notes.c.case_id == int(case_id))
        if address is not None:
            query = query.where(case_notes.c.address == address)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(case_notes.c.at, case_notes.c.id)).all()
        return [_note(r) for r in rows]
