"""Sanctions screening of one address, without any transfers: which lists name it, in which version.

The local lists are the store's sanctions labels and, while it is the newer
issue, the shipped OFAC snapshot (see :meth:`Store.label_index`). Addresses of
chains the product does not read (Litecoin, Monero ...) are matched as listed.
With the Chainalysis sanctions API configured, its identifications are added;
when it fails, the answer comes from the local lists and its ``api`` part says
so: a failure is never a silent "not listed".

:func:`screen_with_api` screens a scored address and, within a budget, its
direct counterparties for the scoring path: identifications become sanctions
labels of the list "Chainalysis sanctions API".
"""

from datetime import UTC, datetime

from tracing.errors import InvalidAddress, SourceUnavailable
from tracing.labels import Label, LabelIndex
from tracing.model import Chain, display_address, normalize_address
from tracing.store import Store

__all__ = ["api_entries", "check_address", "entry_of", "lists_consulted", "screen_with_api"]


def entry_of(label: Label) -> dict:
    """One listing as the check reports it."""
    return {
        "entity": label.name,
        "sdn_id": label.reference or None,
        "programs": [p for p in label.programs.split(";") if p],
        "listed_on": label.listed_on or None,
        "list": label.source,
        "list_version": label.list_version or None,
    }


def lists_consulted(index: LabelIndex) -> list[dict]:
    """The sanctions lists an index holds, each with its newest version."""
    versions: dict[str, str] = {}
    for label in index:
        if label.category == "sanctioned":
            versions[label.source] = max(versions.get(label.source, ""), label.list_version)
    return [{"list": s, "version": v or None} for s, v in sorted(versions.items())]


def _stamp(fetched: float) -> str:
    return datetime.fromtimestamp(fetched, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def api_entries(api, address: str) -> tuple[list[dict], dict]:
    """The API's entries for ``address`` and the ``api`` part of the answer (its status, or why it failed)."""
    name = getattr(api, "name", "Chainalysis sanctions API")
    try:
        found, fetched, cached = api.identifications(address)
    except SourceUnavailable as err:
        return [], {"name": name, "status": "failed", "message": f"{err}; answered from the local lists only"}
    when = _stamp(fetched)
    entries = [
        {
            "entity": i["name"],
            "sdn_id": None,
            "programs": [],
            "listed_on": None,
            "list": name,
            "list_version": when,
            "description": i["description"],
            "url": i["url"],
        }
        for i in found
    ]
    return entries, {"name": name, "status": "cached" if cached else "ok", "checked_at": when}


def check_address(
    store: Store,
    address: str,
    chain: Chain | str | None = None,
    *,
    index: LabelIndex | None = None,
    api=None,
) -> dict:
    """``{"address", "chain", "listed", "entries", "lists", "api"}`` for one address.

    ``api`` (a :class:`~tracing.sources.chainalysis.ChainalysisSanctions`, or None
    when no key is set) is asked too; ``api`` in the answer is None without one.

    A list entry on a chain the product does not read answers for the address as
    written when no chain is given (a Bitcoin SV address is also a valid Bitcoin
    address: the list says which one it meant).

    Raises
    ------
    InvalidAddress
        The address fits no chain the product reads and no list names it as written.
    """
    index = index if index is not None else store.label_index()
    text = (address or "").strip()
    elsewhere = [lb for lb in index.anywhere(text) if lb.category == "sanctioned" and not isinstance(lb.chain, Chain)]
    try:
        where, canonical = normalize_address(text, chain)
    except InvalidAddress:
        if not elsewhere:
            raise
        where, canonical = elsewhere[0].chain, text
    entries = index.sanctioned(where, canonical)
    if not entries and chain is None and elsewhere:
        where, canonical, entries = elsewhere[0].chain, text, elsewhere
    shown = display_address(where, canonical) if isinstance(where, Chain) else canonical
    found, status = api_entries(api, shown) if api is not None else ([], None)
    return {
        "address": shown,
        "chain": str(where),
        "listed": bool(entries or found),
        "entries": [entry_of(lb) for lb in entries] + found,
        "lists": lists_consulted(index),
        "api": status,
    }


def _detail(identification: dict) -> str:
    return " ".join(x for x in (identification["description"], identification["url"]) if x)


def screen_with_api(api, chain: Chain, addresses, *, budget: int) -> tuple[list[Label], dict]:
    """Ask the sanctions API about ``addresses`` (canonical, the scored one first), at most ``budget`` + 1 of them.

    Returns the identifications as sanctions labels (list ``api.name``, the
    description and URL in ``detail``) and the screening's status: ``{"name",
    "status" ("ok", "cached" or "failed"), "screened", "not_screened", "checked_at"}``
    and, after a failure, a ``message`` saying the rest came from the local lists.
    The first failure stops the screening (the API is not asked again for the rest).
    """
    name = getattr(api, "name", "Chainalysis sanctions API")
    wanted = list(dict.fromkeys(str(a) for a in addresses))
    asked = wanted[: max(budget, 0) + 1]
    labels, status, newest, screened = [], "cached", 0.0, 0
    for address in asked:
        try:
            found, fetched, cached = api.identifications(display_address(chain, address))
        except SourceUnavailable as err:
            left = len(wanted) - screened
            return labels, {
                "name": name,
                "status": "failed",
                "screened": screened,
                "not_screened": left,
                "message": f"{err}; {left} address(es) screened against the local lists only",
            }
        screened += 1
        newest = max(newest, fetched)
        status = status if cached else "ok"
        labels += [
            Label(chain, address, i["name"] or name, "sanctioned", name, _detail(i), 100, list_version=_stamp(fetched))
            for i in found
        ]
    return labels, {
        "name": name,
        "status": status,
        "screened": screened,
        "not_screened": len(wanted) - screened,
        "checked_at": _stamp(newest) if screened else None,
    }
