"""Home: an address form and the demo world's key addresses to click."""

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import ids
from dashboard.components.forms import address_form, navigation_target, register_address_help
from dashboard.roles import requires
from dashboard.urls import address_path, trace_path
from tracing.flow import TraceParameters
from tracing.sources import demo

dash.register_page(__name__, required_role="viewer", path="/", title="Tracing", name="Home")

FORM_IDS = {
    "address": ids.HOME_ADDRESS,
    "chain": ids.HOME_CHAIN,
    "help": ids.HOME_ADDRESS_HELP,
    "submit": ids.HOME_SUBMIT,
}


def _demo_card() -> dbc.Card:
    world = demo.build_demo()
    rows = [
        html.Tr(
            [
                html.Td(
                    dcc.Link(
                        name.replace("_", " "), href=address_path("tron", world.cast[name]), className="fw-semibold"
                    )
                ),
                html.Td(world.cast[name], className="font-monospace small"),
                html.Td(role, className="small"),
            ]
        )
        for name, role in demo.KEY_ACTORS
    ]
    return dbc.Card(
        [
            dbc.CardHeader("Demo world: a USDT theft on TRON", className="fw-semibold"),
            dbc.CardBody(
                [
                    dbc.Table(html.Tbody(rows), hover=True, size="sm", className="mb-2", id="home-demo-table"),
                    dcc.Link(
                        "Trace the stolen 250,000 USDT from the theft transaction",
                        href=trace_path(
                            "tron", world.cast["victim"], TraceParameters(tx=world.theft_tx, model="poison")
                        ),
                        id=ids.HOME_TRACE_THEFT,
                        className="fw-semibold",
                    ),
                ]
            ),
        ],
        className="shadow-sm",
    )


def layout(**_query) -> html.Div:
    """The page (query arguments are ignored)."""
    return html.Div(
        [
            dcc.Location(id=ids.HOME_NAV, refresh="callback-nav"),
            html.H1("Investigate an address", className="h3"),
            html.P(
                "Is it dangerous, and why? Enter an address or pick one of the demo world's actors.",
                className="text-muted",
            ),
            dbc.Card(dbc.CardBody(address_form(FORM_IDS)), className="shadow-sm mb-4"),
            _demo_card(),
        ],
        className="home-page",
    )


register_address_help(FORM_IDS)


@callback(
    Output(ids.HOME_NAV, "href"),
    Input(ids.HOME_SUBMIT, "n_clicks"),
    Input(ids.HOME_ADDRESS, "n_submit"),
    State(ids.HOME_ADDRESS, "value"),
    State(ids.HOME_CHAIN, "value"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_home_submit(_clicks, _submits, text, chain):
    """Open the address page of a valid address (the help text already explains an invalid one)."""
    path, _address_error, _ = navigation_target(text, chain, {})
    return path or no_update
