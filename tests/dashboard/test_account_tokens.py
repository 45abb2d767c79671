"""The account page's API tokens: made and shown once, listed, used on the API, revoked one at a time."""

import json
import re

from dashboard_helpers import THIEF
from test_roles import router_body

from dashboard import ids
from tracing.audit import AuditLog

_REVOKE = {"type": ids.ACCOUNT_TOKEN_REVOKE, "token": 0}


def _press(client, trigger, *, label="nightly screening", days=30, token_ids=()):
    """Post the tokens callback as the browser does when ``trigger`` (an id) is clicked."""
    revokes = [
        {"id": {**_REVOKE, "token": t}, "property": "n_clicks", "value": 1 if trigger == t else None} for t in token_ids
    ]
    create = {"id": ids.ACCOUNT_TOKEN_CREATE, "property": "n_clicks", "value": 1 if trigger == "create" else None}
    changed = (
        ids.ACCOUNT_TOKEN_CREATE
        if trigger == "create"
        else json.dumps({**_REVOKE, "token": trigger}, separators=(",", ":"), sort_keys=True)
    )
    body = {
        "output": f"..{ids.ACCOUNT_TOKEN_ALERT}.children...{ids.ACCOUNT_TOKENS}.children..",
        "outputs": [
            {"id": ids.ACCOUNT_TOKEN_ALERT, "property": "children"},
            {"id": ids.ACCOUNT_TOKENS, "property": "children"},
        ],
        "inputs": [create, revokes],
        "state": [
            {"id": ids.ACCOUNT_TOKEN_LABEL, "property": "value", "value": label},
            {"id": ids.ACCOUNT_TOKEN_DAYS, "property": "value", "value": days},
        ],
        "changedPropIds": [f"{changed}.n_clicks"],
    }
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def _score(client, token):
    return client.post("/api/score", json={"address": THIEF}, headers={"Authorization": f"Bearer {token}"})


def test_a_token_is_shown_once_works_on_the_api_and_is_revoked_alone(app, logged_in, services, user):
    name = user[0]
    answer = _press(logged_in, "create")
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    token = re.search(r"trc_[A-Za-z0-9_-]{40,}", text).group(0)
    assert "not shown again" in text and "nightly screening" in text
    (made,) = services.accounts.tokens(name)
    assert made["name"] == "nightly screening" and 29 * 86400 < made["expires"] - made["created"] <= 30 * 86400
    page = logged_in.post("/_dash-update-component", json=router_body("/account")).get_data(as_text=True)
    assert "nightly screening" in page and "Revoke" in page and token not in page  # listed, never shown again
    api = app.server.test_client()
    assert _score(api, token).status_code == 200
    second = re.search(r"trc_[A-Za-z0-9_-]{40,}", _press(logged_in, "create", label="").get_data(as_text=True))
    assert second and second.group(0) != token
    revoked = _press(logged_in, made["id"], token_ids=[t["id"] for t in services.accounts.tokens(name)])
    assert revoked.status_code == 200 and "Token revoked" in revoked.get_data(as_text=True)
    assert _score(api, token).status_code == 401
    assert _score(api, second.group(0)).status_code == 200  # the other token, and the web session, stay
    assert logged_in.get("/account").status_code == 200
    actions = [e.action for e in AuditLog(services.store).entries(actor=name)]
    assert actions.count("user.token_own") == 2 and actions.count("user.token_revoke_own") == 1


def test_another_users_token_cannot_be_revoked_from_my_page(logged_in, services):
    services.accounts.add_user("token-owner", "owner's long password", "investigator")
    theirs = services.accounts.new_token("token-owner", "theirs")
    (row,) = services.accounts.tokens("token-owner")
    answer = _press(logged_in, row["id"], token_ids=[row["id"]])
    assert answer.status_code == 200 and "No such token of yours" in answer.get_data(as_text=True)
    assert services.accounts.user_for_token(theirs).name == "token-owner"


def test_bad_token_settings_are_refused_with_a_message(logged_in, services, user):
    for days, said in ((0, "valid 1 to 3660 days"), (99999, "valid 1 to 3660 days"), (None, "for how many days")):
        answer = _press(logged_in, "create", days=days)
        assert answer.status_code == 200 and said in answer.get_data(as_text=True), days
    assert "at most 80 characters" in _press(logged_in, "create", label="x" * 81).get_data(as_text=True)
    assert services.accounts.tokens(user[0]) == []


def test_the_tokens_callback_refuses_anonymous_requests(client):
    assert _press(client, "create").status_code in (401, 403)
