"""Home: one search box for any address, this user's recent investigations, and the demo world's actors."""

import functools

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import ids
from dashboard.components import NARROW_ONLY, WIDE_ONLY
from dashboard.components.forms import address_form, navigation_target, register_address_help
from dashboard.components.links import address_link
from dashboard.recent import recent
from dashboard.roles import requires
from dashboard.urls import address_path, trace_path
from tracing.flow import TraceParameters
from tracing.model import Chain
from tracing.sources import demo

dash.register_page(__name__, required_role="viewer", path="/", title="Tracing", name="Home")

FORM_IDS = {
    "address": ids.HOME_ADDRESS,
    "chain": ids.HOME_CHAIN,
    "help": ids.HOME_ADDRESS_HELP,
    "submit": ids.HOME_SUBMIT,
}
OTHER_CHAIN_ACTORS = (
    (Chain.ETHEREUM, "ethereum_wallet_3", "Lazarus payer", "paid 1,500 ETH to the Lazarus Group (OFAC-listed)"),
    (Chain.ETHEREUM, demo.LAZARUS, "Lazarus Group", "the Lazarus Group's address (OFAC-listed)"),
    (Chain.BITCOIN, "bitcoin_wallet_5", "trafficker payer", "paid 0.35 BTC to a listed narcotics trafficker"),
    (Chain.SOLANA, "solana_wallet_0", "Solana wallet", "an ordinary Solana wallet"),
)
"""The demo's actors beyond TRON: chain, cast name (or address), who they are, what they did."""
ACTOR_NAMES = {"mule_1_1": "mule 1 of chain 1", "peel_1": "peel chain, hop 1"}
"""How the home page names a TRON actor whose cast name reads badly with its underscores as spaces."""
DEMO_TITLE = "Demo world: a USDT theft on TRON, payers of listed addresses on Ethereum and Bitcoin, a Solana wallet"


@functools.cache
def _world() -> tuple[dict[str, str], str]:
    """The demo's cast and theft transaction (built once: the world takes most of a second)."""
    world = demo.build_demo()
    return world.cast, world.theft_tx


def _actors() -> list[tuple[Chain, str, str, str]]:
    """``(chain, address, name, what they did)`` of each actor the card lists."""
    cast, _ = _world()
    actors = [
        (Chain.TRON, cast[name], ACTOR_NAMES.get(name, name.replace("_", " ")), role) for name, role in demo.KEY_ACTORS
    ]
    return actors + [(chain, cast.get(name, name), who, what) for chain, name, who, what in OTHER_CHAIN_ACTORS]


def _actor_rows() -> list[html.Tr]:
    """One row per actor; on a phone what they did goes under their name instead of a squeezed column."""
    return [
        html.Tr(
            [
                html.Td(
                    [
                        dcc.Link(name, href=address_path(chain.value, address), className="fw-semibold"),
                        html.Div(role, className=f"small text-muted {NARROW_ONLY}"),
                    ]
                ),
                html.Td(dbc.Badge(chain.display_name, color="light", text_color="dark")),
                html.Td(address_link(chain, address, short=True), className="small"),
                html.Td(role, className=f"small {WIDE_ONLY}"),
            ]
        )
        for chain, address, name, role in _actors()
    ]


def _demo_card() -> dbc.Card:
    cast, theft_tx = _world()
    return dbc.Card(
        [
            dbc.CardHeader(DEMO_TITLE),
            dbc.CardBody(
                [
                    dbc.Table(
                        html.Tbody(_actor_rows()),
                        hover=True,
                        size="sm",
                        responsive=True,
                        className="mb-2",
                        id=ids.HOME_ACTORS,
                    ),
                    dcc.Link(
                        "Trace the stolen 250,000 USDT from the theft transaction",
                        href=trace_path("tron", cast["victim"], TraceParameters(tx=theft_tx, model="poison")),
                        id=ids.HOME_TRACE_THEFT,
                        className="fw-semibold",
                    ),
                ]
            ),
        ],
        className="shadow-sm mb-4",
    )


def _recent_card() -> dbc.Card:
    mine = recent()
    body = (
        html.Ul(
            [
                html.Li(
                    [
                        dbc.Badge(Chain.parse(chain).display_name, color="light", text_color="dark", className="me-2"),
                        address_link(chain, address),
                    ]
                )
                for chain, address in mine
            ],
            className="list-unstyled mb-0 small",
        )
        if mine
        else html.P("Nothing yet: the addresses you investigate appear here.", className="text-muted small mb-0")
    )
    return dbc.Card(
        [dbc.CardHeader("Your recent investigations"), dbc.CardBody(body, id=ids.HOME_RECENT)],
        className="shadow-sm mb-4",
    )


def layout(**_query) -> html.Div:
    """The page (query arguments are ignored)."""
    return html.Div(
        [
            dcc.Location(id=ids.HOME_NAV, refresh="callback-nav"),
            html.H1("Investigate an address", className="h3"),
            html.P(
                "Is it dangerous, and why? Any TRON, Ethereum, Bitcoin or Solana address; the chain is detected.",
                className="text-muted",
            ),
            dbc.Card(dbc.CardBody(address_form(FORM_IDS)), className="shadow-sm mb-4"),
            dbc.Row([dbc.Col(_recent_card(), lg=4), dbc.Col(_demo_card(), lg=8)]),
        ],
        className="home-page",
    )


register_address_help(FORM_IDS)


@callback(
    Output(ids.HOME_NAV, "href"),
    Output(ids.HOME_ADDRESS, "invalid", allow_duplicate=True),
    Output(ids.HOME_ADDRESS_HELP, "children", allow_duplicate=True),
    Output(ids.HOME_ADDRESS_HELP, "color", allow_duplicate=True),
    Input(ids.HOME_SUBMIT, "n_clicks"),
    Input(ids.HOME_ADDRESS, "n_submit"),
    State(ids.HOME_ADDRESS, "value"),
    State(ids.HOME_CHAIN, "value"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_home_submit(_clicks, _submits, text, chain):
    """Open the address page of a valid address, or say under the input what is wrong (an empty one too)."""
    path, address_error, _ = navigation_target(text, chain, {})
    if path:
        return path, no_update, no_update, no_update
    return no_update, True, address_error, "danger"
