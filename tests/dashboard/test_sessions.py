"""Sessions end: on logout, a password change, revoked tokens, "sign out everywhere", idleness and age."""

import time

import pytest
import sqlalchemy as sa
from dashboard_helpers import login, logout

from tracing.store.schema import web_sessions


def sessions_of(services, user):
    """An UPDATE of the web sessions of ``user``."""
    return web_sessions.update().where(web_sessions.c.user_id == services.accounts.by_name(user[0]).id)


def stolen_copy(app, client):
    """Another browser holding a copy of ``client``'s session cookie (saved, or stolen)."""
    thief = app.server.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_saved_cookie_dies_with_logout(app, logged_in):
    copy = stolen_copy(app, logged_in)
    assert copy.get("/_dash-layout").status_code == 200
    logout(logged_in)
    assert copy.get("/_dash-layout").status_code == 401  # it worked for 31 days


@pytest.mark.parametrize(
    "end",
    [
        lambda accounts, name: accounts.set_password(name, "a new password 123"),
        lambda accounts, name: accounts.revoke_tokens(name),
        lambda accounts, name: accounts.sign_out_everywhere(name),
    ],
    ids=["passwd", "revoke-tokens", "sign-out"],
)
def test_account_changes_end_every_session(app, services, client, user, end):
    login(client, *user)
    other = app.server.test_client()
    login(other, *user)
    assert client.get("/_dash-layout").status_code == 200 and other.get("/_dash-layout").status_code == 200
    end(services.accounts, user[0])
    assert client.get("/_dash-layout").status_code == 401
    assert other.get("/_dash-layout").status_code == 401
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(("column", "seconds"), [("last_seen", 3601), ("created_at", 12 * 3600 + 1)])
def test_sessions_end_when_idle_or_old(services, user, logged_in, column, seconds):
    assert logged_in.get("/_dash-layout").status_code == 200
    with services.store.engine.begin() as conn:
        conn.execute(sessions_of(services, user).values({column: int(time.time()) - seconds}))
    assert logged_in.get("/_dash-layout").status_code == 401


def test_a_session_in_use_is_not_idle(services, user, logged_in):
    with services.store.engine.begin() as conn:
        conn.execute(sessions_of(services, user).values(last_seen=int(time.time()) - 3000))
    assert logged_in.get("/_dash-layout").status_code == 200  # used: last_seen moves on
    with services.store.engine.connect() as conn:
        mine = web_sessions.c.user_id == services.accounts.by_name(user[0]).id
        assert conn.execute(sa.select(web_sessions.c.last_seen).where(mine)).scalar_one() > time.time() - 3000


def test_the_store_never_holds_the_cookie_token(services, logged_in):
    from dashboard.auth import SESSION_KEY

    with logged_in.session_transaction() as session:
        token = session[SESSION_KEY]
    with services.store.engine.connect() as conn:
        hashes = set(conn.execute(sa.select(web_sessions.c.token_hash)).scalars())
    assert token not in hashes and len(token) >= 40


def test_an_admin_signs_a_user_out_everywhere(app, services, client, user):
    import importlib

    admin_users = importlib.import_module("dashboard.pages.admin_users")  # pages load once an app exists
    login(client, *user)
    assert client.get("/_dash-layout").status_code == 200
    with app.server.test_request_context("/"):
        assert "1 session(s)" in admin_users._act("signout", user[0], "", "", "root")
    assert client.get("/_dash-layout").status_code == 401


def test_a_busy_sqlite_writer_does_not_stall_a_logged_in_page(services, user, logged_in):
    """An import holding SQLite's write lock: the page answers, and the session's last-seen time waits."""
    import sqlite3

    with services.store.engine.begin() as conn:
        conn.execute(sessions_of(services, user).values(last_seen=int(time.time()) - 3000))
    importer = sqlite3.connect(services.store.url.removeprefix("sqlite:///"), isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")  # what a long import's transaction holds
    try:
        assert logged_in.get("/_dash-layout").status_code == 200  # it waited the busy timeout, then 503
    finally:
        importer.execute("ROLLBACK")
        importer.close()
    with services.store.engine.connect() as conn:
        mine = web_sessions.c.user_id == services.accounts.by_name(user[0]).id
        assert conn.execute(sa.select(web_sessions.c.last_seen).where(mine)).scalar_one() < time.time() - 2900
    assert logged_in.get("/_dash-layout").status_code == 200  # the lock gone, last_seen moves on
    with services.store.engine.connect() as conn:
        assert conn.execute(sa.select(web_sessions.c.last_seen).where(mine)).scalar_one() > time.time() - 3000
