"""End to end in Chromium: a case from the demo thief, a trace and a note, both reports, a share link.

The investigator opens a case from the thief's address page, adds the thief and the theft's trace and a note
holding a script, downloads the HTML and PDF reports (each built by a background job while the page says so, no
web request builds one; both verify; the PDF's pages are rendered to PNG under test-results/), shares a read-only
link that a logged-out browser opens, then revokes it and the link answers 410.
"""

import re
import shutil
import subprocess

import pytest
from dashboard_helpers import THIEF
from playwright.sync_api import expect
from test_browser import TIMEOUT, log_in

from tracing.report import verify
from tracing.sources import demo

pytestmark = pytest.mark.browser

WORLD = demo.build_demo()
ATTACK = "<script>window.pwned=1</script>"


def test_case_reports_and_share_link(browser, base_url, user, screenshot, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)

    page.goto(base_url + f"/address/tron/{THIEF}")  # the address's report, from a background job too
    with page.expect_download(timeout=60_000) as download:
        page.click("#address-report-html", timeout=TIMEOUT)
    download.value.save_as(tmp_path / "address.html")
    assert verify(tmp_path / "address.html").ok
    # a case from the thief's page: the address comes along
    page.click("#address-new-case", timeout=TIMEOUT)
    page.wait_for_url(re.compile(r"/cases\?new="), timeout=TIMEOUT)
    expect(page.locator("#cases-new-address")).to_have_value(THIEF, timeout=TIMEOUT)
    page.fill("#cases-new-title", f"Demo theft {ATTACK}")
    page.fill("#cases-new-description", "The victim lost **250,000 USDT**.")
    page.fill("#cases-new-tags", "theft, usdt")
    page.click("#cases-create")
    page.wait_for_url(re.compile(r"/case/\d+$"), timeout=TIMEOUT)
    case_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("h1")).to_contain_text(f"Demo theft {ATTACK}", timeout=TIMEOUT)

    expect(page.locator("#case-items")).to_contain_text(THIEF, timeout=TIMEOUT)
    page.select_option("#case-item-kind", "trace")
    page.fill("#case-item-address", WORLD.cast["victim"])
    page.fill("#case-item-ref", WORLD.theft_tx)
    page.fill("#case-item-params", "model=poison")
    page.click("#case-item-add")
    expect(page.locator("#case-done")).to_contain_text("Added trace", timeout=TIMEOUT)
    page.fill("#case-note-body", f"Mules forward within minutes. {ATTACK}")
    page.click("#case-note-add")
    expect(page.locator("#case-notes")).to_contain_text(ATTACK, timeout=TIMEOUT)  # shown as text
    assert page.evaluate("window.pwned") is None
    expect(page.locator("#case-audit")).to_contain_text("case.add_note")
    screenshot(page, "case")

    page.click("#case-report-pdf")  # a job cancelled: the page is as before
    expect(page.locator("#case-report-status")).to_have_text("building the report…", timeout=TIMEOUT)
    page.click("#case-report-cancel")
    expect(page.locator("#case-report-status")).to_have_text("", timeout=TIMEOUT)
    expect(page.locator("#case-report-pdf")).to_be_enabled()
    reports, built_in_request = {}, []
    page.on("request", lambda r: built_in_request.append(r.url) if "/report/" in r.url else None)
    for kind in ("html", "pdf"):  # a background job builds each; the page says so and gets the file
        with page.expect_download(timeout=60_000) as download:
            page.click(f"#case-report-{kind}")
            expect(page.locator("#case-report-status")).to_have_text("building the report…", timeout=TIMEOUT)
            expect(page.locator(f"#case-report-{kind}")).to_be_disabled()
        expect(page.locator("#case-report-status")).to_have_text("", timeout=TIMEOUT)
        assert download.value.suggested_filename.startswith(f"case-{case_id}-")
        reports[kind] = tmp_path / f"case.{kind}"
        download.value.save_as(reports[kind])
        result = verify(reports[kind])
        assert result.ok, result.problems
    assert built_in_request == []  # no web request built a report: the GET routes were not used
    html = reports["html"].read_text()
    assert THIEF in html and "Risk rating" in html and ATTACK not in html.split('id="evidence"')[0]
    if shutil.which("pdftoppm"):
        pages = screenshot(page, "case-after-downloads").parent / "case-report-pdf"
        pages.mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(reports["pdf"]), str(pages / "page")], check=True)
        assert len(list(pages.glob("page-*.png"))) >= 5

    # The HTML report opens offline: every chart draws with no request leaving the file.
    offline = browser.new_context(offline=True)
    report_page = offline.new_page()
    requests = []
    report_page.on("request", lambda r: requests.append(r.url))
    report_page.goto(reports["html"].as_uri())
    report_page.wait_for_function("document.querySelectorAll('.chart .main-svg').length >= 2", timeout=TIMEOUT)
    assert [r for r in requests if not r.startswith(("file:", "data:"))] == []
    offline.close()

    page.click("#case-share")
    expect(page.locator("#case-done")).to_contain_text("Share link", timeout=TIMEOUT)
    url = re.search(r"(http://\S+/shared/case/\d+\?token=\S+)", page.locator("#case-done").text_content()).group(1)
    assert f"/shared/case/{case_id}?" in url

    stranger = browser.new_context()
    shared = stranger.new_page()
    answer = shared.goto(url)
    assert answer.status == 200
    expect(shared.locator("h1")).to_contain_text("Demo theft", timeout=TIMEOUT)
    screenshot(shared, "case-shared")
    assert stranger.new_page().goto(base_url + f"/case/{case_id}").url.startswith(base_url + "/login")

    page.locator("#case-share-links button", has_text="Revoke").first.click()
    expect(page.locator("#case-done")).to_contain_text("revoked", timeout=TIMEOUT)
    gone = shared.goto(url)
    assert gone.status == 410
    expect(shared.locator("body")).to_contain_text("revoked")
    tampered = shared.goto(url[:-2] + ("A" if url[-2] != "A" else "B") + url[-1])
    assert tampered.status == 403
    stranger.close()
    context.close()
    assert errors == []
