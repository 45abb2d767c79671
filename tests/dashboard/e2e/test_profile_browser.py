"""In Chromium: the address page shows who the address behaves like, and its similar addresses lead on."""

import fcntl

import pytest
from dashboard_helpers import THIEF
from playwright.sync_api import expect
from test_browser import TIMEOUT, log_in

from tracing.investigate.profiles import stored_features
from tracing.profiles.model import fit_model

pytestmark = pytest.mark.browser


def _model(services):
    rows, keys, reference, _ = stored_features(services.store)
    training = {"store": services.store.identity}
    return fit_model(rows, keys, reference=reference, algorithms=("average",), ks=range(5, 7), training=training)


@pytest.fixture
def trained(services, tmp_path, monkeypatch):
    monkeypatch.setattr(services, "profiles_model", str(_model(services).save(tmp_path / "model.joblib")))


def test_the_profile_card_in_the_browser(browser, base_url, user, trained, screenshot):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)
    page.goto(f"{base_url}/address/tron/{THIEF}")
    expect(page.locator("#address-profile-name")).to_have_text("sanctions-exposed", timeout=TIMEOUT)
    similar = page.locator("#address-profile-similar a")
    expect(similar).to_have_count(5)
    expect(page.locator("#address-profile-features tbody tr")).to_have_count(19)
    page.locator("#address-profile-card").scroll_into_view_if_needed()
    screenshot(page, "address-profile")
    href = similar.first.get_attribute("href")
    similar.first.click()
    page.wait_for_url(f"**{href}", timeout=TIMEOUT)
    expect(page.locator("#address-profile-name")).not_to_be_empty(timeout=TIMEOUT)


def test_the_card_fills_in_by_itself_when_the_first_model_is_saved(
    browser, base_url, user, services, tmp_path, monkeypatch, screenshot
):
    path = tmp_path / "model.joblib"
    monkeypatch.setattr(services, "profiles_model", str(path))
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base_url, *user)
    with open(path.with_suffix(".lock"), "a") as training:  # as the app's start does on a fresh install
        fcntl.flock(training, fcntl.LOCK_EX)
        page.goto(f"{base_url}/address/tron/{THIEF}")
        expect(page.locator("#address-profile-card")).to_contain_text("training", timeout=TIMEOUT)
        page.locator("#address-profile-card").scroll_into_view_if_needed()
        screenshot(page, "address-profile-training")
        _model(services).save(path)
    expect(page.locator("#address-profile-name")).to_have_text("sanctions-exposed", timeout=TIMEOUT)
