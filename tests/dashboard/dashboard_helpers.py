"""Helpers of the dashboard tests: the demo's key address and the login form as a browser fills it."""

import re

from tracing.sources.demo import build_demo

__all__ = ["THIEF", "csrf_token", "login"]

THIEF = build_demo().cast["thief"]


def csrf_token(client) -> str:
    """The CSRF token of the login form."""
    html = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def logout(client):
    """Press the navigation bar's logout button, as a browser would; return the answer."""
    return client.post("/logout", data={"csrf_token": csrf_token(client)})


def login(client, name: str, password: str, next_path: str | None = None):
    """Post the login form as a browser would; return the answer."""
    url = "/login" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"name": name, "password": password, "csrf_token": csrf_token(client)})
