"""Reports built by background jobs: the click's callback signs a ticket, the job builds the sealed file.

The ordering callback runs through ``/_dash-update-component`` as the browser calls it;
the job's function runs here, as the background worker would run it.
"""

import base64
import json

import pytest
from dashboard_helpers import THIEF

from dashboard.components import report_jobs
from dashboard.roles import UPDATE_PATH
from tracing.audit import AuditLog
from tracing.cases import Cases
from tracing.cli import main


def order(client, page: str, target: dict, fmt: str) -> str:
    """Click ``page``'s ``fmt`` report button: the signed ticket the ordering callback answers."""
    clicks = {"html": 0, "pdf": 0, fmt: 1}
    body = {
        "output": f"{page}-report-ticket.data",
        "outputs": {"id": f"{page}-report-ticket", "property": "data"},
        "inputs": [{"id": f"{page}-report-{k}", "property": "n_clicks", "value": v} for k, v in clicks.items()],
        "state": [{"id": f"{page}-report-target", "property": "data", "value": target}],
        "changedPropIds": [f"{page}-report-{fmt}.n_clicks"],
    }
    answer = client.post(UPDATE_PATH, data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()["response"][f"{page}-report-ticket"]["data"]


def saved(result: dict, folder) -> tuple:
    """Write the file a job handed to dcc.Download; (path, its dcc.Download data)."""
    assert result["ok"], result
    path = folder / result["file"]["filename"]
    path.write_bytes(base64.b64decode(result["file"]["content"]))
    return path, result["file"]


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_a_case_report_job_builds_a_sealed_audited_file(logged_in, user, services, jobs, tmp_path, capsys, fmt):
    case = Cases(services.store).create("alice", "Job case", tags="job")
    Cases(services.store).add_item("alice", case.id, "address", THIEF)
    ticket = order(logged_in, "case", {"kind": "case", "case_id": case.id}, fmt)
    path, file = saved(report_jobs.build_from_ticket(ticket), tmp_path)
    assert file["filename"].startswith(f"case-{case.id}-") and file["filename"].endswith(f".{fmt}")
    assert file["type"] == ("application/pdf" if fmt == "pdf" else "text/html")
    assert main(["--database", services.store.url, "report", "verify", str(path)]) == 0
    assert "OK: " in capsys.readouterr().out
    entry = AuditLog(services.store).entries(object_id=case.id, action="case.report")[0]
    assert entry.actor == user[0] and entry.detail_dict == {"format": fmt}


def test_an_address_report_job_keeps_the_pages_parameters(logged_in, user, jobs, tmp_path):
    target = {"kind": "address", "chain": "tron", "address": THIEF, "params": {"maximum_threshold": 2.5}}
    path, _ = saved(report_jobs.build_from_ticket(order(logged_in, "address", target, "html")), tmp_path)
    text = path.read_text()
    assert '"maximum_threshold": 2.5' in text and user[0] in text


def test_a_forged_or_old_ticket_builds_nothing(logged_in, jobs, monkeypatch):
    ticket = order(logged_in, "case", {"kind": "case", "case_id": 1}, "html")
    forged = report_jobs.sign_ticket({"kind": "case", "case_id": 1}, "html", "mallory", "", "not-the-app-key" * 3)
    assert "not valid" in report_jobs.build_from_ticket(forged)["message"]
    assert "not valid" in report_jobs.build_from_ticket(ticket[:-3] + "AAA")["message"]
    monkeypatch.setattr(report_jobs, "TICKET_MAX_AGE", -1)
    assert "too old" in report_jobs.build_from_ticket(ticket)["message"]


def test_a_missing_case_or_bad_address_is_a_message(logged_in, jobs):
    missing = report_jobs.build_from_ticket(order(logged_in, "case", {"kind": "case", "case_id": 999999}, "pdf"))
    assert missing == {"ok": False, "message": missing["message"]} and "999999" in missing["message"]
    bad = {"kind": "address", "chain": "tron", "address": "Tnotanaddress", "params": {}}
    assert report_jobs.build_from_ticket(order(logged_in, "address", bad, "html"))["ok"] is False


def test_anonymous_clicks_get_no_ticket(client):
    body = {"output": "case-report-ticket.data", "outputs": [], "inputs": [], "state": [], "changedPropIds": []}
    answer = client.post(UPDATE_PATH, data=json.dumps(body), content_type="application/json")
    assert answer.status_code in (302, 401)
