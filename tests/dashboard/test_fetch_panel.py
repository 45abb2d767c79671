"""The address page's live-data panel, built without a browser: provider, missing keys, fetching on open, uploads."""

import base64

import pytest
from dashboard_helpers import THIEF

from dashboard import background
from dashboard.components.fetching import data_panel, import_upload, run_fetch
from tracing.errors import ImportFormatError
from tracing.settings import Settings

ETH = "0x" + "ab" * 20


def _find(component, wanted: str):
    """The component with id ``wanted`` inside ``component``."""
    if getattr(component, "id", None) == wanted:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found = _find(child, wanted)
            if found is not None:
                return found
    return None


@pytest.fixture
def panel(app, monkeypatch):
    def build(chain, address, **settings):
        monkeypatch.setattr(background.JOBS, "settings", Settings(**settings))
        with app.server.test_request_context():
            return data_panel(chain, address)

    return build


def test_a_stored_address_offers_a_refresh_from_its_provider(panel):
    built = panel("tron", THIEF)
    button = _find(built, "address-fetch-button")
    assert button.children == "Refresh from TronGrid" and not button.disabled
    assert _find(built, "address-fetch-auto").data is False


def test_a_missing_key_names_the_variable_and_disables_the_button(panel):
    built = panel("ethereum", ETH)
    assert _find(built, "address-fetch-button").disabled
    assert "set ETHERSCAN_API_KEY" in str(_find(built, "address-fetch-status").children)


def test_fetch_on_open_starts_for_an_unknown_address_only(panel):
    assert _find(panel("ethereum", ETH, etherscan_api_key="k", fetch_on_open=True), "address-fetch-auto").data is True
    assert _find(panel("tron", THIEF, fetch_on_open=True), "address-fetch-auto").data is False


def test_an_invalid_address_gets_no_panel(panel):
    assert _find(panel("tron", "not-an-address"), "address-fetch-button") is None


def test_a_job_reports_a_failing_source_as_a_message(monkeypatch, stub):
    monkeypatch.setattr(background.JOBS, "settings", Settings(trongrid_url=stub.url, http_retries=0))
    result = run_fetch({"chain": "tron", "address": THIEF})
    assert result["ok"] is False and result["error"] == "SourceUnavailable" and "HTTP 404" in result["message"]


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        ("data:text/csv;base64,!!!", "did not arrive whole"),
        ("data:text/csv;base64," + base64.b64encode(b"\xff\xfe").decode(), "not a UTF-8 text file"),
        ("data:text/csv;base64," + base64.b64encode(b"a,b\n1,2\n").decode(), "line 1: the header fits no known format"),
    ],
)
def test_broken_uploads_say_why(app, contents, message):
    with app.server.test_request_context(), pytest.raises(ImportFormatError, match=message):
        import_upload(contents, "x.csv", "auto")
