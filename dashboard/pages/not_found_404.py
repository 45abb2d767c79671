"""The page for paths that lead nowhere."""

import dash
import dash_bootstrap_components as dbc
from dash import html

dash.register_page(__name__, required_role="viewer", title="Not found · Tracing")


def layout(**_query) -> html.Div:
    """A short message and the way home."""
    return dbc.Alert([html.H4("Page not found"), html.A("Back to the home page", href="/")], color="warning")
