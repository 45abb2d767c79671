"""End to end in Chromium: the demo theft's trace, switching the taint model, exporting GEXF."""

import re

import networkx as nx
import pytest
from playwright.sync_api import expect
from test_browser import TIMEOUT, log_in

from tracing.sources.demo import build_demo

pytestmark = pytest.mark.browser

WORLD = build_demo()


def test_trace_the_theft_switch_model_and_export(browser, base_url, services, user, screenshot, tmp_path):
    own = services.store.transfers_of("tron", WORLD.cast["victim"])
    theft = str(own.tx_hash[own.receiver == WORLD.cast["thief"]][0])
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)

    page.goto(f"{base_url}/trace/tron/{WORLD.cast['victim']}?model=poison&tx={theft}")
    expect(page.locator("#trace-summary")).to_contain_text("229,985.00 USDT reached 5 exit(s)", timeout=TIMEOUT)
    expect(page.locator("#trace-exits tbody tr:has(a)")).to_have_count(6)  # 5 exchange deposits, Garantex
    expect(page.locator("#trace-exits-sanctioned")).to_contain_text("Sanctioned · 1 · 8,000.00 USDT")
    expect(page.locator("#trace-exits")).to_contain_text(WORLD.cast["deposit_1"])
    assert page.locator("#trace-graph canvas").count() > 0
    screenshot(page, "trace-poison")

    page.select_option('select[id*="\\"model\\""]', "haircut")
    page.click("#trace-apply")
    page.wait_for_url(re.compile(r"/trace/tron/\w+\?tx=\w+$"), timeout=TIMEOUT)
    expect(page.locator("#trace-summary")).to_contain_text("haircut model", timeout=TIMEOUT)
    expect(page.locator("#trace-summary")).not_to_contain_text("229,985.00")

    with page.expect_download(timeout=TIMEOUT) as download:
        page.click("#trace-export")
    path = tmp_path / "trace.gexf"
    download.value.save_as(path)
    assert WORLD.cast["deposit_1"] in nx.read_gexf(path)
    context.close()


FIND_NODE = """(id) => {
    const holder = Array.from(document.querySelectorAll('#trace-graph, #trace-graph div')).find(d => d._cyreg);
    if (!holder) return null;
    const node = holder._cyreg.cy.getElementById(id);
    return node.length ? {id: node.id(), count: holder._cyreg.cy.nodes().length} : null;
}"""


