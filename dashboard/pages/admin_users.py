"""Admin: users, roles, password resets and API-token revocation, each audit-logged."""

import dash
import dash_bootstrap_components as dbc
import flask_login
from dash import ALL, Input, Output, State, callback, ctx, html, no_update

from dashboard import ids
from dashboard.roles import requires
from dashboard.services import services
from tracing.accounts import ROLES, AccountError
from tracing.audit import AuditLog

dash.register_page(__name__, required_role="admin", path="/admin/users", title="Users · Tracing", name="Users")

ACTIONS = {
    "add": "Add user",
    "role": "Set role",
    "passwd": "Reset password",
    "revoke": "Revoke API tokens",
    "signout": "Sign out everywhere",
}


def users_table() -> dbc.Table:
    """Every user with their role."""
    rows = [html.Tr([html.Td(u.name), html.Td(u.role)]) for u in services().accounts.list_users()]
    return dbc.Table(
        [html.Thead(html.Tr([html.Th("user"), html.Th("role")])), html.Tbody(rows)],
        size="sm",
        id=ids.ADMIN_USERS_TABLE,
        className="small",
    )


def layout(**_query) -> html.Div:
    """The users and one form for every action on them."""
    form = dbc.Card(
        dbc.CardBody(
            [
                dbc.Input(id=ids.ADMIN_USER_NAME, placeholder="user name", className="mb-2"),
                dbc.Select(id=ids.ADMIN_USER_ROLE, options=list(ROLES), value="investigator", className="mb-2"),
                dbc.Input(
                    id=ids.ADMIN_USER_PASSWORD,
                    type="password",
                    placeholder="password (add, reset)",
                    className="mb-2",
                    autoComplete="new-password",
                ),
                html.Div(
                    [
                        dbc.Button(
                            label,
                            id={"type": ids.ADMIN_USER_ACTION, "action": key},
                            size="sm",
                            className="me-2 mb-1",
                            color="danger" if key in ("revoke", "signout") else "primary",
                        )
                        for key, label in ACTIONS.items()
                    ]
                ),
            ]
        )
    )
    return html.Div(
        [
            html.H1("Users", className="h3"),
            html.Div(id=ids.ADMIN_USERS_ALERT),
            dbc.Row([dbc.Col(html.Div(users_table(), id="admin-users-list"), md=6), dbc.Col(form, md=6)]),
        ]
    )


def _act(action: str, name: str, role: str, password: str, admin: str) -> str:
    accounts = services().accounts
    if action == "add":
        accounts.add_user(name, password, role)
        detail, message = {"role": role}, f"User {name!r} created ({role})."
    elif action == "role":
        accounts.set_role(name, role)
        detail, message = {"role": role}, f"{name!r} is now {role}."
    elif action == "passwd":
        accounts.set_password(name, password)
        detail, message = {}, f"Password of {name!r} reset."
    elif action == "signout":
        count = accounts.sign_out_everywhere(name)
        detail, message = {"sessions": count}, f"{count} session(s) of {name!r} ended."
    else:
        count = accounts.revoke_tokens(name)
        detail, message = {"tokens": count}, f"{count} API token(s) of {name!r} revoked."
    AuditLog(services().store).record(admin, f"user.{action}", "user", name, detail)
    return message


@callback(
    Output(ids.ADMIN_USERS_ALERT, "children"),
    Output("admin-users-list", "children"),
    Input({"type": ids.ADMIN_USER_ACTION, "action": ALL}, "n_clicks"),
    State(ids.ADMIN_USER_NAME, "value"),
    State(ids.ADMIN_USER_ROLE, "value"),
    State(ids.ADMIN_USER_PASSWORD, "value"),
    prevent_initial_call=True,
)
@requires("admin")
def callback_admin_users(_clicks, name, role, password):
    """Carry out the pressed action on the named user."""
    if not isinstance(ctx.triggered_id, dict):
        return no_update, no_update
    try:
        message = _act(
            ctx.triggered_id["action"], (name or "").strip(), role, password or "", flask_login.current_user.name
        )
    except AccountError as err:
        return dbc.Alert(str(err), color="warning", id="admin-users-error"), no_update
    return dbc.Alert(message, color="success", id="admin-users-done"), users_table()
