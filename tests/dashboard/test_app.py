"""Starting the app: the admin's password shown once, the secret key kept, no module of the engine on the web."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.config import load_config, persistent_secret_key
from tracing.accounts import Accounts
from tracing.store import Store

ROOT = Path(__file__).resolve().parents[2]
START = "from dashboard import create_app; create_app({'LOAD_DEMO': False, 'INSTANCE_PATH': %r})"


def start_app(tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"}
    env.pop("ADMIN_PASSWORD", None)
    env.pop("SECRET_KEY", None)
    code = START % str(tmp_path / "instance")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_first_start_hands_the_admin_password_over_outside_the_log(tmp_path):
    first = start_app(tmp_path)
    assert first.returncode == 0, first.stderr
    secret = tmp_path / "instance" / "admin_password"
    password = secret.read_text().strip()
    assert str(secret) in first.stderr and password not in first.stderr  # stderr is a log under gunicorn
    assert secret.stat().st_mode & 0o077 == 0
    store = Store(f"sqlite:///{tmp_path / 'app.db'}")
    assert Accounts(store).authenticate("admin", password).role == "admin"
    store.close()
    second = start_app(tmp_path)
    assert "password" not in second.stderr
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_the_instance_folder_and_the_database_are_private(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'tracing.db'}")
    store.close()
    assert (tmp_path / "tracing.db").stat().st_mode & 0o777 == 0o600
    persistent_secret_key(tmp_path / "instance")
    assert (tmp_path / "instance").stat().st_mode & 0o777 == 0o700


def test_a_short_secret_key_is_refused(tmp_path):
    with pytest.raises(ValueError, match="SECRET_KEY has 6 characters; use at least 32"):
        load_config({"SECRET_KEY": "abc123", "INSTANCE_PATH": str(tmp_path)})


def test_the_secret_key_survives_restarts(tmp_path):
    assert persistent_secret_key(tmp_path) == persistent_secret_key(tmp_path)
    assert len(persistent_secret_key(tmp_path)) == 64


def test_environment_settings_win_over_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from the environment, 32 characters or more")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["SECRET_KEY"] == "from the environment, 32 characters or more"
    assert config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("TRUSTED_PROXIES", "two")
    with pytest.raises(ValueError, match="TRUSTED_PROXIES must be a whole number"):
        load_config({"INSTANCE_PATH": str(tmp_path)})
    assert not (tmp_path / "secret_key").exists()


def test_the_engine_never_imports_the_web_stack():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tracing").rglob("*.py")
        if re.search(r"^\s*(import|from)\s+(dash|flask|flask_\w+|werkzeug)\b", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


def test_dashboard_doctests_pass():
    import doctest

    import dashboard
    from dashboard import urls

    for module in (dashboard, urls):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed, module.__name__
