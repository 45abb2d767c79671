"""Login, logout, throttling, CSRF, and the refusal of anonymous requests on every route."""

import re

import pytest
from dashboard_helpers import THIEF, csrf_token, login, logout

PUBLIC_ENDPOINTS = {"auth.login", "auth.logout", "_dash_assets.static", "cases.shared"}
SAMPLE_VALUES = {
    "path": "address/tron/" + THIEF,
    "package_name": "dash",
    "fingerprinted_path": "dash.js",
    "filename": "app.css",
    "case_id": "999999",
    "fmt": "txt",  # refused at once: the enumeration does not build reports
    "chain": "tron",
    "address": THIEF,
}


def concrete_path(rule) -> str:
    """A URL of the rule, its variables filled with sample values."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: SAMPLE_VALUES[m.group(1)], rule.rule)


def routes(app):
    """Every (path, method, endpoint) the server answers, HEAD and OPTIONS aside."""
    for rule in app.server.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield concrete_path(rule), method, rule.endpoint


def test_the_route_list_covers_pages_callbacks_and_api(app):
    paths = {path for path, _, _ in routes(app)}
    assert {"/", "/_dash-update-component", "/_dash-layout", "/_dash-dependencies", "/api/score"} <= paths


def test_every_route_refuses_anonymous_requests(app, client):
    checked = 0
    for path, method, endpoint in routes(app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        answer = client.open(path, method=method, json={} if method == "POST" else None)
        if path.startswith(("/api/", "/_")) or method != "GET":
            assert answer.status_code == 401, (method, path)
            assert answer.get_json()["error"] == "Unauthorized", path
        else:
            assert answer.status_code == 302, (method, path)
            assert answer.headers["Location"].startswith("/login?next=/"), path
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("path", ["/", "/address/tron/" + THIEF + "?maximum_threshold=2", "/no/such/page"])
def test_pages_redirect_to_login_and_back(client, user, path):
    answer = client.get(path)
    assert answer.status_code == 302
    target = answer.headers["Location"].split("next=", 1)[1]
    assert login(client, *user, next_path=target).headers["Location"] == path


def test_logged_in_users_reach_every_route(app, logged_in):
    for path, method, endpoint in routes(app):
        if method == "GET" and endpoint not in PUBLIC_ENDPOINTS and "component-suites" not in path:
            assert logged_in.get(path).status_code not in (302, 401), path


def test_session_cookie_is_httponly_and_samesite(client, user):
    answer = login(client, *user)
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_wrong_password_is_refused_with_a_message(client, user):
    answer = login(client, user[0], "not the password")
    assert answer.status_code == 401
    assert "wrong password" in answer.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 401


def test_login_without_csrf_token_is_refused(client, user):
    answer = client.post("/login", data={"name": user[0], "password": user[1]})
    assert answer.status_code == 400
    assert client.get("/_dash-layout").status_code == 401


def test_failed_logins_are_throttled_per_user(app, client, user):
    limit = app.server.config["LOGIN_MAX_FAILURES_PER_USER"]
    for _ in range(limit):
        assert login(client, user[0], "wrong password!").status_code == 401
    answer = login(client, *user)  # even the right password waits now
    assert answer.status_code == 429
    assert "Too many failed logins for this user" in answer.get_data(as_text=True)


def test_failed_logins_are_throttled_per_address(app, client, user):
    for k in range(app.server.config["LOGIN_MAX_FAILURES_PER_IP"]):
        login(client, f"guess{k}", "wrong password!")
    answer = login(client, *user)
    assert answer.status_code == 429
    assert "for your address" in answer.get_data(as_text=True)


def test_a_good_login_clears_the_users_failures(app, client, user):
    for _ in range(app.server.config["LOGIN_MAX_FAILURES_PER_USER"] - 1):
        login(client, user[0], "wrong password!")
    assert login(client, *user).status_code == 302
    logout(client)
    assert login(client, user[0], "wrong password!").status_code == 401  # counting starts again


def test_logout_ends_the_session(logged_in):
    assert logged_in.get("/_dash-layout").status_code == 200
    logged_in.get("/logout")  # a link planted elsewhere cannot log anyone out
    assert logged_in.post("/logout").status_code == 400  # nor can a form without this site's token
    assert logged_in.get("/_dash-layout").status_code == 200
    assert logout(logged_in).headers["Location"] == "/login"
    assert logged_in.get("/_dash-layout").status_code == 401
    assert logged_in.get("/").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_login_never_redirects_to_another_site(client, user, target):
    assert login(client, *user, next_path=target).headers["Location"] == "/"


def test_login_form_carries_a_csrf_token(client):
    assert len(csrf_token(client)) > 20
