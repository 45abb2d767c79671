"""Engine errors to HTTP statuses and JSON bodies (the API) and to alerts (the pages): one place each."""

import dash_bootstrap_components as dbc
import flask
from dash import html
from werkzeug.exceptions import HTTPException

from tracing.errors import (
    AddressNotFound,
    BadParameters,
    CaseNotFound,
    InvalidAddress,
    RateLimited,
    ShareLinkGone,
    ShareLinkInvalid,
    SourceUnavailable,
    StoreUnavailable,
    TracingError,
)

__all__ = [
    "JSON_PREFIXES",
    "error_alert",
    "error_body",
    "http_status",
    "init_error_answers",
    "message_page",
    "parameters_alert",
    "stale_alert",
    "wants_json",
]

JSON_PREFIXES = ("/api/", "/_")  # the API and Dash's own routes answer JSON

_STATUS = (
    (BadParameters, 400),
    (InvalidAddress, 400),
    (AddressNotFound, 404),
    (CaseNotFound, 404),
    (ShareLinkInvalid, 403),
    (ShareLinkGone, 410),
    (RateLimited, 429),
    (SourceUnavailable, 503),
    (StoreUnavailable, 503),
    (TracingError, 400),
)
_STALE = "The results below are from the previous parameters: they were not updated."
_ALERT_COLOUR = {400: "warning", 403: "danger", 404: "info", 410: "warning", 429: "warning", 503: "danger"}


def http_status(err: TracingError) -> int:
    """The HTTP status that answers an engine error."""
    return next(status for kind, status in _STATUS if isinstance(err, kind))


def error_body(err: TracingError) -> dict:
    """The JSON body of an error answer: its kind, the message, and the field at fault when known.

    Bad parameters also list every bad field in ``problems`` (``[{"field", "reason"}]``, the first
    is ``field``), so a client fixes them all at once.
    """
    body = {"error": type(err).__name__, "message": str(err)}
    if isinstance(err, BadParameters):
        problems = [{"field": field, "reason": reason} for field, reason in err.problems.items()]
        body.update(field=err.field, reason=err.reason, problems=problems)
    elif isinstance(err, RateLimited) and err.retry_after is not None:
        body.update(retry_after=err.retry_after)
    elif isinstance(err, InvalidAddress):
        body.update(field="address", reason=str(err))
    return body


def error_alert(err: TracingError) -> dbc.Alert:
    """A visible alert with the engine's message (Dash escapes the text)."""
    return dbc.Alert(str(err), color=_ALERT_COLOUR[http_status(err)], className="mb-3", id="error-alert")


def stale_alert(err: TracingError) -> dbc.Alert:
    """An alert that the form holds an error and the results below still answer the previous parameters."""
    return dbc.Alert(
        [str(err), html.Br(), html.Small(_STALE)],
        color="warning",
        className="mb-3",
        id="stale-alert",
    )


def parameters_alert(problems: dict[str, str], labels: dict[str, str], *, stale: bool = False) -> dbc.Alert:
    """Every bad parameter of ``problems`` (``{field: reason}``) by its label; ``stale``: the results below
    still answer the previous parameters."""
    items = [html.Li(f"{labels.get(field, field)}: {reason}") for field, reason in problems.items()]
    return dbc.Alert(
        [
            f"Fix {'this parameter' if len(items) == 1 else f'these {len(items)} parameters'}:",
            html.Ul(items, className="mb-0"),
        ]
        + ([html.Small(_STALE)] if stale else []),
        color="warning",
        className="mb-3",
        id="stale-alert" if stale else "error-alert",
    )


def wants_json() -> bool:
    """Whether the current request is answered in JSON (the API, Dash's routes, any non-GET)."""
    return flask.request.path.startswith(JSON_PREFIXES) or flask.request.method != "GET"


def _answer(status: int, body: dict):
    if wants_json():
        return flask.jsonify(body), status
    return message_page(body["message"]), status


def message_page(message: str) -> str:
    """A short page that says ``message`` (escaped): no context processors, so no store is read."""
    return flask.current_app.jinja_env.get_template("refused.html").render(message=message)


def init_error_answers(server: flask.Flask) -> None:
    """Answer every error a user can cause in the shape the README promises, never a traceback.

    The API and Dash's routes (``/api/``, ``/_``) answer JSON ``{"error", "message"}``;
    pages answer a short page with the message. Engine errors keep their status
    (:func:`http_status`): a database that does not answer is a 503.
    """

    @server.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        if err.code is None or err.code < 400:
            return err
        return _answer(err.code, {"error": err.name.replace(" ", ""), "message": err.description})

    @server.errorhandler(TracingError)
    def _engine_error(err: TracingError):
        return _answer(http_status(err), error_body(err))
