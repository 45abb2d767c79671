"""Each test's evidence as readable components (Dash escapes every string); every address links to its page."""

from dash import html

from dashboard.components.links import address_link
from tracing.figures import amount, when, zscore

__all__ = ["build_evidence"]

LIMIT = 20


def _transfer(t: dict, chain) -> list:
    z = [f" · z = {zscore(t['z'])}"] if "z" in t else []
    link = address_link
    return [
        when(t["timestamp"]),
        f" · {amount(t['asset'], t['amount'])} · ",
        link(chain, t["from"], short=True),
        " → ",
        link(chain, t["to"], short=True),
        *z,
    ]


def _chain(c: dict, chain) -> list:
    path = [c["origin"], *c["intermediaries"], c["destination"]]
    parts = [f"{when(c['start'])} · {amount(c['asset'], c['amount_sent'])} ({c['hops']} hops): "]
    for k, address in enumerate(path):
        parts += ([" → "] if k else []) + [address_link(chain, address, short=True)]
    return [*parts, " (cut at the hop limit)" if c["truncated"] else ""]


def _items(name: str, evidence: dict, chain) -> list[list]:
    if name == "hiding":
        return [_chain(c, chain) for c in evidence.get("chains", [])[:LIMIT]]
    if name == "transfers":
        return [
            [f"{b['transfers']:,} {b['direction']}going transfers from {when(b['start'])} to {when(b['end'])}"]
            for b in evidence.get("bursts", [])[:LIMIT]
        ]
    if name == "relation":
        own = [
            [f"The address itself: {lb['name']} ({lb['source']}) {lb['detail']}"] for lb in evidence.get("listings", [])
        ]
        direct = [
            [
                address_link(chain, e["address"], short=True),
                f": {', '.join(lb['name'] for lb in e['listings'])} · {e['transfers']:,} transfer(s)",
            ]
            for e in evidence.get("direct", [])[:LIMIT]
        ]
        indirect = [
            ["via ", address_link(chain, e["via"], short=True), f": dealt with {len(e['listed']):,} listed address(es)"]
            for e in evidence.get("indirect", [])[:LIMIT]
        ]
        return own + direct + indirect
    return [_transfer(t, chain) for t in evidence.get("transfers", [])[:LIMIT]]


def build_evidence(name: str, evidence: dict, chain) -> html.Details:
    """A collapsible list of a test's evidence (flagged transfers, bursts, chains, listings) on ``chain``."""
    items = _items(name, evidence, chain)
    summary = f"Show evidence ({len(items)}{'+' if len(items) == LIMIT else ''})" if items else "No evidence"
    body = html.Ul([html.Li(item) for item in items], className="small mb-0 ps-3 evidence-list") if items else None
    return html.Details([html.Summary(summary, className="small text-primary"), body], className="mt-2")
