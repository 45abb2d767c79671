"""Login throttling: the right password is never locked out from elsewhere, proxies are trusted as
configured, and parallel attempts are counted atomically."""

import secrets
import threading

import pytest
from dashboard_helpers import csrf_token, login

from dashboard import create_app


def test_wrong_guesses_elsewhere_never_lock_out_the_right_password(app, client, user):
    attacker = app.server.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.250"
    for _ in range(app.server.config["LOGIN_MAX_FAILURES_PER_USER"] + 3):
        attacker_answer = login(attacker, user[0], "wrong password!")
    assert attacker_answer.status_code == 429  # the attacker's client is refused...
    assert login(client, *user).status_code == 302  # ...the user, elsewhere, logs in


def test_a_user_under_attack_is_slowed_down_not_locked(app, user):
    clients = []
    for k in range(3):  # failures from three addresses, past the per-user limit in total
        c = app.server.test_client()
        c.environ_base["REMOTE_ADDR"] = f"198.18.0.{k + secrets.randbelow(200)}"
        clients.append(c)
        for _ in range(2):
            login(c, user[0], "wrong password!")
    answer = login(clients[0], user[0], "wrong password!")
    assert answer.status_code == 429
    assert "Wait 2 seconds between tries" in answer.get_data(as_text=True)


def test_parallel_attempts_are_counted_atomically(app, user):
    limit, statuses = app.server.config["LOGIN_MAX_FAILURES_PER_USER"], []
    clients = []
    for _ in range(24):
        c = app.server.test_client()
        c.environ_base["REMOTE_ADDR"] = "198.51.100.251"
        clients.append((c, csrf_token(c)))
    barrier = threading.Barrier(len(clients))

    def attempt(c, token):
        barrier.wait()
        data = {"name": user[0], "password": "wrong password!", "csrf_token": token}
        statuses.append(c.post("/login", data=data).status_code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == len(clients)
    assert statuses.count(401) <= limit  # passwords actually checked: 40 of 40 got through before
    assert statuses.count(429) >= len(clients) - limit


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """An app behind one trusted reverse proxy (no Dash pages are needed: only the login form)."""
    folder, password = tmp_path_factory.mktemp("proxied"), secrets.token_urlsafe(12)
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'p.db'}",
            "INSTANCE_PATH": str(folder / "instance"),
            "ADMIN_PASSWORD": password,
            "LOAD_DEMO": False,
            "TRUSTED_PROXIES": 1,
        }
    )
    return app


def behind_proxy(app, forwarded_for: str):
    c = app.server.test_client()
    c.environ_base.update(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)
    return c


def test_clients_behind_a_trusted_proxy_have_their_own_buckets(proxied):
    limit = proxied.server.config["LOGIN_MAX_FAILURES_PER_IP"]
    noisy = behind_proxy(proxied, "192.0.2.77")
    for k in range(limit + 1):
        answer = login(noisy, f"guess{k}", "wrong password!")
    assert answer.status_code == 429
    quiet = behind_proxy(proxied, "192.0.2.78")  # same proxy address, another client
    assert login(quiet, "guess", "wrong password!").status_code == 401


def test_forwarded_for_is_ignored_without_trusted_proxies(app, user):
    c = app.server.test_client()
    c.environ_base.update(REMOTE_ADDR="198.18.1.1", HTTP_X_FORWARDED_FOR="192.0.2.1")
    for _ in range(app.server.config["LOGIN_MAX_FAILURES_PER_USER"] + 1):
        login(c, user[0], "wrong password!")
    c.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.2"  # a spoofed header changes nothing
    assert login(c, user[0], "wrong password!").status_code == 429
