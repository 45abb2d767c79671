"""Every user's own account: change the password (the current one is asked again), manage API tokens.

A token acts as its user, with the user's role, on the REST API (``Authorization: Bearer``).
It is shown once, when made: the store keeps only its hash. Revoking one token leaves the
others and the web sessions alone (the admin's "Revoke API tokens" removes them all).
"""

import dash
import dash_bootstrap_components as dbc
import flask_login
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import ids
from dashboard.roles import requires
from dashboard.services import services
from tracing.accounts import TOKEN_DAYS, AccountError
from tracing.audit import AuditLog
from tracing.figures import when

dash.register_page(__name__, required_role="viewer", path="/account", title="Account · Tracing", name="Account")


def _time(seconds: int | None, empty: str) -> str:
    return f"{when(seconds)} UTC" if seconds else empty


def tokens_table(name: str) -> html.Div:
    """The user's API tokens, each with its own Revoke button."""
    tokens = services().accounts.tokens(name)
    if not tokens:
        return html.P("You have no API token.", className="text-muted small mb-0", id="account-tokens-none")
    wide = "d-none d-md-table-cell text-nowrap"  # phones show the name, the expiry and Revoke
    head = html.Thead(
        html.Tr(
            [
                html.Th("name"),
                html.Th("created", className=wide),
                html.Th("expires"),
                html.Th("last used", className=wide),
                html.Th(""),
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(t["name"] or html.Span("(no name)", className="text-muted")),
                html.Td(_time(t["created"], ""), className=wide),
                html.Td(_time(t["expires"], "never")),
                html.Td(_time(t["last_used"], "never"), className=wide),
                html.Td(
                    dbc.Button(
                        "Revoke",
                        id={"type": ids.ACCOUNT_TOKEN_REVOKE, "token": t["id"]},
                        size="sm",
                        color="outline-danger",
                    )
                ),
            ]
        )
        for t in tokens
    ]
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="small mb-0", responsive=True)


def _tokens_card(name: str) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("API tokens", className="h6"),
                html.P(
                    [
                        "For scripts and the REST API: send ",
                        html.Code("Authorization: Bearer <token>"),
                        ". A token acts as you, with your role. It is shown once, when made; only its hash is kept.",
                    ],
                    className="small text-muted",
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            dbc.Input(id=ids.ACCOUNT_TOKEN_LABEL, placeholder="what it is for", maxLength=80), md=6
                        ),
                        dbc.Col(
                            dbc.InputGroup(
                                [
                                    dbc.Input(
                                        id=ids.ACCOUNT_TOKEN_DAYS, type="number", min=1, max=3660, value=TOKEN_DAYS
                                    ),
                                    dbc.InputGroupText("days"),
                                ]
                            ),
                            md=3,
                        ),
                        dbc.Col(dbc.Button("Create token", id=ids.ACCOUNT_TOKEN_CREATE, color="primary"), md=3),
                    ],
                    className="g-2 mb-2",
                ),
                html.Div(id=ids.ACCOUNT_TOKEN_ALERT),
                html.Div(tokens_table(name), id=ids.ACCOUNT_TOKENS),
            ]
        ),
        style={"maxWidth": "48rem"},
        className="mt-3",
    )


def layout(**_query) -> html.Div:
    """The password form and the user's API tokens."""
    user = flask_login.current_user

    def field(component_id, label, autocomplete):
        return dbc.Input(
            id=component_id, type="password", placeholder=label, autoComplete=autocomplete, className="mb-2"
        )

    return html.Div(
        [
            html.H1("Your account", className="h3"),
            html.P(f"{user.name} · role {user.role}", className="text-muted"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2("Change your password", className="h6"),
                        field(ids.ACCOUNT_CURRENT, "current password", "current-password"),
                        field(ids.ACCOUNT_NEW, "new password (10 characters or more)", "new-password"),
                        field(ids.ACCOUNT_REPEAT, "new password again", "new-password"),
                        dbc.Button("Change password", id=ids.ACCOUNT_SUBMIT, color="primary"),
                        html.Div(id=ids.ACCOUNT_ALERT, className="mt-2"),
                    ]
                ),
                style={"maxWidth": "28rem"},
            ),
            _tokens_card(user.name),
        ]
    )


@callback(
    Output(ids.ACCOUNT_ALERT, "children"),
    Input(ids.ACCOUNT_SUBMIT, "n_clicks"),
    State(ids.ACCOUNT_CURRENT, "value"),
    State(ids.ACCOUNT_NEW, "value"),
    State(ids.ACCOUNT_REPEAT, "value"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_account_password(_clicks, current, new, repeat):
    """Check the current password, then set the new one."""
    user, accounts = flask_login.current_user, services().accounts
    if accounts.authenticate(user.name, current or "") is None:
        return dbc.Alert("The current password is wrong.", color="warning", id="account-error")
    if (new or "") != (repeat or ""):
        return dbc.Alert("The two new passwords differ.", color="warning", id="account-error")
    try:
        accounts.set_password(user.name, new or "")
    except AccountError as err:
        return dbc.Alert(str(err), color="warning", id="account-error")
    AuditLog(services().store).record(user.name, "user.passwd_own", "user", user.name)
    return dbc.Alert("Password changed.", color="success", id="account-done")


def _new_token_alert(name: str, label: str, days) -> dbc.Alert:
    """Make a token and show it once (with a copy button), or say what is wrong."""
    try:
        token = services().accounts.new_token(name, label, float(days))
    except AccountError as err:  # a ValueError too: caught first
        return dbc.Alert(str(err), color="warning", id="account-token-error")
    except (TypeError, ValueError):  # no number of days
        return dbc.Alert(
            "Say for how many days the token is valid: 1 to 3660.", color="warning", id="account-token-error"
        )
    AuditLog(services().store).record(name, "user.token_own", "user", name, {"label": label, "days": days})
    return dbc.Alert(
        [
            html.Div("Your new token. Copy it now: it is not shown again.", className="mb-1"),
            html.Code(token, id=ids.ACCOUNT_TOKEN_NEW, className="user-select-all text-break"),
            dcc.Clipboard(target_id=ids.ACCOUNT_TOKEN_NEW, title="Copy token", className="d-inline ms-2"),
        ],
        color="success",
        id="account-token-done",
    )


@callback(
    Output(ids.ACCOUNT_TOKEN_ALERT, "children"),
    Output(ids.ACCOUNT_TOKENS, "children"),
    Input(ids.ACCOUNT_TOKEN_CREATE, "n_clicks"),
    Input({"type": ids.ACCOUNT_TOKEN_REVOKE, "token": ALL}, "n_clicks"),
    State(ids.ACCOUNT_TOKEN_LABEL, "value"),
    State(ids.ACCOUNT_TOKEN_DAYS, "value"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_account_tokens(_create, _revokes, label, days):
    """Create a token, or revoke the one whose button was pressed (only ever the user's own)."""
    name = flask_login.current_user.name
    if not ctx.triggered or not ctx.triggered[0]["value"]:  # a Revoke button drawn, not pressed
        return no_update, no_update
    if ctx.triggered_id == ids.ACCOUNT_TOKEN_CREATE:
        alert = _new_token_alert(name, (label or "").strip(), days)
    else:
        token_id = ctx.triggered_id["token"]
        if services().accounts.revoke_token(name, token_id):
            AuditLog(services().store).record(name, "user.token_revoke_own", "user", name, {"token": token_id})
            alert = dbc.Alert("Token revoked: requests that send it are refused from now on.", color="success")
        else:
            alert = dbc.Alert("No such token of yours (revoked already?).", color="warning")
    return alert, tokens_table(name)
