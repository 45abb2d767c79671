"""Who an address is: its own labels in the page header, its sanctions in red with list, entity and date."""

import re

import dash_bootstrap_components as dbc
from dash import html

__all__ = ["identity_header", "sanction_line"]

_LISTED = re.compile(r"listed (\d{4}-\d{2}-\d{2})")


def sanction_line(label) -> list:
    """``OFAC SDN · GARANTEX EUROPE OU · listed 2022-04-05 · CYBER4; RUSSIA-EO14024``, the entity in bold.

    The listing's own fields (``listed_on``, ``programs``) when it has them, else what its detail says.
    """
    found = _LISTED.search(label.detail or "")
    date = label.listed_on or (found.group(1) if found else "")
    programs = "; ".join(p for p in label.programs.split(";") if p) or _LISTED.sub("", label.detail or "").strip(" ;")
    parts = [label.source, html.B(label.name), f"listed {date}" if date else "listing date not given"]
    parts += [programs] if programs else []
    return [p for k, part in enumerate(parts) for p in ([" · "] if k else []) + [part]]


def identity_header(address: str, labels) -> html.Div:
    """The address's own labels as badges ("Demo Exchange · exchange"), then each sanctions entry in red."""
    sanctioned = [lb for lb in labels if lb.category == "sanctioned"]
    others = sorted({(lb.name, lb.category, lb.detail) for lb in labels if lb.category != "sanctioned"})
    badges = [
        dbc.Badge(f"{name} · {category}", color="primary", className="me-1 fs-6 fw-normal", title=detail or None)
        for name, category, detail in others
    ]
    alerts = [
        dbc.Alert(["Sanctioned: ", *sanction_line(lb)], color="danger", className="py-1 px-2 mb-1 small sanction")
        for lb in sanctioned
    ]
    if not badges and not alerts:
        badges = [html.Span("No label known for this address.", className="text-muted small")]
    return html.Div(
        [html.Div(badges, className="mb-1"), *alerts],
        className="address-identity",
        title=address,
    )
