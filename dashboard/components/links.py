"""Links that pivot: every address shown leads to its page, every transfer to a trace from it."""

from dash import dcc, html

from dashboard.urls import address_path, trace_path
from tracing.figures import short_address
from tracing.flow import TraceParameters

__all__ = ["address_link", "trace_tx_link"]


def address_link(chain, address: str, *, short: bool = False, className: str = "") -> dcc.Link | html.Span:
    """The address, monospace, linked to its page (the full address on hover when shortened)."""
    if not address:
        return html.Span("-")
    chain = getattr(chain, "value", chain)
    return dcc.Link(
        short_address(address) if short else address,
        href=address_path(chain, address),
        title=address,
        className=f"font-monospace address-link {className}".strip(),
    )


def trace_tx_link(chain, address: str, tx_hash: str, asset: str | None = None, text: str = "trace") -> dcc.Link:
    """A link to trace, from ``address``, the funds that transaction ``tx_hash`` moved in ``asset``."""
    chain = getattr(chain, "value", chain)
    return dcc.Link(
        text,
        href=trace_path(chain, address, TraceParameters(tx=tx_hash, asset=asset)),
        title=f"Trace the funds of transaction {tx_hash} onward from this address",
        className="trace-tx-link text-nowrap",
    )
