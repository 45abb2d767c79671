"""The REST API: ``POST /api/score`` with the original system's body, ``GET /api/sanctions/[<chain>/]<address>``
and the OpenAPI document.

Authentication is the session cookie or ``Authorization: Bearer <token>`` (see
:mod:`dashboard.auth`). Engine errors become JSON answers through
:mod:`dashboard.errors`.
"""

import flask

from dashboard.errors import error_body, http_status
from dashboard.openapi import openapi_document
from dashboard.roles import requires
from dashboard.services import services
from tracing.errors import BadParameters, TracingError
from tracing.params import Parameters

__all__ = ["blueprint"]

blueprint = flask.Blueprint("api", __name__, url_prefix="/api")


@blueprint.errorhandler(TracingError)
def _engine_error(err: TracingError):
    return flask.jsonify(error_body(err)), http_status(err)


@blueprint.post("/score")
@requires("viewer")
def score():
    """Score the body's address with its parameters; answer the same document as ``tracing score --json``."""
    body = flask.request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadParameters("body", "expected a JSON object with at least an 'address' field")
    address = body.get("address")
    problems = {}
    if not isinstance(address, str) or not address.strip():
        problems["address"] = "required: the address to score, as text"
    try:
        params = Parameters.from_mapping(body, ignore=("address", "chain"))
    except BadParameters as err:
        problems.update(err.problems)
    if problems:
        raise BadParameters.every(problems)
    found = services().investigate(body.get("chain") or None, address, params)
    return flask.jsonify({**found.report.to_dict(), "profile": services().profile(found)})


@blueprint.get("/sanctions/<address>")
@blueprint.get("/sanctions/<chain>/<address>")
@requires("viewer")
def sanctions(address: str, chain: str | None = None):
    """Is the address listed? The same document as ``tracing sanctions check --json`` (no transfers needed)."""
    return flask.jsonify(services().check_sanctions(chain, address))


@blueprint.get("/openapi.json")
@requires("viewer")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return flask.jsonify(openapi_document())
