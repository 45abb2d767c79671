"""A panel folded on phones and open on wide screens (a ``<details>`` opened in the browser, no round trip)."""

from dash import Input, Output, State, clientside_callback, html

__all__ = ["WIDE", "fold", "register_fold"]

WIDE = 992
"""Screens at least this wide (Bootstrap's ``lg``) show the panel open; narrower ones fold it."""


def fold(content, fold_id: str, title: str, *, opened: bool = False) -> html.Details:
    """``content`` under a summary line ``title``; folded until the browser opens it on a wide screen.

    ``opened`` shows it open on every screen (fields the user must fix).
    """
    return html.Details(
        [html.Summary(title, className="fold-summary fw-semibold d-lg-none mb-2"), content],
        id=fold_id,
        open=opened,
        className="fold",
    )


def register_fold(fold_id: str) -> None:
    """Open the fold ``fold_id`` once the page loads on a wide screen (one built open stays open)."""
    clientside_callback(
        f"function(_id, opened) {{ return Boolean(opened) || window.innerWidth >= {WIDE}; }}",
        Output(fold_id, "open"),
        Input(fold_id, "id"),
        State(fold_id, "open"),
    )
