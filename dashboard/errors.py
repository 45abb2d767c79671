"""Engine errors to HTTP statuses and JSON bodies (the API) and to alerts (the pages): one place each."""

import dash_bootstrap_components as dbc

from tracing.errors import (
    AddressNotFound,
    BadParameters,
    InvalidAddress,
    RateLimited,
    SourceUnavailable,
    TracingError,
)

__all__ = ["error_alert", "error_body", "http_status"]

_STATUS = (
    (BadParameters, 400),
    (InvalidAddress, 400),
    (AddressNotFound, 404),
    (RateLimited, 429),
    (SourceUnavailable, 503),
    (TracingError, 400),
)
_ALERT_COLOUR = {400: "warning", 404: "info", 429: "warning", 503: "danger"}


def http_status(err: TracingError) -> int:
    """The HTTP status that answers an engine error."""
    return next(status for kind, status in _STATUS if isinstance(err, kind))


def error_body(err: TracingError) -> dict:
    """The JSON body of an error answer: its kind, the message, and the field at fault when known."""
    body = {"error": type(err).__name__, "message": str(err)}
    if isinstance(err, BadParameters):
        body.update(field=err.field, reason=err.reason)
    elif isinstance(err, RateLimited) and err.retry_after is not None:
        body.update(retry_after=err.retry_after)
    elif isinstance(err, InvalidAddress):
        body.update(field="address", reason=str(err))
    return body


def error_alert(err: TracingError) -> dbc.Alert:
    """A visible alert with the engine's message (Dash escapes the text)."""
    return dbc.Alert(str(err), color=_ALERT_COLOUR[http_status(err)], className="mb-3", id="error-alert")
