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
from tracing.report import address_evidence, case_evidence, render_html, render_pdf
from tracing.store import Store

__all__ = ["SHARED_ENDPOINT", "TYPES", "blueprint", "build_report", "share_links", "share_url"]

blueprint = flask.Blueprint("cases", __name__)
SHARED_ENDPOINT = "cases.shared"
TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


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


def build_report(store: Store, target: dict, fmt: str, investigator: str, base_url: str = "") -> tuple[str, bytes]:
    """(file name, content) of the sealed report ``target`` names, in ``fmt`` (html or pdf).

    ``target`` is ``{"kind": "case", "case_id": N}`` or ``{"kind": "address", "chain": ..., "address": ...,
    "params": {...}}``. A case report is audit-logged as downloaded by ``investigator``. The routes below
    and the pages' background job (:mod:`dashboard.components.report_jobs`) both build reports here.
    """
    fmt = _format(fmt)
    if target.get("kind") == "case":
        case_id = int(target["case_id"])
        evidence = case_evidence(store, case_id, investigator=investigator)
        AuditLog(store).record(investigator, "case.report", "case", case_id, {"format": fmt})
        stem = f"case-{case_id}"
    else:
        params = Parameters.from_mapping(target.get("params") or {})
        evidence = address_evidence(store, target["address"], target["chain"], params, investigator=investigator)
        stem = f"address-{evidence.doc['addresses'][0]['address'][:12]}"
    content = render_html(evidence, base_url=base_url) if fmt == "html" else render_pdf(evidence)
    return f"{stem}-{evidence.doc['report']['report_id']}.{fmt}", content


def _download(target: dict, fmt: str) -> flask.Response:
    name, content = build_report(services().store, target, fmt, flask_login_name(), _base_url())
    answer = flask.Response(content, mimetype=TYPES[fmt])
    answer.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return answer


def _format(fmt: str) -> str:
    if fmt not in TYPES:
        raise BadParameters("format", f"a report is .html or .pdf, not .{fmt[:10]}")
    return fmt


@blueprint.get("/report/case/<int:case_id>.<fmt>")
@requires("viewer")
def case_report(case_id: int, fmt: str):
    """Download the report of a case (built in the request; the case page builds it as a background job)."""
    return _download({"kind": "case", "case_id": case_id}, fmt)


@blueprint.get("/report/address/<chain>/<address>.<fmt>")
@requires("viewer")
def address_report(chain: str, address: str, fmt: str):
    """Download the report of an address, scored with the parameters in the query (built in the request)."""
    target = {"kind": "address", "chain": chain, "address": address, "params": flask.request.args.to_dict()}
    return _download(target, fmt)


@blueprint.get("/shared/case/<int:case_id>")
@requires("viewer")  # open to anyone with a valid token: the endpoint is public in dashboard.auth
def shared(case_id: int):
    """The read-only view a share link opens."""
    link = share_links().resolve(flask.request.args.get("token", ""), case_id)
    store = services().store
    evidence = case_evidence(store, case_id, investigator=f"share link #{link.id} (read-only)")
    AuditLog(store).record(f"link#{link.id}", "case.share_open", "case", case_id, {"link": link.id})
    answer = flask.Response(render_html(evidence), mimetype=TYPES["html"])
    answer.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
    )
    answer.headers["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
    return answer
