"""On a phone (390 px wide): the risk leads, the parameters are folded, nothing scrolls sideways, the graph draws."""

import pytest
from dashboard_helpers import THIEF
from test_browser import TIMEOUT, log_in

pytestmark = pytest.mark.browser

WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-responsive, .js-plotly-plot, .trace-graph'))
  .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)"""
SCROLLING_TABLES = """() => [...document.querySelectorAll('.table-responsive')]
  .filter(d => d.offsetParent && d.scrollWidth > d.clientWidth + 1).map(d => d.firstElementChild.id || d.innerText.slice(0, 40))"""
"""Tables whose columns reach past their box (shown only by scrolling sideways)."""


def test_a_phone_sees_the_risk_first_folded_parameters_and_no_sideways_scroll(browser, base_url, user, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)
    page.goto(f"{base_url}/address/tron/{THIEF}")
    page.wait_for_selector("#address-table tbody tr", timeout=TIMEOUT)
    risk = page.locator("#address-score").bounding_box()
    fold = page.locator("#address-params-fold").bounding_box()
    assert risk["y"] < fold["y"]  # the score comes before the parameters
    assert page.locator("#address-params-fold").get_attribute("open") is None
    page.wait_for_selector("#address-exposure-card tbody tr", timeout=TIMEOUT)
    assert page.evaluate(WIDER_THAN_SCREEN) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(SCROLLING_TABLES) == []  # transfers, counterparties, exposure: amounts in view
    first = page.locator("#address-table tbody tr").first.inner_text()
    page.select_option("#address-sort", "value:desc")  # the widest amounts: 250,000.00 USDT
    page.wait_for_function(
        "(before) => document.querySelector('#address-table tbody tr')?.innerText !== before",
        arg=first,
        timeout=TIMEOUT,
    )
    assert "250,000.00" in page.locator("#address-table tbody tr").first.inner_text()
    assert page.evaluate(SCROLLING_TABLES) == []
    screenshot(page, "phone-address")

    page.goto(f"{base_url}/trace/tron/{THIEF}")
    page.wait_for_selector("#trace-graph canvas", timeout=TIMEOUT)
    graph = page.locator("#trace-graph").bounding_box()
    assert graph["width"] <= 390 and graph["height"] >= 300
    assert page.evaluate(WIDER_THAN_SCREEN) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # a legend item would not wrap: 393
    screenshot(page, "phone-trace")
    context.close()


def test_a_wide_screen_opens_the_parameters(browser, base_url, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)
    page.goto(f"{base_url}/address/tron/{THIEF}")
    page.wait_for_function("() => document.querySelector('#address-params-fold')?.open", timeout=TIMEOUT)
    context.close()


def test_a_phone_folds_the_navigation_behind_its_toggler(browser, base_url, user):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)
    assert page.evaluate(SCROLLING_TABLES) == []  # the demo actors' roles sit under their names
    assert not page.locator("#shell-logout").is_visible()
    page.click("#shell-toggler")
    page.locator("#shell-logout").wait_for(state="visible", timeout=TIMEOUT)
    context.close()


@pytest.mark.parametrize(("width", "height"), [(1440, 1000), (390, 844)])
def test_bad_url_parameters_open_the_parameters_with_each_field_in_red(
    browser, base_url, user, screenshot, width, height
):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)
    for path, fold, fields in (
        (f"/address/tron/{THIEF}?minimum_threshold=abc&time_difference=-5&value_method=zzz", "address-params-fold", 3),
        (f"/trace/tron/{THIEF}?hops=999&since=yesterday", "trace-filters-fold", 2),
    ):
        page.goto(base_url + path)
        page.wait_for_selector("#error-alert li", timeout=TIMEOUT)
        assert page.locator("#error-alert li").count() == fields
        page.wait_for_function(f"() => document.querySelector('#{fold}')?.open", timeout=TIMEOUT)
        invalid = page.locator(f"#{fold} .is-invalid")
        assert invalid.count() == fields and invalid.first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"bad-parameters-{path.split('/')[1]}-{width}")
    context.close()
