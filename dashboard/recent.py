"""This user's recent investigations, kept in their signed session cookie (so every worker sees them)."""

import flask
import flask_login

__all__ = ["RECENT", "recent", "remember"]

RECENT = 8
"""How many recent investigations are kept."""


def _key() -> str:
    user = flask_login.current_user
    return f"recent:{getattr(user, 'name', '')}"


def remember(chain: str, address: str) -> None:
    """Put ``(chain, address)`` first in the list of this user's recent investigations."""
    entry = [str(chain), address]
    kept = [e for e in flask.session.get(_key(), []) if e != entry]
    flask.session[_key()] = [entry, *kept][:RECENT]


def recent() -> list[tuple[str, str]]:
    """This user's recent investigations, newest first: ``[(chain, address), ...]``."""
    return [tuple(e) for e in flask.session.get(_key(), [])]
