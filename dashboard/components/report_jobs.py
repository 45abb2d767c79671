"""The pages' report buttons: a report is built by a background job, never inside a web request.

A click runs a quick callback in the request (the role is checked there and the user is
known) that signs a *ticket*: the report's target, the format, the user and the site's
address, with the app's SECRET_KEY. The ticket starts a background callback
(:mod:`dashboard.background`) that checks it, builds the sealed report outside any web
worker (a PDF takes seconds) while the page says "building the report…", and hands the
file to the browser through ``dcc.Download``. The GET routes of :mod:`dashboard.reports`
build the same files in the request, for API clients and links.

Each page with reports (``address``, ``case``) gets its own components, named
``<page>-report-<part>``: :func:`report_controls` lays them out, :func:`register` wires them.
"""

import secrets

import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, callback, ctx, dcc, html, no_update
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from dashboard.background import JOBS
from dashboard.reports import TYPES, build_report
from dashboard.roles import actor, requires
from tracing.errors import TracingError
from tracing.store import Store

__all__ = ["PAGES", "TICKET_MAX_AGE", "build_from_ticket", "register", "report_controls", "sign_ticket"]

PAGES = ("address", "case")
TICKET_MAX_AGE = 600  # seconds: a ticket is used at once; an old one (a replayed request) is refused
SALT = "report-job"
FORMATS = tuple(TYPES)


def _id(page: str, part: str) -> str:
    return f"{page}-report-{part}"


def report_controls(page: str, target: dict, labels: dict[str, str], **button_props) -> list:
    """The HTML and PDF buttons of ``page`` for the report of ``target``, with their job's status and download."""
    buttons = [dbc.Button(labels[fmt], id=_id(page, fmt), n_clicks=0, size="sm", **button_props) for fmt in FORMATS]
    status = html.Span(id=_id(page, "status"), className="small text-muted ms-2", role="status")
    return [
        dcc.Store(id=_id(page, "target"), data=target),
        dcc.Store(id=_id(page, "ticket")),
        dcc.Download(id=_id(page, "download")),
        *buttons,
        dbc.Button("Cancel", id=_id(page, "cancel"), size="sm", color="link", disabled=True, className="p-0 ms-2"),
        status,
        html.Span(id=_id(page, "error")),
    ]


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def sign_ticket(target: dict, fmt: str, user: str, base_url: str, secret_key: str) -> str:
    """A signed, short-lived order to build the report of ``target`` in ``fmt`` for ``user``."""
    payload = {"target": target, "fmt": fmt, "user": user, "base_url": base_url, "nonce": secrets.token_hex(8)}
    return _serializer(secret_key).dumps(payload)


def build_from_ticket(ticket: str) -> dict:
    """Run in the job: check the ticket, build the report; ``{"ok", "file" (dcc.Download data) | "message"}``."""
    try:
        order = _serializer(JOBS.secret_key or "").loads(ticket, max_age=TICKET_MAX_AGE)
    except SignatureExpired:
        return {"ok": False, "message": "This report request is too old: click the button again."}
    except BadSignature:
        return {"ok": False, "message": "This report request is not valid: reload the page and click again."}
    store = Store(JOBS.database_url)
    try:
        name, content = build_report(store, order["target"], order["fmt"], order["user"], order["base_url"])
    except TracingError as err:
        return {"ok": False, "message": str(err)}
    finally:
        store.close()
    return {"ok": True, "file": dcc.send_bytes(content, name, type=TYPES[order["fmt"]].split(";")[0])}


def register(page: str) -> None:
    """The callbacks of ``page``'s report buttons: sign a ticket in the request, build in the background."""

    @callback(
        Output(_id(page, "ticket"), "data"),
        *(Input(_id(page, fmt), "n_clicks") for fmt in FORMATS),
        State(_id(page, "target"), "data"),
        prevent_initial_call=True,
    )
    @requires("viewer")
    def order(*args):
        """Sign the order to build the report the user clicked (who, what, where the site is)."""
        target, fmt = args[-1], str(ctx.triggered_id or "").rsplit("-", 1)[-1]
        if not target or fmt not in FORMATS or not any(args[:-1]):
            return no_update
        key = flask.current_app.config["SECRET_KEY"]
        return sign_ticket(target, fmt, actor(), flask.request.host_url.rstrip("/"), key)

    @callback(
        Output(_id(page, "download"), "data"),
        Output(_id(page, "error"), "children"),
        Input(_id(page, "ticket"), "data"),
        background=True,
        running=[
            *((Output(_id(page, fmt), "disabled"), True, False) for fmt in FORMATS),
            (Output(_id(page, "cancel"), "disabled"), False, True),
            (Output(_id(page, "status"), "children"), "building the report…", ""),
        ],
        cancel=[Input(_id(page, "cancel"), "n_clicks")],
        prevent_initial_call=True,
    )
    @requires("viewer")
    def build(ticket):
        """Build the ordered report in the background and send it to the browser."""
        if not ticket:
            return no_update, no_update
        result = build_from_ticket(ticket)
        if not result["ok"]:
            alert = dbc.Alert(result["message"], color="danger", className="mt-2 mb-0 small", id=_id(page, "failed"))
            return no_update, alert
        return result["file"], None


for _page in PAGES:
    register(_page)
