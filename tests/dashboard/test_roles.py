"""Roles, by enumeration: every page, callback and API route for a viewer, an investigator and an admin.

New routes, callbacks and pages are picked up from the running app, so they are
checked here as soon as they exist; a piece that declares no role needs
``investigator``.
"""

import inspect
import json
import re
import secrets

import dash
import flask
import pytest
from dashboard_helpers import THIEF, login
from test_auth import PUBLIC_ENDPOINTS, routes

from dashboard import roles

ROLES = ("viewer", "investigator", "admin")
SAMPLE = {"chain": "tron", "address": THIEF, "case_id": "999999"}


@pytest.fixture
def as_role(app, services):
    """A function: a client logged in with a fresh user of the given role."""

    def make(role: str):
        client = app.server.test_client()
        client.environ_base["REMOTE_ADDR"] = f"203.0.113.{secrets.randbelow(250)}"
        name, password = f"{role}-{secrets.token_hex(4)}", secrets.token_urlsafe(12)
        services.accounts.add_user(name, password, role)
        assert login(client, name, password).status_code == 302
        return client

    return make


def page_paths():
    """(path, required role) of every registered page, its variables filled with sample values."""
    for page in dash.page_registry.values():
        template = page.get("path_template") or page["path"]
        path = re.sub(r"<([^<>]+)>", lambda m: SAMPLE[m.group(1)], template)
        yield path, page.get("required_role", roles.DEFAULT_ROLE)


def callback_outputs(app):
    """Every callback's output key, as the browser names it in ``/_dash-update-component``."""
    app.server.test_client().get("/login")  # Dash moves the callbacks into its map on the first request
    server_side = (key for key, entry in app.callback_map.items() if "callback" in entry)
    return sorted(key for key in server_side if roles.ROUTER_OUTPUT not in key)


def router_body(path: str) -> dict:
    """The body the browser posts to render the page at ``path``."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": ""},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def test_declared_roles_of_todays_routes(app):
    """The read-only views are the viewer's; anything undeclared needs an investigator."""
    assert {("/", "viewer"), (f"/address/tron/{THIEF}", "viewer")} <= set(page_paths())
    with app.server.test_request_context("/api/score", method="POST"):
        assert roles.required_role(app, flask.request) == "viewer"
    assert roles._role_of(lambda: None) == roles.DEFAULT_ROLE == "investigator"
    with pytest.raises(ValueError, match="unknown role"):
        roles.requires("superuser")


@pytest.mark.parametrize("role", ROLES)
def test_every_route_is_gated_by_role(app, as_role, role):
    client = as_role(role)
    checked = 0
    for path, method, endpoint in routes(app):
        if endpoint in PUBLIC_ENDPOINTS or endpoint == roles.UPDATE_PATH or "component-suites" in path:
            continue
        with app.server.test_request_context(path, method=method, json={} if method == "POST" else None):
            needed = roles.required_role(app, flask.request)
        answer = client.open(path, method=method, json={} if method == "POST" else None)
        if roles.may(role, needed):
            assert answer.status_code not in (401, 403), (role, method, path)
        else:
            assert answer.status_code == 403, (role, method, path)
            if path.startswith(("/api/", "/_")):
                assert answer.get_json()["error"] == "Forbidden"
        checked += 1
    assert checked >= 8


@pytest.mark.parametrize("role", ROLES)
def test_every_callback_is_gated_by_role(app, as_role, role):
    client = as_role(role)
    outputs = callback_outputs(app)
    assert len(outputs) >= 8
    for output in outputs:
        needed = roles._role_of(app.callback_map[output]["callback"])
        if roles.may(role, needed):
            continue  # the page tests run these with real inputs
        body = {"output": output, "outputs": [], "inputs": [], "state": [], "changedPropIds": []}
        answer = client.post(roles.UPDATE_PATH, data=json.dumps(body), content_type="application/json")
        assert answer.status_code == 403, (role, output)
        assert "needs the role" in answer.get_json()["message"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_gated_by_role(app, as_role, role):
    client = as_role(role)
    for path, needed in page_paths():
        answer = client.get(path)
        rendered = client.post(roles.UPDATE_PATH, json=router_body(path))
        assert rendered.status_code == 200, path
        refused_alert = "role-refused" in rendered.get_data(as_text=True)
        if roles.may(role, needed):
            assert answer.status_code == 200 and not refused_alert, (role, path)
        else:
            assert answer.status_code == 403 and refused_alert, (role, path)


def test_a_page_for_investigators_refuses_a_viewer(app, as_role, monkeypatch):
    """The page guard itself: raise the address page's role, and a viewer is refused it."""
    page = next(p for p in dash.page_registry.values() if p["module"].endswith(".address"))
    monkeypatch.setitem(page, "required_role", "investigator")
    path = f"/address/tron/{THIEF}"
    viewer, investigator = as_role("viewer"), as_role("investigator")
    assert viewer.get(path).status_code == 403
    assert "role-refused" in viewer.post(roles.UPDATE_PATH, json=router_body(path)).get_data(as_text=True)
    assert investigator.get(path).status_code == 200
    assert "role-refused" not in investigator.post(roles.UPDATE_PATH, json=router_body(path)).get_data(as_text=True)


def test_a_callback_for_investigators_refuses_a_viewer(app, as_role, monkeypatch):
    """The callback guard itself: an undeclared callback needs an investigator."""
    output = next(key for key in callback_outputs(app) if ".invalid" in key)
    func = app.callback_map[output]["callback"]
    for layer in (func, inspect.unwrap(func)):  # Dash's wrapper copied the mark
        monkeypatch.delattr(layer, "required_role")
    body = {"output": output, "outputs": [], "inputs": [], "state": [], "changedPropIds": []}
    answer = as_role("viewer").post(roles.UPDATE_PATH, json=body)
    assert answer.status_code == 403
    assert "needs the role investigator; you are viewer" in answer.get_json()["message"]


def test_a_viewer_reads_the_api(as_role):
    answer = as_role("viewer").post("/api/score", json={"address": THIEF})
    assert answer.status_code == 200
    assert 0 <= answer.get_json()["final_score"] <= 100
