"""A database outage: the API answers 503 JSON, pages say so, and the app recovers by itself."""

import contextlib
import importlib
import secrets
import socket
import threading
import uuid
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from dashboard_helpers import THIEF, login

from dashboard import create_app
from tests.conftest import PG_URL, skip_or_fail
from tracing.errors import StoreUnavailable


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the database; ``stop`` cuts every connection, ``start`` serves again."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream, self.port, self._sockets = upstream, 0, []

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port, self._sockets = listener.getsockname()[1], [listener]
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self._sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, target) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for s in (source, target):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        for s in self._sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        self._sockets = []


@pytest.fixture
def proxied_app(tmp_path):
    """An app on a fresh PostgreSQL schema reached through a proxy the test can cut."""
    engine = sa.create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            schema = f"t_{uuid.uuid4().hex[:12]}"
            conn.execute(sa.text(f"create schema {schema}"))
    except Exception as err:  # any connection failure means: no server here
        skip_or_fail(f"no PostgreSQL at {PG_URL}: {type(err).__name__}")
    url = urlsplit(PG_URL)
    proxy = TcpProxy((url.hostname, url.port or 5432))
    proxy.start()
    proxied = PG_URL.replace(f":{url.port or 5432}/", f":{proxy.port}/")
    password = secrets.token_urlsafe(12)
    app = create_app(
        {
            "DATABASE_URL": f"{proxied}?options=-csearch_path%3D{schema}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "ADMIN_PASSWORD": password,
        }
    )
    yield app, proxy, password
    proxy.stop()
    app.server.extensions["tracing"].store.close()
    with engine.begin() as conn:
        conn.execute(sa.text(f"drop schema {schema} cascade"))
    engine.dispose()


@pytest.mark.postgres
def test_an_outage_answers_503_and_the_app_recovers(proxied_app):
    app, proxy, password = proxied_app
    client = app.server.test_client()
    assert login(client, "admin", password).status_code == 302
    token = app.server.extensions["tracing"].accounts.new_token("admin")
    assert client.post("/api/score", json={"address": THIEF}).status_code == 200

    proxy.stop()
    answer = client.post("/api/score", json={"address": THIEF})
    assert answer.status_code == 503
    assert answer.get_json()["error"] == "StoreUnavailable"
    assert "try again" in answer.get_json()["message"]
    bearer = client.post("/api/score", json={"address": THIEF}, headers={"Authorization": f"Bearer {token}"})
    assert bearer.status_code == 503 and bearer.is_json
    page = client.get(f"/address/tron/{THIEF}")
    assert page.status_code == 503
    assert "database is not answering" in page.get_data(as_text=True)

    proxy.start()  # the same port again: no restart of the app
    assert client.post("/api/score", json={"address": THIEF}).status_code == 200
    assert client.get(f"/address/tron/{THIEF}").status_code == 200


def test_a_page_callback_shows_an_outage_as_an_alert(app, services, monkeypatch):
    address = importlib.import_module("dashboard.pages.address")  # pages register once an app exists

    def fail(*_args, **_kwargs):
        raise StoreUnavailable("the database is not answering (connection refused); try again in a moment")

    monkeypatch.setattr(services, "investigate", fail)
    request = {"chain": "tron", "address": THIEF, "params": {}}
    with app.server.test_request_context("/"):
        alert = address.callback_address_results(request)[0]
    assert alert.color == "danger"
    assert "database is not answering" in alert.children
