"""Each test's evidence as readable components (Dash escapes every string)."""

from datetime import UTC, datetime

from dash import html

__all__ = ["build_evidence"]

LIMIT = 20


def _when(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M")


def _mono(text: str) -> html.Span:
    return html.Span(text, className="font-monospace small")


def _transfer(t: dict) -> list:
    z = f" · z = {t['z']:g}" if "z" in t else ""
    return [_when(t["timestamp"]), f" · {t['amount']} {t['asset']} · ", _mono(t["from"]), " → ", _mono(t["to"]), z]


def _chain(c: dict) -> list:
    path = [c["origin"], *c["intermediaries"], c["destination"]]
    parts = [f"{_when(c['start'])} · {c['amount_sent']} {c['asset']} ({c['hops']} hops): "]
    for k, address in enumerate(path):
        parts += ([" → "] if k else []) + [_mono(address)]
    return [*parts, " (cut at the hop limit)" if c["truncated"] else ""]


def _items(name: str, evidence: dict) -> list[list]:
    if name == "hiding":
        return [_chain(c) for c in evidence.get("chains", [])[:LIMIT]]
    if name == "transfers":
        return [
            [f"{b['transfers']} {b['direction']}going transfers from {_when(b['start'])} to {_when(b['end'])}"]
            for b in evidence.get("bursts", [])[:LIMIT]
        ]
    if name == "relation":
        own = [
            [f"The address itself: {lb['name']} ({lb['source']}) {lb['detail']}"] for lb in evidence.get("listings", [])
        ]
        direct = [
            [_mono(e["address"]), f": {', '.join(lb['name'] for lb in e['listings'])} · {e['transfers']} transfer(s)"]
            for e in evidence.get("direct", [])[:LIMIT]
        ]
        indirect = [
            ["via ", _mono(e["via"]), f": dealt with {len(e['listed'])} listed address(es)"]
            for e in evidence.get("indirect", [])[:LIMIT]
        ]
        return own + direct + indirect
    return [_transfer(t) for t in evidence.get("transfers", [])[:LIMIT]]


def build_evidence(name: str, evidence: dict) -> html.Details:
    """A collapsible list of a test's evidence (flagged transfers, bursts, chains, listings)."""
    items = _items(name, evidence)
    summary = f"Show evidence ({len(items)}{'+' if len(items) == LIMIT else ''})" if items else "No evidence"
    body = html.Ul([html.Li(item) for item in items], className="small mb-0 ps-3 evidence-list") if items else None
    return html.Details([html.Summary(summary, className="small text-primary"), body], className="mt-2")
