"""API tokens: a name, an expiry, a last-used time; ``Bearer`` in any case; easy passwords refused."""

import time

import pytest
import sqlalchemy as sa
from dashboard_helpers import THIEF

from tracing.accounts import AccountError
from tracing.cli import main
from tracing.store.schema import api_tokens


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_the_bearer_scheme_is_case_insensitive(client, services, user, scheme):
    token = services.accounts.new_token(user[0], "ci")
    answer = client.post("/api/score", json={"address": THIEF}, headers={"Authorization": f"{scheme}  {token}"})
    assert answer.status_code == 200


def test_tokens_carry_a_name_an_expiry_and_the_last_use(client, services, user):
    token = services.accounts.new_token(user[0], "nightly screening", days=30)
    [row] = services.accounts.tokens(user[0])
    assert row["name"] == "nightly screening" and row["last_used"] is None
    assert abs(row["expires"] - (row["created"] + 30 * 86400)) <= 1
    client.post("/api/score", json={"address": THIEF}, headers={"Authorization": f"Bearer {token}"})
    assert services.accounts.tokens(user[0])[0]["last_used"] >= row["created"]


def test_an_expired_token_is_refused(client, services, user):
    token = services.accounts.new_token(user[0], "old")
    with services.store.engine.begin() as conn:
        conn.execute(api_tokens.update().where(api_tokens.c.name == "old").values(expires_at=int(time.time()) - 1))
    answer = client.post("/api/score", json={"address": THIEF}, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "1234567890", "Password123", "qwertyuiop"])
def test_easy_passwords_are_refused(services, password):
    with pytest.raises(AccountError, match="too easy to guess"):
        services.accounts.add_user(f"easy{time.time_ns()}", password)


def test_cli_lists_tokens_and_signs_out(tmp_path, monkeypatch, capsys):
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TRACING_PASSWORD", "a long enough passphrase")
    assert main(["--database", database, "users", "add", "carol"]) == 0
    assert main(["--database", database, "users", "token", "carol", "--label", "ci", "--days", "7"]) == 0
    assert main(["--database", database, "users", "tokens", "carol"]) == 0
    assert main(["--database", database, "users", "sign-out", "carol"]) == 0
    out = capsys.readouterr().out
    assert "ci: created " in out and "last_used never" in out and "0 session(s) of 'carol' ended" in out
    with sa.create_engine(database).connect() as conn:
        assert conn.execute(sa.select(api_tokens.c.expires_at - api_tokens.c.created_at)).scalar_one() == 7 * 86400
