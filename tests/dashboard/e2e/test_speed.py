"""What keeps the address page fast in the browser: one answer draws everything, on plotly.js's basic bundle."""

import pytest
from dashboard_helpers import THIEF
from test_browser import TIMEOUT, log_in

pytestmark = pytest.mark.browser

DRAWN = """() => ['#address-score-value', '#address-tests .card', '#address-timeline .scatterlayer .point',
  '#address-histogram .barlayer .point', '#address-table tbody tr'].every(s => document.querySelector(s))"""


def test_the_address_page_draws_from_one_answer_with_plotlys_basic_bundle(browser, base_url, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)
    callbacks = []
    page.on("request", lambda r: callbacks.append(r.post_data) if "_dash-update-component" in r.url else None)
    page.goto(f"{base_url}/address/tron/{THIEF}")
    page.wait_for_function(DRAWN, timeout=TIMEOUT)
    scripts = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert any("plotly-basic" in s for s in scripts)
    assert not any("plotly.min.js" in s for s in scripts)  # the full 4.6 MB bundle is never parsed
    assert page.evaluate("() => window.Plotly.version").startswith("4.")
    results = [body for body in callbacks if body and "address-score" in body]
    assert len(results) == 1  # scores, charts and the first table page came in one answer
    assert not any(body and "address-table-body" in body and "address-score" not in body for body in callbacks)
    context.close()
