"""Cases on the web: report downloads, the share-link lifecycle over HTTP, admin user management, own password."""

import importlib
import json
import secrets
import time

import flask_login
import pytest
from dashboard_helpers import THIEF, login
from test_pages import find

from dashboard.auth import WebUser
from dashboard.reports import share_links
from tracing.audit import AuditLog
from tracing.cases import Cases
from tracing.errors import InvalidAddress
from tracing.report import verify

DAY = 86_400


@pytest.fixture
def case(services):
    cases = Cases(services.store)
    found = cases.create("alice", "Web case <b>bold</b>", tags="web")
    cases.add_item("alice", found.id, "address", THIEF)
    return found


def test_case_report_downloads_sealed_and_audited(logged_in, services, case, tmp_path):
    answer = logged_in.get(f"/report/case/{case.id}.html")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    assert answer.headers["Content-Disposition"].startswith(f'attachment; filename="case-{case.id}-')
    path = tmp_path / "case.html"
    path.write_bytes(answer.data)
    assert verify(path).ok
    assert "Web case &lt;b&gt;bold&lt;/b&gt;" in answer.get_data(as_text=True)
    assert AuditLog(services.store).entries(object_id=case.id, action="case.report")[0].detail_dict == {
        "format": "html"
    }


def test_address_report_and_bad_requests(logged_in, case):
    answer = logged_in.get(f"/report/address/tron/{THIEF}.html?maximum_threshold=2.5")
    assert answer.status_code == 200 and b'"maximum_threshold": 2.5' in answer.data
    assert logged_in.get(f"/report/case/{case.id}.docx").status_code == 400
    assert logged_in.get("/report/case/999999.html").status_code == 404
    assert logged_in.get(f"/report/address/tron/{THIEF}.html?maximum_threshold=x").status_code == 400
    assert logged_in.get("/report/address/tron/Tnotanaddress.html").status_code == 400


def test_reports_refuse_anonymous_requests(client, case):
    answer = client.get(f"/report/case/{case.id}.pdf")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")


def test_share_link_lifecycle_over_http(app, client, services, case):
    other = Cases(services.store).create("alice", "Another case")
    with app.server.test_request_context():
        links = share_links()
        link, token = links.create("alice", case.id)
        _, old = links.create("alice", case.id, days=1, now=time.time() - 2 * DAY)
    url = f"/shared/case/{case.id}?token={token}"
    answer = client.get(url)  # no login
    assert answer.status_code == 200 and b"Web case &lt;b&gt;bold&lt;/b&gt;" in answer.data
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert AuditLog(services.store).entries(object_id=case.id, action="case.share_open")[0].actor == f"link#{link.id}"

    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (
        f"/shared/case/{case.id}?token={tampered}",
        f"/shared/case/{other.id}?token={token}",
        f"/shared/case/{case.id}",
        f"/shared/case/{case.id}?token=1.2.3",
    ):
        refused = client.get(bad)
        assert refused.status_code == 403, bad
        assert b"share link" in refused.data
    expired = client.get(f"/shared/case/{case.id}?token={old}")
    assert expired.status_code == 410 and b"expired" in expired.data
    with app.server.test_request_context():
        share_links().revoke("bob", case.id, link.id)
    revoked = client.get(url)
    assert revoked.status_code == 410 and b"revoked" in revoked.data
    assert client.get(f"/case/{case.id}").status_code == 302  # the link opens the report only, not the app


def test_admin_manages_users_and_every_action_is_audited(app, services):
    admin_users = importlib.import_module("dashboard.pages.admin_users")  # pages load once an app exists
    name = f"new-{secrets.token_hex(3)}"
    with app.server.test_request_context():
        admin_users._act("add", name, "viewer", "a long password", "root")
        admin_users._act("role", name, "investigator", "", "root")
        admin_users._act("passwd", name, "", "another long one", "root")
        services.accounts.new_token(name)
        assert "1 API token(s)" in admin_users._act("revoke", name, "", "", "root")
    assert services.accounts.authenticate(name, "another long one").role == "investigator"
    actions = [e.action for e in AuditLog(services.store).entries(object_type="user", object_id=name)]
    assert actions == ["user.revoke", "user.passwd", "user.role", "user.add"]


def _account_callback(client, current: str, new: str, repeat: str):
    ids = ("account-current-password", "account-new-password", "account-repeat-password")
    body = {
        "output": "account-alert.children",
        "outputs": {"id": "account-alert", "property": "children"},
        "inputs": [{"id": "account-submit", "property": "n_clicks", "value": 1}],
        "state": [{"id": i, "property": "value", "value": v} for i, v in zip(ids, (current, new, repeat))],
        "changedPropIds": ["account-submit.n_clicks"],
    }
    answer = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 200
    return json.dumps(answer.get_json())


def test_every_user_changes_their_own_password(app, services):
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.251"
    name, password = f"viewer-{secrets.token_hex(3)}", "first password"
    services.accounts.add_user(name, password, "viewer")
    assert login(client, name, password).status_code == 302
    client.get("/account")
    assert "current password is wrong" in _account_callback(client, "nope", "second password", "second password")
    assert "differ" in _account_callback(client, password, "second password", "second passwort")
    assert "at least 10" in _account_callback(client, password, "short", "short")
    assert "Password changed" in _account_callback(client, password, "second password", "second password")
    assert services.accounts.authenticate(name, "second password") is not None
    assert AuditLog(services.store).entries(actor=name)[0].action == "user.passwd_own"


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("investigator", 403), ("admin", 200)])
def test_admin_pages_need_the_admin_role(app, services, role, status):
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = f"203.0.113.{secrets.randbelow(200)}"
    name, password = f"{role}-{secrets.token_hex(3)}", secrets.token_urlsafe(12)
    services.accounts.add_user(name, password, role)
    login(client, name, password)
    for path in ("/admin/users", "/admin/audit"):
        assert client.get(path).status_code == status


