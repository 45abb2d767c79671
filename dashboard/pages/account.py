"""Every user's own account: change the password (the current one is asked again)."""

import dash
import dash_bootstrap_components as dbc
import flask_login
from dash import Input, Output, State, callback, html

from dashboard import ids
from dashboard.roles import requires
from dashboard.services import services
from tracing.accounts import AccountError
from tracing.audit import AuditLog

dash.register_page(__name__, required_role="viewer", path="/account", title="Account · Tracing", name="Account")


def layout(**_query) -> html.Div:
    """The password form."""
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
