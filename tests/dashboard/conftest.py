"""Fixtures of the dashboard tests: one app on a temporary database for the whole session.

Dash binds page callbacks to the first app that serves a request, so the tests
share one app; each test gets its own client, client address and users.
"""

import itertools
import secrets

import pytest
from dashboard_helpers import login

from dashboard import background, create_app
from dashboard.services import Services

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The dashboard on a temporary SQLite database holding the demo world."""
    folder = tmp_path_factory.mktemp("dashboard")
    return create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'test.db'}",
            "INSTANCE_PATH": str(folder / "instance"),
            "ADMIN_PASSWORD": secrets.token_urlsafe(16),
        }
    )


@pytest.fixture
def services(app) -> Services:
    """The app's store and accounts."""
    return app.server.extensions["tracing"]


@pytest.fixture
def jobs(app, services, monkeypatch):
    """``jobs(settings)``: the background jobs' settings, the jobs pointed at this app's store.

    Jobs run outside requests and read :data:`dashboard.background.JOBS`, which the
    newest ``create_app`` sets: a test that built its own app would send them elsewhere.
    """
    monkeypatch.setattr(background.JOBS, "database_url", services.store.url)
    monkeypatch.setattr(background.JOBS, "secret_key", app.server.config["SECRET_KEY"])

    def use(settings) -> None:
        monkeypatch.setattr(background.JOBS, "settings", settings)

    return use


@pytest.fixture
def client(app):
    """A test client with an address of its own, so throttling in one test does not leak into another."""
    client = app.server.test_client()
    n = next(_counter)
    client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n % 250}" if n < 250 else f"198.51.100.{n % 250}"
    return client


@pytest.fixture
def user(services):
    """A fresh investigator: ``(name, password)``."""
    name, password = f"user{next(_counter)}", secrets.token_urlsafe(12)
    services.accounts.add_user(name, password, "investigator")
    return name, password


@pytest.fixture
def logged_in(client, user):
    """A client with a logged-in session."""
    answer = login(client, *user)
    assert answer.status_code == 302
    return client
