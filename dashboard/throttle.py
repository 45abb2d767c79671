"""Login throttling, counted in the store (so it holds across workers) and atomically.

Each attempt is counted before the checks, so parallel attempts see each other:
at most the limit of them ever reach the password check. Three counters, in a
window of ``LOGIN_WINDOW_SECONDS``:

- per client address (``LOGIN_MAX_FAILURES_PER_IP``): the address is refused;
- per user name and client address (``LOGIN_MAX_FAILURES_PER_USER``): that client is
  refused for that user;
- per user name, from every address: beyond ``LOGIN_MAX_FAILURES_PER_USER`` a client
  that already failed for this user may try only once every
  ``LOGIN_SLOWDOWN_SECONDS``. A client with no failures for the user is never
  slowed, so wrong guesses from elsewhere never lock out the right password.

The client address is the one the server sees, or the one the trusted proxies
report (``TRUSTED_PROXIES``, see :func:`init_proxies`).
"""

import time

import flask
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.services import services

__all__ = ["Attempt", "init_proxies"]


class Attempt:
    """One login attempt of ``name`` from ``address``, counted as a failure until it succeeds."""

    def __init__(self, name: str, address: str):
        self.keys = {"ip": f"ip:{address}", "pair": f"user:{name}|ip:{address}", "user": f"user:{name}"}
        self.config, self.accounts = flask.current_app.config, services().accounts
        self.ids = self.accounts.record_failure(*self.keys.values())

    def refusal(self) -> str | None:
        """Why this attempt must not be tried, or None; a refused attempt is not counted."""
        config, now = self.config, time.time()
        window, limit = config["LOGIN_WINDOW_SECONDS"], config["LOGIN_MAX_FAILURES_PER_USER"]
        for key, most, who in (
            ("ip", config["LOGIN_MAX_FAILURES_PER_IP"], "your address"),
            ("pair", limit, "this user from your address"),
        ):
            count, oldest = self.accounts.failures_since(self.keys[key], now - window)
            if count > most:
                return self._refuse(f"Too many failed logins for {who}. Try again in {_minutes(oldest, window)}.")
        user_failures, _ = self.accounts.failures_since(self.keys["user"], now - window)
        earlier, _ = self.accounts.failures_since(self.keys["pair"], now - window)
        if user_failures > limit and earlier > 1:
            pause = config["LOGIN_SLOWDOWN_SECONDS"]
            recent, _ = self.accounts.failures_since(self.keys["user"], now - pause)
            if recent > 1:
                return self._refuse(f"Too many failed logins for this user. Wait {pause} seconds between tries.")
        return None

    def _refuse(self, message: str) -> str:
        self.accounts.forget_failures(self.ids)
        return message

    def succeeded(self) -> None:
        """The password was right: this attempt and this client's failures for the user no longer count."""
        self.accounts.forget_failures(self.ids)
        self.accounts.clear_failures(self.keys["pair"])
        self.accounts.prune_failures(time.time() - self.config["LOGIN_WINDOW_SECONDS"])


def _minutes(oldest: int | None, window: int) -> str:
    minutes = max(1, round(((oldest or time.time()) + window - time.time()) / 60))
    return f"{minutes} minute(s)"


def init_proxies(server: flask.Flask) -> None:
    """Trust ``X-Forwarded-For`` / ``-Proto`` from ``TRUSTED_PROXIES`` proxies in front (0: none)."""
    hops = int(server.config["TRUSTED_PROXIES"])
    if hops > 0:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops)
