"""The investigator dashboard: a Flask server with login and the REST API, and Dash pages on it.

>>> callable(create_app)
True
"""

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import dash
import flask

from dashboard import api, auth, reports, roles
from dashboard.background import background_manager, configure
from dashboard.components.shell import shell
from dashboard.config import load_config, private_folder
from dashboard.errors import init_error_answers
from dashboard.headers import init_headers
from dashboard.limits import init_limits
from dashboard.notfound import init_not_found
from dashboard.services import Services
from dashboard.throttle import init_proxies
from tracing.sessions import Sessions
from tracing.settings import load_settings
from tracing.sources import demo
from tracing.store import Store

__all__ = ["create_app"]

ROOT = Path(__file__).resolve().parent.parent
STYLESHEETS = ["/assets/bootstrap.min.css"]  # Bootswatch "cerulean", served from assets/: never a CDN


def _announce_admin(password: str, instance: Path) -> None:
    """Hand the generated admin password over once, never into a log that is kept.

    It goes into ``instance/admin_password`` (mode 0600); an operator at a terminal
    also sees it there. Logs (gunicorn's, systemd's) get only the file's path.
    """
    path = private_folder(instance) / "admin_password"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    shown = f"\n\n    {password}\n\n" if sys.stderr.isatty() else f" in {path} (mode 0600). "
    line = "=" * 64
    print(
        f"\n{line}\nNo users existed: created user 'admin' with a random password{shown}\n"
        f"Change it, then delete that file: python -m tracing users passwd admin\n{line}\n",
        file=sys.stderr,
    )


def create_app(config: Mapping | None = None) -> dash.Dash:
    """Build the app: settings, store, Flask server with login and API, then Dash on that server.

    Parameters
    ----------
    config : mapping, optional
        Settings over the defaults and the environment (see :mod:`dashboard.config`).
    """
    settings = load_config(config)
    server = flask.Flask(__name__, static_folder=None, instance_path=str(Path(settings["INSTANCE_PATH"]).resolve()))
    server.config.update(settings)
    # Compress answers, not streamed files: flask-compress 1.25 leaves a streamed asset's file open.
    server.config["COMPRESS_STREAMS"] = False
    store = Store(settings["DATABASE_URL"])
    profiles = os.environ.get("PROFILES_MODEL") or str(Path(settings["INSTANCE_PATH"]) / "profiles" / "model.joblib")
    server.extensions["tracing"] = services = Services(store, profiles_model=profiles)
    services.sessions = Sessions(store, settings["SESSION_IDLE_MINUTES"] * 60, settings["SESSION_MAX_HOURS"] * 3600)
    if settings["LOAD_DEMO"]:
        demo.ensure_demo(store)
    created = services.accounts.ensure_admin(settings["ADMIN_PASSWORD"])
    if created and not settings["ADMIN_PASSWORD"]:
        _announce_admin(created, Path(settings["INSTANCE_PATH"]))
    init_proxies(server)
    init_limits(server)
    init_error_answers(server)
    auth.init_auth(server)
    server.register_blueprint(api.blueprint)
    server.register_blueprint(reports.blueprint)
    sources = settings.get("SOURCE_SETTINGS") or load_settings()  # chain APIs, keys, fetch limits
    configure(settings["DATABASE_URL"], sources, settings["SECRET_KEY"])
    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(Path(__file__).parent / "pages"),
        assets_folder=str(ROOT / "assets"),
        external_stylesheets=STYLESHEETS,
        # bootstrap is linked first, before the app's own CSS; plotly's basic bundle loads when a chart draws
        assets_ignore=r"bootstrap\.min\.css|vendor/.*",
        serve_locally=True,
        title="Tracing",
        suppress_callback_exceptions=True,
        compress=True,  # gzip/brotli for browsers that ask: chart data shrinks about 5x on the wire
        background_callback_manager=background_manager(sources, server.instance_path),
    )
    app.layout = shell
    roles.init_roles(app)
    init_headers(app)
    init_not_found(server)
    return app