def test_click_a_folded_node_and_expand_it(browser, base_url, user, screenshot):
    """The thief paid 25 scam victims: the trace folds them into one '+N more' node that a click expands."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    log_in(page, base_url, *user)
    page.goto(f"{base_url}/trace/tron/{WORLD.cast['thief']}")
    expect(page.locator("#trace-summary")).to_contain_text("exit(s)", timeout=TIMEOUT)
    more = f"{WORLD.cast['thief']}+more"
    page.wait_for_function(f"(id) => ({FIND_NODE})(id) !== null", arg=more, timeout=TIMEOUT)
    folded = page.evaluate(FIND_NODE, more)
    # The graph is a canvas: tap the node through Cytoscape, as a click on it would.
    page.evaluate(
        "(id) => Array.from(document.querySelectorAll('#trace-graph, #trace-graph div')).find(d => d._cyreg)"
        "._cyreg.cy.getElementById(id).emit('tap')",
        folded["id"],
    )
    expect(page.locator("#trace-node")).to_contain_text("Addresses folded", timeout=TIMEOUT)
    screenshot(page, "trace-folded-node")
    page.get_by_role("link", name="Expand").click()
    page.wait_for_url(re.compile(r"expanded="), timeout=TIMEOUT)
    # The expanded graph replaces the folded one: more nodes, and the thief's '+N more' node is gone.
    page.wait_for_function(
        """(before) => {
            const holder = Array.from(document.querySelectorAll('#trace-graph, #trace-graph div')).find(d => d._cyreg);
            return holder && holder._cyreg.cy.nodes().length > before;
        }""",
        arg=folded["count"],
        timeout=TIMEOUT,
    )
    assert page.evaluate(FIND_NODE, more) is None
    context.close()


def test_clicking_where_the_trace_stops_fetches_that_address_within_the_budget(
    browser, base_url, services, user, jobs, screenshot
):
    """The trace ends at an address with no stored onward transfers: a click fetches them and traces again."""
    from test_fetch_browser import tron

    from tracing.model import Chain, TransferTable
    from tracing.settings import Settings
    from tracing.sources.demo import USDT
    from tracing.sources.simulated import StubServer
    from tracing.sources.simulated.tron import serve_trongrid, trc20_item

    start, stop, onward = tron(3001), tron(3002), tron(3003)
    services.store.add_transfers(
        TransferTable.from_columns(
            Chain.TRON,
            tx_hash=["3001" * 16],
            index=[0],
            block=[1],
            timestamp=[1_772_000_000],
            sender=[start],
            receiver=[stop],
            asset=[USDT],
            amount=[50_000 * 10**6],
        ),
        "test",
    )
    services.forget()
    stub = StubServer()
    items = [trc20_item(f"{i + 1:064x}", stop, onward, 24_000 * 10**6, 1_772_000_600_000 + i) for i in range(2)]
    serve_trongrid(stub, stop, items, [])
    jobs(Settings(trongrid_url=stub.url, trace_fetch_budget=10))
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        log_in(page, base_url, *user)
        page.goto(f"{base_url}/trace/tron/{start}")
        expect(page.locator("#trace-fetch-used")).to_contain_text("0 of 10 requests used", timeout=TIMEOUT)
        page.wait_for_function(f"(id) => ({FIND_NODE})(id) !== null", arg=stop, timeout=TIMEOUT)
        assert page.evaluate(FIND_NODE, onward) is None
        page.evaluate(
            "(id) => Array.from(document.querySelectorAll('#trace-graph, #trace-graph div')).find(d => d._cyreg)"
            "._cyreg.cy.getElementById(id).emit('tap')",
            stop,
        )
        # no button to press: the fetch starts by itself, then the trace is drawn again with the onward address
        page.wait_for_function(f"(id) => ({FIND_NODE})(id) !== null", arg=onward, timeout=3 * TIMEOUT)
        expect(page.locator("#trace-fetch-used")).not_to_contain_text("0 of 10", timeout=TIMEOUT)
        screenshot(page, "trace-node-fetched")
        assert len(services.store.transfers_of("tron", stop)) == 3  # one in, the two fetched out
        page.wait_for_load_state("networkidle")  # closing mid-download leaks werkzeug's open asset file
    finally:
        context.close()
        stub.close()


OPENING_VIEW = """() => {
    const holder = Array.from(document.querySelectorAll('#trace-graph, #trace-graph div')).find(d => d._cyreg);
    const cy = holder && holder._cyreg.cy;
    if (!cy || !cy.nodes().length || cy.zoom() === 1) return null;  // not yet zoomed to its opening view
    const source = cy.nodes('[kind = "source"]').renderedPosition();
    const box = cy.nodes().renderedBoundingBox({includeLabels: true});
    return {zoom: cy.zoom(), width: cy.width(), height: cy.height(), box: box, source: source};
}"""


@pytest.mark.parametrize(
    ("width", "who", "query"),
    [
        (1400, "victim", "model=poison&tx="),
        (390, "victim", "model=poison&tx="),
        (1400, "mule_1_2", "direction=backward"),
    ],
)
def test_the_hop_columns_open_readable_with_every_caption_or_the_source_in_the_frame(
    browser, base_url, services, user, width, who, query
):
    """Wide: at 75-100 %, as tall as fits (the theft's SANCTIONED caption at the foot shows), the source's end in
    view; a phone: the whole graph. Computed from the elements' positions and the frame, not after a timer."""
    own = services.store.transfers_of("tron", WORLD.cast["victim"])
    theft = str(own.tx_hash[own.receiver == WORLD.cast["thief"]][0])
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, base_url, *user)
    page.goto(f"{base_url}/trace/tron/{WORLD.cast[who]}?{query}{theft if query.endswith('=') else ''}")
    view = page.wait_for_function(OPENING_VIEW, timeout=TIMEOUT).json_value()
    box, frame = view["box"], (view["width"], view["height"])
    if who == "victim":  # 556 px tall at 90 %: all of it, top to bottom; from the source's end on a wide screen
        assert box["y1"] >= 0 and box["y2"] <= frame[1]
        assert 0 <= box["x1"] < 40
        if width > 576:
            assert 0.75 <= view["zoom"] < 1
        else:
            assert box["x2"] <= frame[0]
    else:  # taller than the frame even at 75 %, centred: every hop's column shows, the source on the right
        assert view["zoom"] == 0.75
        assert box["x1"] >= 0 and box["x2"] <= frame[0]
        assert view["source"]["x"] > frame[0] / 2
    context.close()


def test_the_opening_view_rule(browser, base_url, user):
    """The rule itself (assets/trace_view.js): a graph smaller than the frame is centred at 100 %, never enlarged;
    one wider than the frame keeps the source's end in view, the right end of a backward trace."""
    page = browser.new_page()
    log_in(page, base_url, *user)
    page.wait_for_function("() => window.dash_clientside && window.dash_clientside.trace", timeout=TIMEOUT)
    view = page.evaluate("() => dash_clientside.trace.view({x1: -50, x2: 250, y1: -30, y2: 70}, 1000, 600, false)")
    assert view == {"zoom": 1, "pan": {"x": 400, "y": 280}}
    phone = page.evaluate("() => dash_clientside.trace.view({x1: 0, x2: 100, y1: 0, y2: 50}, 390, 420, true)")
    assert phone == {"zoom": 1, "pan": {"x": 145, "y": 185}}
    wide = page.evaluate("() => dash_clientside.trace.view({x1: -2000, x2: 60, y1: 0, y2: 1000}, 1000, 600, true)")
    assert wide == {"zoom": 0.75, "pan": {"x": 1000 - 20 - 45, "y": 300 - 375}}
    page.close()
