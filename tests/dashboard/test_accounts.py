"""Users, API tokens and failed-login counts in the store (tracing.accounts) and the `users` CLI."""

import pytest

from tracing.accounts import AccountError, Accounts, hash_password, verify_password
from tracing.cli import main as cli_main


@pytest.fixture
def accounts(store) -> Accounts:
    return Accounts(store)


def test_password_hashes_are_salted_and_verify(accounts):
    first, second = hash_password("a long password"), hash_password("a long password")
    assert first != second
    assert verify_password("a long password", first)
    assert not verify_password("a long passworD", first)
    assert not verify_password("a long password", "garbage")


def test_users_authenticate_with_their_password_only(accounts):
    accounts.add_user("ana", "ana's password", "viewer")
    assert accounts.authenticate("ana", "ana's password").role == "viewer"
    assert accounts.authenticate("ana", "wrong password") is None
    assert accounts.authenticate("nobody", "ana's password") is None


@pytest.mark.parametrize(
    ("name", "password", "role", "message"),
    [
        ("bo", "short", "viewer", "at least 10"),
        ("bo", "long enough password", "boss", "unknown role"),
        ("", "long enough password", "viewer", "1 to 80"),
    ],
)
def test_bad_users_are_refused(accounts, name, password, role, message):
    with pytest.raises(AccountError, match=message):
        accounts.add_user(name, password, role)


def test_names_are_unique(accounts):
    accounts.add_user("cy", "first password", "viewer")
    with pytest.raises(AccountError, match="already exists"):
        accounts.add_user("cy", "second password", "admin")


def test_ensure_admin_creates_one_admin_once(accounts):
    password = accounts.ensure_admin()
    assert len(password) >= 12
    assert accounts.authenticate("admin", password).role == "admin"
    assert accounts.ensure_admin() is None
    assert accounts.count_users() == 1


def test_tokens_are_stored_hashed_and_revocable(accounts, store):
    accounts.add_user("di", "di's password", "investigator")
    token = accounts.new_token("di")
    assert accounts.user_for_token(token).name == "di"
    with store.engine.connect() as conn:
        assert token not in str(conn.exec_driver_sql("select * from api_tokens").all())
    assert accounts.revoke_tokens("di") == 1
    assert accounts.user_for_token(token) is None


def test_failures_count_within_the_window(accounts):
    accounts.record_failure("user:x", "ip:1", now=1000)
    accounts.record_failure("user:x", now=2000)
    assert accounts.failures_since("user:x", 1500) == (1, 2000)
    assert accounts.failures_since("user:x", 0) == (2, 1000)
    accounts.prune_failures(1500)
    assert accounts.failures_since("ip:1", 0) == (0, None)
    accounts.clear_failures("user:x")
    assert accounts.failures_since("user:x", 0) == (0, None)


def test_users_cli_adds_changes_and_issues_tokens(store, monkeypatch, capsys):
    url = store.url
    monkeypatch.setenv("TRACING_PASSWORD", "first password")
    assert cli_main(["--database", url, "users", "add", "eve", "--role", "viewer"]) == 0
    monkeypatch.setenv("TRACING_PASSWORD", "second password")
    assert cli_main(["--database", url, "users", "passwd", "eve"]) == 0
    accounts = Accounts(store)
    assert accounts.authenticate("eve", "second password").role == "viewer"
    capsys.readouterr()
    assert cli_main(["--database", url, "users", "token", "eve"]) == 0
    token = capsys.readouterr().out.split()[-1]
    assert accounts.user_for_token(token).name == "eve"
    assert cli_main(["--database", url, "users", "revoke-tokens", "eve"]) == 0
    assert accounts.user_for_token(token) is None
    assert cli_main(["--database", url, "users", "token", "nobody"]) == 2
