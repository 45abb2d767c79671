"""The Content-Security-Policy in real Chromium: every page draws, and the browser reports no violation."""

import pytest
from dashboard_helpers import THIEF
from test_browser import TIMEOUT, log_in, wait_for_marks

pytestmark = pytest.mark.browser

VIOLATIONS = """() => { window.__csp = []; document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


def test_pages_work_under_the_content_security_policy(browser, base_url, user, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"({VIOLATIONS})()")
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    answer = page.goto(base_url + "/login")
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)
    page.goto(f"{base_url}/address/tron/{THIEF}")
    wait_for_marks(page, "#address-timeline .point, #address-timeline .trace", 0)
    page.wait_for_selector("#address-histogram .annotation-text", timeout=TIMEOUT)
    screenshot(page, "csp-address")
    page.goto(f"{base_url}/trace/tron/{THIEF}")
    page.wait_for_selector("#trace-graph canvas, #trace-graph .__________cytoscape_container", timeout=TIMEOUT)
    screenshot(page, "csp-trace")
    assert page.evaluate("window.__csp") == []
    assert not [line for line in console if "Content Security Policy" in line]
