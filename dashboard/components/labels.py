"""The labels page's pieces: the table of labels (sanctions unmistakable), the add/edit form, import results."""

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components import NARROW_ONLY, WIDE_ONLY
from dashboard.components.links import address_link
from tracing.figures import when
from tracing.figures.exposure import CATEGORY_COLOURS
from tracing.labels import CATEGORIES, Label

__all__ = ["category_badge", "export_bar", "label_form", "labels_table", "pager", "read_summary"]

EDIT = "labels-edit"  # pattern {"type": EDIT, "id": label id}
REMOVE = "labels-remove"  # pattern {"type": REMOVE, "id": label id}
FIELD = "labels-field"  # pattern {"type": FIELD, "name": field}
FORM_FIELDS = ("address", "chain", "name", "category", "confidence", "actor", "detail")


def category_badge(category: str, className: str = "badge") -> html.Span:
    """The category as a coloured badge; a sanctions entry reads SANCTIONED in red."""
    text = "SANCTIONED" if category == "sanctioned" else category
    return html.Span(text, className=className, style={"backgroundColor": CATEGORY_COLOURS.get(category, "#b0bec5")})


def _added(lb: Label) -> str:
    """Who stored the label when; for a list entry never stored (the shipped list), the date it was listed."""
    if lb.added_at:
        return f"{lb.added_by}, {when(lb.added_at)}"
    return f"listed {lb.listed_on}" if lb.listed_on else "-"


def labels_table(labels: list[Label], *, editable: bool) -> dbc.Table:
    """One row per label: address (linked), category, entity, source, confidence, who added it when.

    Labels without an ``id`` come from the shipped OFAC list: shown, but not editable.
    A phone sees address, entity (its category badge in front) and the edit links;
    chain, category, source, confidence and who added it from md (768 px) up.
    """
    head = ["address", "chain", "category", "entity", "source", "confidence", "added"] + (["", ""] if editable else [])
    wide = ("chain", "category", "source", "confidence", "added")
    rows = []
    for lb in labels:
        cells = [
            html.Td(address_link(str(lb.chain), lb.address, short=True) if lb.chain else lb.address),
            html.Td(str(lb.chain), className=WIDE_ONLY),
            html.Td(category_badge(lb.category), className=WIDE_ONLY),
            html.Td(
                [category_badge(lb.category, f"badge me-1 {NARROW_ONLY}"), lb.name],
                className="fw-bold text-danger" if lb.category == "sanctioned" else "",
            ),
            html.Td(lb.source, className=f"small {WIDE_ONLY}"),
            html.Td(str(lb.confidence), className=f"text-end {WIDE_ONLY}"),
            html.Td(_added(lb), className=f"small {WIDE_ONLY}"),
        ]
        if editable and not lb.id:  # the shipped list: replaced by 'sanctions update', never edited here
            cells += [html.Td("shipped list", className="small text-muted text-nowrap", colSpan=2)]
        elif editable:
            cells += [
                html.Td(dbc.Button("edit", id={"type": EDIT, "id": lb.id}, size="sm", color="link", className="p-0")),
                html.Td(
                    dbc.Button(
                        "remove", id={"type": REMOVE, "id": lb.id}, size="sm", color="link", className="p-0 text-danger"
                    )
                ),
            ]
        rows.append(html.Tr(cells, className="table-danger" if lb.category == "sanctioned" else ""))
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h, className=WIDE_ONLY if h in wide else None) for h in head])), html.Tbody(rows)],
        size="sm",
        hover=True,
        responsive=True,
        className="small mb-0",
        id="labels-table",
    )


def pager(number: int, pages: int, href) -> html.Nav:
    """Previous and next links and where the list is ("page 2 of 40"); ``href(n)`` is page n's URL."""

    def step(text: str, target: int, enabled: bool):
        if not enabled:
            return html.Span(text, className="btn btn-outline-secondary btn-sm disabled", **{"aria-disabled": "true"})
        return dcc.Link(text, href=href(target), className="btn btn-outline-primary btn-sm")

    return html.Nav(
        [
            step("‹ Newer", number - 1, number > 1),
            html.Span(f"page {number:,} of {pages:,}", className="small mx-2"),
            step("Older ›", number + 1, number < pages),
        ],
        className="d-flex align-items-center",
        **{"aria-label": "label pages"},
    )


def export_bar(formats: dict) -> dbc.InputGroup:
    """The format picker and the button that downloads every label the search matches."""
    names = {"csv": "CSV", "json": "JSON", "tagpack": "TagPack (YAML)"}
    return dbc.InputGroup(
        [
            dbc.Select(
                id=ids.LABELS_EXPORT_FORMAT, options=[{"label": names[f], "value": f} for f in formats], value="csv"
            ),
            dbc.Button("Export every match", id=ids.LABELS_EXPORT, color="secondary", n_clicks=0),
        ],
        size="sm",
        className="mt-2",
        style={"maxWidth": "340px"},
    )


def label_form(values: dict | None = None) -> list:
    """The add/edit inputs, filled with ``values`` (a label's record) when editing."""
    values = values or {}

    def field(name: str, control) -> dbc.Col:
        return dbc.Col([dbc.Label(name, className="small mb-0"), control], md=6 if name in ("address", "detail") else 3)

    def text(name: str, **extra) -> dbc.Input:
        return dbc.Input(id={"type": FIELD, "name": name}, value=values.get(name, ""), size="sm", **extra)

    return [
        dbc.Row(
            [
                field("address", text("address", className="font-monospace")),
                field("chain", text("chain", placeholder="detected")),
                field("name", text("name", placeholder="the entity")),
            ],
            className="g-2",
        ),
        dbc.Row(
            [
                field(
                    "category",
                    dbc.Select(
                        id={"type": FIELD, "name": "category"},
                        options=[{"label": c, "value": c} for c in CATEGORIES],
                        value=values.get("category", "exchange"),
                        size="sm",
                    ),
                ),
                field("confidence", text("confidence", type="number", min=0, max=100)),
                field("actor", text("actor")),
                field("detail", text("detail")),
            ],
            className="g-2 mt-1",
        ),
    ]


def read_summary(name: str, read_count: int, new: int, skipped: list[str]) -> dbc.Alert:
    """What an import stored and what it skipped, each skipped entry with where and why."""
    shown = [html.Li(s) for s in skipped[:10]]
    more = [html.Li(f"... and {len(skipped) - 10} more")] if len(skipped) > 10 else []
    return dbc.Alert(
        [
            html.Div(f"{name}: {read_count} labels read, {new} new, {len(skipped)} entries skipped."),
            html.Ul(shown + more, className="small mb-0") if skipped else None,
        ],
        color="success" if not skipped else "warning",
        id="labels-import-result",
    )
