"""Report downloads and the read-only shared view of a case (plain Flask routes).

- ``/report/case/<id>.html|pdf`` and ``/report/address/<chain>/<address>.html|pdf?<parameters>``:
  viewers and up download a sealed report;
- ``/shared/case/<id>?token=...``: the case's interactive HTML report, for anyone holding a
  valid share link (no account needed). A malformed, altered, unknown or other-case token
  answers 403; an expired or revoked one 410; each opening is audit-logged.
"""

import flask
import flask_login

from dashboard.roles import requires
from dashboard.services import services
from tracing.audit import AuditLog
from tracing.cases import ShareLinks
from tracing.errors import BadParameters
from tracing.params import Parameters
from tracing.report import Evidence, address_evidence, case_evidence, render_html, render_pdf

__all__ = ["SHARED_ENDPOINT", "blueprint", "share_links", "share_url"]

blueprint = flask.Blueprint("cases", __name__)
SHARED_ENDPOINT = "cases.shared"
_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def share_links() -> ShareLinks:
    """The share links of the app's store, signed with its SECRET_KEY."""
    return ShareLinks(services().store, flask.current_app.config["SECRET_KEY"])


def share_url(case_id: int, token: str) -> str:
    """The absolute URL a share token opens."""
    return flask.url_for(SHARED_ENDPOINT, case_id=case_id, token=token, _external=True)


def flask_login_name() -> str:
    """The logged-in user's name."""
    return flask_login.current_user.name


def _base_url() -> str:
    return flask.request.host_url.rstrip("/")


def _download(evidence: Evidence, fmt: str, stem: str) -> flask.Response:
    content = render_html(evidence, base_url=_base_url()) if fmt == "html" else render_pdf(evidence)
    name = f"{stem}-{evidence.doc['report']['report_id']}.{fmt}"
    answer = flask.Response(content, mimetype=_TYPES[fmt])
    answer.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return answer


def _format(fmt: str) -> str:
    if fmt not in _TYPES:
        raise BadParameters("format", f"a report is .html or .pdf, not .{fmt[:10]}")
    return fmt


@blueprint.get("/report/case/<int:case_id>.<fmt>")
@requires("viewer")
def case_report(case_id: int, fmt: str):
    """Download the report of a case."""
    fmt = _format(fmt)
    user = flask_login_name()
    evidence = case_evidence(services().store, case_id, investigator=user)
    AuditLog(services().store).record(user, "case.report", "case", case_id, {"format": fmt})
    return _download(evidence, fmt, f"case-{case_id}")


@blueprint.get("/report/address/<chain>/<address>.<fmt>")
@requires("viewer")
def address_report(chain: str, address: str, fmt: str):
    """Download the report of an address, scored with the parameters in the query."""
    fmt = _format(fmt)
    params = Parameters.from_mapping(flask.request.args.to_dict())
    evidence = address_evidence(services().store, address, chain, params, investigator=flask_login_name())
    return _download(evidence, fmt, f"address-{evidence.doc['addresses'][0]['address'][:12]}")


@blueprint.get("/shared/case/<int:case_id>")
@requires("viewer")  # open to anyone with a valid token: the endpoint is public in dashboard.auth
def shared(case_id: int):
    """The read-only view a share link opens."""
    link = share_links().resolve(flask.request.args.get("token", ""), case_id)
    store = services().store
    evidence = case_evidence(store, case_id, investigator=f"share link #{link.id} (read-only)")
    AuditLog(store).record(f"link#{link.id}", "case.share_open", "case", case_id, {"link": link.id})
    answer = flask.Response(render_html(evidence), mimetype=_TYPES["html"])
    answer.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
    )
    answer.headers["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
    return answer
