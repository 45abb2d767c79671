"""Login, logout and the guard that refuses anonymous requests to every route.

Pages redirect an anonymous visitor to the login form; Dash's internal routes
(``/_dash-*``, ``/_reload-hash`` ...) and the API answer 401 JSON. The API also
accepts ``Authorization: Bearer <token>``. Failed logins are counted in the
store per user name and per client address, so throttling holds across workers.
"""

import time
from urllib.parse import urlsplit

import flask
import flask_login
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dashboard.errors import wants_json
from dashboard.services import services
from tracing.accounts import User

__all__ = ["WebUser", "blueprint", "init_auth"]

blueprint = flask.Blueprint("auth", __name__, template_folder="templates")
PUBLIC_ENDPOINTS = {"auth.login", "auth.logout", "cases.shared"}  # a share link carries its own token
PUBLIC_PREFIXES = ("/assets/",)  # the stylesheet of the login form


class WebUser(flask_login.UserMixin):
    """A store user as Flask-Login needs it."""

    def __init__(self, user: User):
        self.id = str(user.id)
        self.name = user.name
        self.role = user.role


class LoginForm(FlaskForm):
    """User name and password, with a CSRF token."""

    name = StringField("User name", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST from this site, never a link another site can plant."""


def _load_user(user_id: str) -> WebUser | None:
    user = services().accounts.get(int(user_id)) if user_id.isdigit() else None
    return WebUser(user) if user else None


def _load_from_token(request: flask.Request) -> WebUser | None:
    header = request.headers.get("Authorization", "")
    if not request.path.startswith("/api/") or not header.startswith("Bearer "):
        return None
    user = services().accounts.user_for_token(header.removeprefix("Bearer ").strip())
    return WebUser(user) if user else None


def _refuse_anonymous():
    """Before every request: let the public routes and logged-in users through, refuse the rest."""
    request = flask.request
    if request.endpoint in PUBLIC_ENDPOINTS or request.path.startswith(PUBLIC_PREFIXES):
        return None
    if flask_login.current_user.is_authenticated:
        return None
    if wants_json():
        body = {"error": "Unauthorized", "message": "log in, or send the header Authorization: Bearer <API token>"}
        return flask.jsonify(body), 401
    return flask.redirect(flask.url_for("auth.login", next=request.full_path.rstrip("?")))


def init_auth(server: flask.Flask) -> None:
    """Set up Flask-Login, the login routes and the guard on ``server`` (before any other route)."""
    manager = flask_login.LoginManager(server)
    manager.user_loader(_load_user)
    manager.request_loader(_load_from_token)
    server.before_request(_refuse_anonymous)
    server.register_blueprint(blueprint)


def throttle_message(name: str, address: str) -> str | None:
    """Why a login from ``address`` as ``name`` must wait, or None when it may be tried."""
    config = flask.current_app.config
    window = config["LOGIN_WINDOW_SECONDS"]
    accounts = services().accounts
    now = time.time()
    for key, limit, who in (
        (f"user:{name}", config["LOGIN_MAX_FAILURES_PER_USER"], "this user"),
        (f"ip:{address}", config["LOGIN_MAX_FAILURES_PER_IP"], "your address"),
    ):
        count, oldest = accounts.failures_since(key, now - window)
        if count >= limit:
            minutes = max(1, round((oldest + window - now) / 60))
            return f"Too many failed logins for {who}. Try again in {minutes} minute(s)."
    return None


def _safe_next(target: str | None) -> str:
    """Only a path on this site, as a browser will read it: never another host (open redirect).

    Browsers drop tabs and newlines inside a URL and read ``\\`` as ``/``, so
    ``/\t/evil.example`` means ``//evil.example``: any control character refuses the target.
    """
    if not target or len(target) > 2000 or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and "\\" not in target and not parts.netloc:
        return target
    return "/"


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    """The login form; on success, back to the page that asked for it."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        name, address = form.name.data.strip(), flask.request.remote_addr or "unknown"
        accounts = services().accounts
        refusal = throttle_message(name, address)
        user = None if refusal else accounts.authenticate(name, form.password.data)
        if user is not None:
            accounts.clear_failures(f"user:{name}")
            accounts.prune_failures(time.time() - flask.current_app.config["LOGIN_WINDOW_SECONDS"])
            flask.session.clear()
            flask_login.login_user(WebUser(user))
            return flask.redirect(_safe_next(flask.request.args.get("next")))
        if refusal is None:
            accounts.record_failure(f"user:{name}", f"ip:{address}")
            refusal = "Unknown user name or wrong password."
        flask.flash(refusal, "danger")
        status = 429 if refusal.startswith("Too many") else 401
    elif flask.request.method == "POST":
        flask.flash("The form expired or was not sent from this site; please try again.", "warning")
        status = 400
    return flask.render_template("login.html", form=form), status


@blueprint.route("/logout", methods=["POST"])
def logout():
    """End the session (a POST carrying the CSRF token of the navigation bar's form)."""
    if not LogoutForm().validate_on_submit():
        flask.abort(400, "The logout form expired or was not sent from this site; reload the page and try again.")
    flask_login.logout_user()
    flask.session.clear()
    flask.flash("You are logged out.", "info")
    return flask.redirect(flask.url_for("auth.login"))
