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

__all__ = ["DEFAULTS", "load_config", "persistent_secret_key", "private_folder"]

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
    "LOGIN_SLOWDOWN_SECONDS": 2,  # a user under attack: one try per client this often (see dashboard.throttle)
    "TRUSTED_PROXIES": 0,  # reverse proxies in front whose X-Forwarded-For / -Proto are believed
    "SESSION_IDLE_MINUTES": 60,  # a session unused this long ends
    "SESSION_MAX_HOURS": 12,  # a session ends this long after the login
    "SOURCE_SETTINGS": None,  # a tracing.settings.Settings; None: read from the environment
}
_FROM_ENV = ("DATABASE_URL", "SECRET_KEY", "ADMIN_PASSWORD", "SESSION_COOKIE_SECURE")
_INTEGERS_FROM_ENV = ("TRUSTED_PROXIES", "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS", "MAX_CONTENT_LENGTH")
MIN_SECRET_KEY_LENGTH = 32
_TRUE = ("1", "true", "yes", "on")


def persistent_secret_key(instance: Path) -> str:
    """The key stored in ``instance/secret_key``, created (mode 0600) by whichever process comes first."""
    path = Path(instance) / "secret_key"
    private_folder(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def private_folder(path: Path) -> Path:
    """Create ``path`` (mode 0700: only this user reads the keys and the database in it)."""
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def load_config(overrides: Mapping | None = None) -> dict:
    """The settings for :func:`dashboard.create_app`."""
    load_dotenv()
    config = dict(DEFAULTS)
    for key in _FROM_ENV:
        if os.environ.get(key):
            config[key] = os.environ[key]
    for key in _INTEGERS_FROM_ENV:
        text = os.environ.get(key, "").strip()
        if text:
            if not text.isdigit():
                raise ValueError(f"{key} must be a whole number, got {text!r}")
            config[key] = int(text)
    if isinstance(config["SESSION_COOKIE_SECURE"], str):
        config["SESSION_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"].lower() in _TRUE
    config.update(overrides or {})
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = persistent_secret_key(Path(config["INSTANCE_PATH"]))
    if len(config["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH:
        raise ValueError(
            f"SECRET_KEY has {len(config['SECRET_KEY'])} characters; use at least {MIN_SECRET_KEY_LENGTH} "
            "random ones (python -c 'import secrets; print(secrets.token_hex(32))'), or unset it to generate one"
        )
    config["PERMANENT_SESSION_LIFETIME"] = config["SESSION_MAX_HOURS"] * 3600
    return config
