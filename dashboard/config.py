"""The web app's settings: defaults, then the environment (and ``.env``), then the caller's mapping.

``SECRET_KEY`` signs the session cookies. When neither the environment nor the
caller gives one, a random key is generated once and kept in
``instance/secret_key`` (git-ignored), so sessions survive restarts and every
gunicorn worker signs with the same key.
"""

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from dotenv import load_dotenv

__all__ = ["DEFAULTS", "load_config", "persistent_secret_key"]

DEFAULTS = {
    "DATABASE_URL": None,  # None: tracing.store's default, the SQLite file under instance/
    "INSTANCE_PATH": "instance",
    "SECRET_KEY": None,
    "ADMIN_PASSWORD": None,
    "LOAD_DEMO": True,  # load the demo world into an empty store on start
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # set SESSION_COOKIE_SECURE=1 behind HTTPS
    "LOGIN_WINDOW_SECONDS": 900,
    "LOGIN_MAX_FAILURES_PER_USER": 5,
    "LOGIN_MAX_FAILURES_PER_IP": 20,
    "WTF_CSRF_ENABLED": True,
    "MAX_CONTENT_LENGTH": 16 * 2**20,  # bytes of a request body: larger ones answer 413
}
_FROM_ENV = ("DATABASE_URL", "SECRET_KEY", "ADMIN_PASSWORD", "SESSION_COOKIE_SECURE")
_TRUE = ("1", "true", "yes", "on")


def persistent_secret_key(instance: Path) -> str:
    """The key stored in ``instance/secret_key``, created (mode 0600) by whichever process comes first."""
    path = Path(instance) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def load_config(overrides: Mapping | None = None) -> dict:
    """The settings for :func:`dashboard.create_app`."""
    load_dotenv()
    config = dict(DEFAULTS)
    for key in _FROM_ENV:
        if os.environ.get(key):
            config[key] = os.environ[key]
    if isinstance(config["SESSION_COOKIE_SECURE"], str):
        config["SESSION_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"].lower() in _TRUE
    config.update(overrides or {})
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = persistent_secret_key(Path(config["INSTANCE_PATH"]))
    return config
