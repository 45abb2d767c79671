"""The address page's live-data panel, built without a browser: provider, missing keys, fetching on open, uploads."""

import base64

import pytest
from dash import no_update
from dashboard_helpers import THIEF

from dashboard.components.fetching import callback_address_upload, data_panel, import_upload, run_fetch
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
def panel(app, jobs):
    def build(chain, address, **settings):
        jobs(Settings(**settings))
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


def test_a_job_reports_a_failing_source_as_a_message(jobs, stub):
    jobs(Settings(trongrid_url=stub.url, http_retries=0))
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


def _upload(text: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


TRONSCAN = "transaction_id,block,block_ts,from_address,to_address,confirmed,contractRet,quant\n"
USDC_TRC20 = "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8"


def test_the_upload_form_asks_for_symbol_contract_and_decimals(panel):
    built = panel("tron", THIEF)
    shown = {
        name: _find(built, {"type": "address-upload-option", "name": name}).placeholder
        for name in ("asset", "contract", "decimals")
    }
    assert shown["asset"].startswith("Token symbol") and shown["contract"].startswith("Token contract")
    assert shown["decimals"].startswith("Decimals")


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        (["", "", "x6"], "decimals", "a whole number from 0 to 36"),
        (["BTT", "", ""], "contract", "give its contract with its symbol"),
        (["USDC", "Tnope", ""], "contract", "not a valid tron address"),
    ],
)
def test_a_wrong_option_is_said_next_to_its_field_and_nothing_is_stored(app, services, values, field, reason):
    me = "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8"
    contents = _upload(TRONSCAN + f"{'ef' * 32},1,1600000000,{me},{THIEF},true,SUCCESS,1.000000\n")
    with app.server.test_request_context():
        alert, request, cleared, invalid, errors = callback_address_upload(contents, "t.csv", "auto", values, {})
    names = ["asset", "contract", "decimals"]
    assert invalid == [n == field for n in names] and reason in errors[names.index(field)]
    assert alert.color == "danger" and f"Fix the {field}" in alert.children and request is no_update and cleared is None
    assert services.store.sources_of("tron", me) == []


def test_an_upload_of_another_token_takes_its_symbol_contract_and_decimals(app, services):
    me, other = "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8", "TKzxdSv2FZKQrEqkKVgp5DcwEXBEKMg2Ax"
    contents = _upload(TRONSCAN + f"{'fe' * 32},1,1600000000,{me},{other},true,SUCCESS,3.00\n")
    try:
        with app.server.test_request_context():
            alert, request, _, invalid, _ = callback_address_upload(
                contents, "usdc.csv", "tronscan-csv", ["USDC", USDC_TRC20, "2"], {"r": 1}
            )
        assert alert.color == "success" and request == {"r": 1} and invalid == [False] * 3
        table = services.store.transfers_of("tron", me)
        assert [(a.symbol, a.contract, a.decimals) for a in table.assets] == [("USDC", USDC_TRC20, 2)]
        assert [int(x) for x in table.amount] == [300]
    finally:  # the app's store is shared: leave it as the demo world (a 2020 transfer moved pages' dates)
        services.store.delete_source("import:tronscan-csv:usdc.csv")
        services.forget()
