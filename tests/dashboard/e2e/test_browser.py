"""End to end in Chromium: log in, investigate the demo thief, change a threshold, share the link, log out."""

import re

import pytest
from dashboard_helpers import THIEF
from playwright.sync_api import expect

from tracing.params import Parameters

pytestmark = pytest.mark.browser

LOGIN_FORM = re.compile(r"/login\?next=")
TIMEOUT = 20_000  # ms: generous for a loaded 2-core CI machine


def log_in(page, base_url: str, name: str, password: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_url(LOGIN_FORM)
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("#login-submit")


def wait_for_marks(page, selector: str, more_than: int) -> None:
    """Wait until a chart has drawn more than ``more_than`` marks (plotly draws after the data arrives)."""
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length > n", arg=[selector, more_than], timeout=TIMEOUT
    )


def histogram_max_label(page) -> str:
    """The text of the maximum threshold's annotation in the z-score histogram."""
    label = page.locator("#address-histogram .annotation-text", has_text="maximum")
    label.wait_for(timeout=TIMEOUT)
    return label.text_content()


def test_investigation_round_trip(browser, base_url, services, user, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)
    screenshot(page, "home")

    page.fill("#home-address-input", THIEF)
    page.wait_for_selector("text=Valid TRON address.", timeout=TIMEOUT)
    page.click("#home-submit")
    page.wait_for_url(f"**/address/tron/{THIEF}", timeout=TIMEOUT)
    expected = services.investigate("tron", THIEF, Parameters()).report.final_score
    expect(page.locator("#address-score-value")).to_have_text(f"{expected:.1f}", timeout=TIMEOUT)
    wait_for_marks(page, "#address-timeline .scatterlayer .point", 10)
    wait_for_marks(page, "#address-histogram .barlayer .point", 3)
    assert histogram_max_label(page) == "maximum 3"
    screenshot(page, "address")

    threshold = page.locator('input[id*="maximum_threshold"]')
    threshold.fill("1.5")
    threshold.press("Enter")
    page.wait_for_url(re.compile(r"maximum_threshold=1\.5$"), timeout=TIMEOUT)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#address-histogram .annotation-text')]"
        ".some(e => e.textContent === 'maximum 1.5')",
        timeout=TIMEOUT,
    )
    link = page.locator("#address-share-link").input_value()
    assert link.endswith(f"/address/tron/{THIEF}?maximum_threshold=1.5")
    shown_score = f"{services.investigate('tron', THIEF, Parameters(maximum_threshold=1.5)).report.final_score:.1f}"
    expect(page.locator("#address-score-value")).to_have_text(shown_score, timeout=TIMEOUT)
    screenshot(page, "address-threshold")

    other = services.accounts.add_user("colleague_" + user[0], "colleague password", "viewer")
    fresh = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    fresh.goto(link)
    fresh.fill("#name", other.name)
    fresh.fill("#password", "colleague password")
    fresh.click("#login-submit")
    fresh.wait_for_url(link, timeout=TIMEOUT)
    expect(fresh.locator("#address-score-value")).to_have_text(shown_score, timeout=TIMEOUT)
    assert histogram_max_label(fresh) == "maximum 1.5"
    fresh.context.close()

    page.click("#shell-logout")
    page.wait_for_url(re.compile(r"/login$"), timeout=TIMEOUT)
    assert "logged out" in page.inner_text("body")
    page.goto(link)
    page.wait_for_url(LOGIN_FORM, timeout=TIMEOUT)
    assert page.request.post(base_url + "/_dash-update-component", data="{}").status == 401
    screenshot(page, "logged-out")
    context.close()
