"""Roles: one mechanism that gates every page, Dash callback and API route by the user's role.

Roles rank ``viewer`` < ``investigator`` < ``admin``; a user may do what their role
and every lower role may. What each role is for:

- ``viewer``: read only: open the pages, score and trace what the store holds, export it;
- ``investigator``: change what the store holds: import, fetch, label, cases and notes;
- ``admin``: users and settings.

Declare the role a piece of the app needs where it is defined:

- a Flask view (API route): ``@requires("viewer")`` under the route decorator;
- a Dash callback: ``@requires("viewer")`` under ``@callback(...)`` (just above ``def``);
- a page: ``dash.register_page(__name__, ..., required_role="viewer")``.

Anything that declares nothing needs :data:`DEFAULT_ROLE` (``investigator``), so a
new feature is never open to viewers by accident. Dash's own plumbing
(``/_dash-layout``, scripts ...) is open to every logged-in user. The guard runs
before every request, after the refusal of anonymous ones (:mod:`dashboard.auth`):
a refused API route or callback answers 403 JSON; a refused page answers 403 and,
when reached by in-app navigation, shows an alert instead of its layout.
"""

import dash
import flask
import flask_login
from dash import _pages, html

from dashboard.auth import PUBLIC_ENDPOINTS
from dashboard.errors import message_page, wants_json

__all__ = ["DEFAULT_ROLE", "RANK", "actor", "init_roles", "may", "required_role", "requires"]

RANK = {"viewer": 1, "investigator": 2, "admin": 3}
DEFAULT_ROLE = "investigator"
UPDATE_PATH = "/_dash-update-component"
ROUTER_OUTPUT = "_pages_content"  # the output of Dash's page router callback


def requires(role: str):
    """Mark a Flask view or a Dash callback function as needing ``role`` (or a higher one)."""
    if role not in RANK:
        raise ValueError(f"unknown role {role!r}; expected one of: {', '.join(RANK)}")

    def mark(func):
        func.required_role = role
        return func

    return mark


def actor() -> str:
    """The signed-in user's name, for the audit log ("unknown" outside a request)."""
    return getattr(flask_login.current_user, "name", "") or "unknown"


def may(user_role: str | None, needed: str) -> bool:
    """Whether a user with ``user_role`` may use something that needs ``needed``."""
    return RANK.get(user_role or "", 0) >= RANK[needed]


def _role_of(func) -> str:
    """The role declared on a function or on any function it wraps (outermost first)."""
    while func is not None:
        if getattr(func, "required_role", None):
            return func.required_role
        func = getattr(func, "__wrapped__", None)
    return DEFAULT_ROLE


def page_role(path: str) -> str:
    """The role the page at ``path`` needs (the 404 page's when no page matches)."""
    page, _ = _pages._path_to_page(path.strip("/"))
    if not page:
        page = next((p for p in dash.page_registry.values() if p["module"].endswith("not_found_404")), {})
    return page.get("required_role", DEFAULT_ROLE)


def _callback_role(app: dash.Dash, body) -> str:
    """The role the callback a ``/_dash-update-component`` body names needs."""
    output = body.get("output") if isinstance(body, dict) else None
    if not isinstance(output, str):
        return "viewer"  # a malformed request: Dash answers it with an error and runs nothing
    if ROUTER_OUTPUT in output:
        return "viewer"  # the page router: each page's layout is guarded by the page's own role
    entry = app.callback_map.get(output) or dash._callback.GLOBAL_CALLBACK_MAP.get(output)
    func = (entry or {}).get("callback")
    return _role_of(func) if func else "viewer"  # unknown, or clientside: nothing runs on the server


def required_role(app: dash.Dash, request: flask.Request) -> str | None:
    """The role ``request`` needs, or None for a route that has no role (404, public routes)."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return None
    if endpoint == UPDATE_PATH:
        return _callback_role(app, request.get_json(silent=True))
    if endpoint in ("/", "/<path:path>"):
        return page_role(request.path)
    if endpoint.startswith("/_"):
        return "viewer"  # Dash's plumbing: layout, dependencies, scripts
    view = app.server.view_functions.get(endpoint)
    return _role_of(view) if view else None


def _refusal(needed: str, role: str | None) -> str:
    return f"This needs the role {needed}; you are {role or 'not logged in'}. Ask an admin for access."


def _guard_layout(page: dict):
    """Wrap a page's layout so a user without the page's role sees an alert instead."""
    layout = page.get("layout")

    def guarded(**kwargs):
        needed = page.get("required_role", DEFAULT_ROLE)
        role = getattr(flask_login.current_user, "role", None)
        if not may(role, needed):
            return html.Div(_refusal(needed, role), className="alert alert-warning mt-3", id="role-refused")
        return layout(**kwargs) if callable(layout) else layout

    return guarded


def init_roles(app: dash.Dash) -> None:
    """Enforce roles on ``app`` (call after the pages are registered, i.e. after ``dash.Dash(...)``)."""
    for page in dash.page_registry.values():
        if not getattr(page.get("layout"), "role_guarded", False):
            page["layout"] = _guard_layout(page)
            page["layout"].role_guarded = True

    def enforce():
        needed = required_role(app, flask.request)
        user = flask_login.current_user
        if needed is None or not user.is_authenticated or may(user.role, needed):
            return None  # anonymous requests were refused already by dashboard.auth
        message = _refusal(needed, user.role)
        if wants_json():
            return flask.jsonify({"error": "Forbidden", "message": message}), 403
        return message_page(message), 403

    app.server.before_request(enforce)
