"""Login, logout and the guard that refuses anonymous requests to every route.

Pages redirect an anonymous visitor to the login form; Dash's internal routes
(``/_dash-*``, ``/_reload-hash`` ...) and the API answer 401 JSON. The API also
accepts ``Authorization: Bearer <token>``. Failed logins are counted in the
store per user name and per client address, so throttling holds across workers.
"""

from urllib.parse import urlsplit

import flask
import flask_login
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dashboard.errors import wants_json
from dashboard.services import services
from dashboard.throttle import Attempt
from tracing.accounts import User

__all__ = ["WebUser", "blueprint", "init_auth"]

blueprint = flask.Blueprint("auth", __name__, template_folder="templates")
PUBLIC_ENDPOINTS = {"auth.login", "auth.logout", "cases.shared"}  # a share link carries its own token
PUBLIC_PREFIXES = ("/assets/",)  # the stylesheet of the login form
SESSION_KEY = "sid"  # the session token in the signed cookie; the store holds its hash


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
    """The user of the cookie's session while that session lives in the store (not ended, idle or old)."""
    user = services().sessions.user_for(flask.session.get(SESSION_KEY))
    return WebUser(user) if user is not None and str(user.id) == user_id else None


def _load_from_token(request: flask.Request) -> WebUser | None:
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if not request.path.startswith("/api/") or scheme.lower() != "bearer" or not token.strip():
        return None
    user = services().accounts.user_for_token(token.strip())
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
        attempt = Attempt(name, address)
        refusal = attempt.refusal()
        user = None if refusal else services().accounts.authenticate(name, form.password.data)
        if user is not None:
            attempt.succeeded()
            flask.session.clear()
            flask.session[SESSION_KEY] = services().sessions.start(user.id)
            flask_login.login_user(WebUser(user))
            return flask.redirect(_safe_next(flask.request.args.get("next")))
        if refusal is None:
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
    services().sessions.end(flask.session.get(SESSION_KEY))
    flask_login.logout_user()
    flask.session.clear()
    flask.flash("You are logged out.", "info")
    return flask.redirect(flask.url_for("auth.login"))
