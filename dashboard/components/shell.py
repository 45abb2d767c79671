"""The frame around every page: the navigation bar with the user and the logout button."""

import dash
import dash_bootstrap_components as dbc
import flask_login
from dash import Input, Output, State, clientside_callback, dcc, html
from flask_wtf.csrf import generate_csrf

__all__ = ["shell"]

clientside_callback(
    "function(n, open) { return n ? !open : open; }",
    Output("shell-collapse", "is_open"),
    Input("shell-toggler", "n_clicks"),
    State("shell-collapse", "is_open"),
    prevent_initial_call=True,
)


def _user_menu():
    user = flask_login.current_user
    if not getattr(user, "is_authenticated", False):
        return None
    return html.Div(
        [
            html.Span([user.name, dbc.Badge(user.role, color="light", text_color="primary", className="ms-2")]),
            html.Form(
                [
                    dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
                    dbc.Button("Log out", type="submit", color="light", outline=True, size="sm", id="shell-logout"),
                ],
                action="/logout",
                method="post",
                className="ms-3 mb-0",
            ),
        ],
        className="d-flex align-items-center text-white small",
    )


def _case_links() -> list:
    """Cases and the account for everyone logged in; users and the audit log for admins."""
    user = flask_login.current_user
    if not getattr(user, "is_authenticated", False):
        return []
    links = [("Cases", "/cases"), ("Labels", "/labels"), ("Market", "/market"), ("Account", "/account")]
    if user.role == "admin":
        links += [("Users", "/admin/users"), ("Audit log", "/admin/audit")]
    return [dbc.NavItem(dbc.NavLink(label, href=href)) for label, href in links]


def shell() -> html.Div:
    """Navigation bar, then the current page (built per request: it shows who is logged in)."""
    return html.Div(
        [
            dbc.Navbar(
                dbc.Container(
                    [
                        dbc.NavbarBrand("Tracing", href="/", className="fw-bold"),
                        dbc.NavbarToggler(id="shell-toggler", n_clicks=0),  # phones: the links fold behind it
                        dbc.Collapse(
                            [
                                dbc.Nav(
                                    [dbc.NavItem(dbc.NavLink("Home", href="/")), *_case_links()],
                                    navbar=True,
                                    className="me-auto",
                                ),
                                _user_menu(),
                            ],
                            id="shell-collapse",
                            navbar=True,
                            is_open=False,
                        ),
                    ],
                    fluid=True,
                ),
                color="primary",
                dark=True,
                expand="lg",
                className="mb-3 py-2",
            ),
            dbc.Container(dash.page_container, fluid=True, className="pb-5 page-container"),
        ]
    )
