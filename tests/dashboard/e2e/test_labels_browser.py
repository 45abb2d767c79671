"""In Chromium: the labels page on a wide screen and a phone, and the trace graph's tooltip over a sanctioned node."""

import pytest
from playwright.sync_api import expect
from test_browser import TIMEOUT, log_in
from test_phone import SCROLLING_TABLES, WIDER_THAN_SCREEN

from tracing.sources.demo import GARANTEX, build_demo

pytestmark = pytest.mark.browser

WORLD = build_demo()


@pytest.mark.parametrize(("width", "height"), [(1440, 1000), (390, 844)])
def test_the_labels_page_lists_first_on_a_phone_and_pages(browser, base_url, user, screenshot, width, height):
    phone = width < 500
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)
    page.goto(f"{base_url}/labels")
    page.wait_for_selector("#labels-table tbody tr", timeout=TIMEOUT)
    expect(page.locator("#labels-pager")).to_contain_text("page 1 of", timeout=TIMEOUT)
    listing = page.locator("#labels-table").bounding_box()
    form = page.locator("#labels-form").bounding_box()
    assert (listing["y"] < form["y"]) is phone  # a phone reads the list first; a wide screen has the forms on top
    assert page.evaluate(WIDER_THAN_SCREEN) == []
    assert page.evaluate(SCROLLING_TABLES) == []  # a phone sees address, entity and the edit links
    assert page.locator("#labels-to-editor").is_visible() is phone  # the way down to the forms
    assert page.locator("#labels-export").is_visible()
    screenshot(page, f"labels-{width}")
    context.close()


def test_the_trace_graph_tooltip_names_a_sanctioned_node(browser, base_url, services, user, screenshot):
    own = services.store.transfers_of("tron", WORLD.cast["victim"])
    theft = str(own.tx_hash[own.receiver == WORLD.cast["thief"]][0])
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    log_in(page, base_url, *user)
    page.wait_for_selector("#home-demo-table", timeout=TIMEOUT)
    page.goto(f"{base_url}/trace/tron/{WORLD.cast['victim']}?model=poison&tx={theft}")
    expect(page.locator("#trace-summary")).to_contain_text("exit(s)", timeout=TIMEOUT)
    find = """(id) => {
        const holder = Array.from(document.querySelectorAll('#trace-graph, #trace-graph div')).find(d => d._cyreg);
        const node = holder && holder._cyreg.cy.getElementById(id);
        if (!node || !node.length) return null;
        holder._cyreg.cy.center(node);  // bring it into view, as a user panning to it would
        const at = node.renderedPosition(), frame = holder.getBoundingClientRect();  // the shape, not its caption
        return {x: frame.left + at.x, y: frame.top + at.y};
    }"""
    page.wait_for_function(f"(id) => ({find})(id) !== null", arg=GARANTEX, timeout=TIMEOUT)
    page.wait_for_timeout(400)  # the page's own re-measure after the summary pushed the graph down (250 ms)
    where = page.evaluate(find, GARANTEX)
    page.mouse.move(where["x"] - 40, where["y"] - 40)
    page.mouse.move(where["x"], where["y"], steps=5)  # the pointer over the node, as a user hovers it
    tip = page.locator("#trace-graph-tip")
    expect(tip).to_be_visible(timeout=TIMEOUT)
    expect(tip).to_contain_text("SANCTIONED · GARANTEX EUROPE OU")
    expect(tip).to_contain_text(GARANTEX)
    screenshot(page, "trace-tooltip")
    context.close()