def test_address_page_orders_its_reports_with_its_parameters(app):
    page = importlib.import_module("dashboard.pages.address")
    with app.server.test_request_context("/"):
        layout = page.layout(chain="tron", address=THIEF, maximum_threshold="2.5")
    target = {"kind": "address", "chain": "tron", "address": THIEF, "params": {"maximum_threshold": 2.5}}
    assert find(layout, "address-report-target").data == target
    assert find(layout, "address-report-html") is not None and find(layout, "address-report-pdf") is not None


@pytest.mark.parametrize(("role", "forms"), [("viewer", False), ("investigator", True)])
def test_viewers_read_a_case_investigators_also_change_it(app, services, case, role, forms):
    page = importlib.import_module("dashboard.pages.case")
    user = services.accounts.add_user(f"{role}-{secrets.token_hex(3)}", secrets.token_urlsafe(12), role)
    with app.server.test_request_context("/"):
        flask_login.login_user(WebUser(user))
        layout = page.layout(case_id=str(case.id))
        missing = page.layout(case_id="999999")
        nonsense = page.layout(case_id="x")
    assert find(layout, "case-report-target").data == {"kind": "case", "case_id": case.id}
    assert (find(layout, "case-item-add") is not None) is forms
    assert (find(layout, "case-share") is not None) is forms
    assert "no case #999999" in str(missing) and "a case is a number" in str(nonsense)


def test_cases_page_lists_what_the_url_selects(app, services, case):
    page = importlib.import_module("dashboard.pages.cases")
    cases = Cases(services.store)
    closed = cases.create("alice", f"Closed {secrets.token_hex(3)}")
    cases.update("alice", closed.id, status="closed")
    user = services.accounts.add_user(f"viewer-{secrets.token_hex(3)}", secrets.token_urlsafe(12), "viewer")
    with app.server.test_request_context("/"):
        flask_login.login_user(WebUser(user))
        by_status = str(page.layout(status="closed"))
        by_address = str(page.layout(address=THIEF, text="Web case"))
        wrong = page.layout(since="last week")
    assert closed.title in by_status and case.title not in by_status
    assert case.title in by_address and closed.title not in by_address
    assert "since" in str(find(wrong, "cases-alert")) and find(wrong, "cases-create") is None  # viewers only search


@pytest.mark.parametrize(
    ("filtered", "can_create", "says"),
    [(True, True, "No case matches these filters."), (False, True, "Open a case"), (False, False, "No cases yet.")],
)
def test_an_empty_case_list_says_why_and_what_to_do(filtered, can_create, says):
    page = importlib.import_module("dashboard.pages.cases")
    text = page.no_cases_text(filtered, can_create)
    assert says in text and ("Open a case" in text) is (can_create and not filtered)


def test_a_filter_that_matches_nothing_says_so(app, services, case):
    page = importlib.import_module("dashboard.pages.cases")
    with app.server.test_request_context("/"):
        flask_login.login_user(
            WebUser(
                services.accounts.add_user(f"inv-{secrets.token_hex(3)}", secrets.token_urlsafe(12), "investigator")
            )
        )
        layout = page.layout(text=f"nothing-{secrets.token_hex(4)}")
    assert find(layout, "cases-table").children == "No case matches these filters."


def test_a_case_opened_from_an_address_holds_it_and_a_bad_address_opens_nothing(app, services):
    page = importlib.import_module("dashboard.pages.cases")
    before = len(Cases(services.store).search(limit=1000))
    with app.server.test_request_context("/"), pytest.raises(InvalidAddress):
        page.create_case("alice", "From a typo", "", "", THIEF[:-1] + "x")
    assert len(Cases(services.store).search(limit=1000)) == before
    with app.server.test_request_context("/"):
        case = page.create_case("alice", "From the thief", "", "", THIEF)
    assert [(i.kind, i.address) for i in Cases(services.store).items(case.id)] == [("address", THIEF)]


def test_parameters_and_audit_details_read_as_labelled_lines_not_json():
    from dashboard.components.cases import audit_table, items_list
    from tracing.audit import AuditEntry
    from tracing.cases.model import CaseItem

    params = {"model": "poison", "hops": 3, "since": 1753747200, "tx": None}
    trace = CaseItem(1, 1, "trace", "tron", THIEF, "", json.dumps(params), "ann", 1753747200)
    score = CaseItem(2, 1, "address", "tron", THIEF, "", '{"time_difference": 600}', "ann", 1753747200)
    text = str(items_list([trace, score]))
    assert "Taint model" in text and "'poison'" in text and "Hops" in text and "2025-07-29" in text
    assert "Time difference (s)" in text and '"model"' not in text and "Seed transaction" not in text
    entry = AuditEntry(1, 1753747200, "ann", "item_added", "case", "1", json.dumps({"kind": "trace", "item_id": 7}))
    detail = str(audit_table([entry], "case-audit"))
    assert "item id" in detail and "'7'" in detail and '"kind"' not in detail
