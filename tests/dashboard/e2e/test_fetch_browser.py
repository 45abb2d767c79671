"""In Chromium: fetch an unknown address in the background with progress, cancel a fetch, upload real CSV exports."""

import pytest
from playwright.sync_api import expect
from test_browser import TIMEOUT, log_in

from tracing.encodings import b58check_encode
from tracing.settings import Settings
from tracing.sources.files import read_transfers
from tracing.sources.simulated import Stall, StubServer
from tracing.sources.simulated.tron import serve_trongrid, trc20_item

pytestmark = pytest.mark.browser

SLOW = 3 * TIMEOUT  # scoring the treasury's thousands of transfers again on a loaded CI machine


def tron(i: int) -> str:
    return b58check_encode(b"\x41" + i.to_bytes(20, "big"))


def history(me: str, n: int) -> list[dict]:
    other = tron(7)
    return [trc20_item(f"{i:064x}", other, me, 1_000_000 * (i + 1), 1_772_000_000_000 + 60_000 * i) for i in range(n)]


@pytest.fixture
def slow_trongrid(jobs):
    """A TronGrid stand-in whose pages each take ``delay`` seconds; the app's jobs pointed at it."""
    stub = StubServer()

    def serve(me: str, n: int, delay: float) -> None:
        serve_trongrid(stub, me, history(me, n), [])
        handler = stub.routes[1][2][0]
        stub.routes[1] = (stub.routes[1][0], stub.routes[1][1], [lambda request: Stall(delay, handler(request))])

    jobs(Settings(trongrid_url=stub.url, http_rate=100.0))
    yield serve
    stub.close()


@pytest.fixture
def page(browser, base_url, user):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)
    yield page
    context.close()


def test_fetch_runs_in_the_background_with_progress_then_scores(page, base_url, services, slow_trongrid, screenshot):
    me = tron(1001)
    slow_trongrid(me, 2000, 0.6)  # 10 pages of 200
    page.goto(f"{base_url}/address/tron/{me}")
    expect(page.locator("#address-alert")).to_contain_text("no transfers are stored", timeout=TIMEOUT)
    page.click("#address-fetch-button")
    expect(page.locator("#address-fetch-cancel")).to_be_enabled(timeout=TIMEOUT)
    expect(page.locator("#address-fetch-button")).to_be_disabled()
    expect(page.locator("#address-fetch-progress")).to_contain_text("pages", timeout=TIMEOUT)
    screenshot(page, "fetch-running")
    expect(page.locator("#fetch-done")).to_contain_text("2000 new, 0 already stored", timeout=SLOW)
    expect(page.locator("#address-score")).to_contain_text(
        "2,000 transfers · tron · source: api:trongrid", timeout=TIMEOUT
    )
    screenshot(page, "fetch-done")
    assert len(services.store.transfers_of("tron", me)) == 2000


def test_cancel_stops_the_fetch_and_stores_nothing(page, base_url, services, slow_trongrid):
    me = tron(1002)
    slow_trongrid(me, 4000, 1.0)  # 20 pages of 200, a second each
    page.goto(f"{base_url}/address/tron/{me}")
    page.click("#address-fetch-button")
    expect(page.locator("#address-fetch-progress")).to_contain_text("pages", timeout=TIMEOUT)
    page.click("#address-fetch-cancel")
    expect(page.locator("#address-fetch-button")).to_be_enabled(timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    assert len(services.store.transfers_of("tron", me)) == 0


def _upload(page, path, fmt: str) -> None:
    page.select_option("#address-upload-format", fmt)
    page.set_input_files("#address-upload input[type=file]", str(path))


@pytest.mark.parametrize(
    ("folder", "name", "fmt", "address"),
    [
        ("tron-usdt-treasury", "tron.csv", "auto", "TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs"),  # TronScan's, by its header
        ("erc20-exports", "usdc.csv", "etherscan-csv", None),
    ],
)
def test_real_exports_upload_with_the_cli_counts(page, base_url, shared_data, folder, name, fmt, address):
    path = shared_data / "transfers" / folder / name
    expected = read_transfers(path, None if fmt == "auto" else fmt)
    chain, table = next(iter(expected.tables.items()))
    address = address or str(table.sender[0])
    page.goto(f"{base_url}/address/{chain.value}/{address}")
    _upload(page, path, fmt)
    done = page.locator("#upload-done")
    expect(done).to_contain_text(f"{chain.value}: {len(table)} transfers read", timeout=SLOW)
    page.reload()
    _upload(page, path, fmt)  # importing twice stores once
    expect(page.locator("#upload-done")).to_contain_text(f"0 new, {len(table)} already stored", timeout=SLOW)


def test_a_wrong_row_names_its_line_and_stores_nothing(page, base_url, services, tmp_path):
    me = tron(1003)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "chain,tx_hash,index,block,timestamp,from,to,asset,contract,decimals,amount\n"
        f"tron,{'a' * 64},0,1,2025-07-29T10:00:00Z,{me},{tron(8)},TRX,,6,1.5\n"
        f"tron,{'b' * 64},0,1,yesterday,{me},{tron(8)},TRX,,6,2\n"
    )
    page.goto(f"{base_url}/address/tron/{me}")
    _upload(page, bad, "generic-csv")
    expect(page.locator("#upload-error")).to_contain_text("line 3: timestamp 'yesterday'", timeout=SLOW)
    assert len(services.store.transfers_of("tron", me)) == 0
