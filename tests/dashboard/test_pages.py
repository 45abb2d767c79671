"""Page logic without a browser: form validation, URL state, the transfer table, the built layouts."""

import gzip
import importlib
import re

import dash
import pytest
from dashboard_helpers import THIEF

from dashboard.components.forms import address_help, marked_fields, navigation_target
from dashboard.components.results import danger_band
from dashboard.tables import table_query, transfer_page
from tracing.params import COEFFICIENTS, Parameters


def page(app, name: str):
    """A page module, as the app loaded it (pages register only once an app exists)."""
    return importlib.import_module(f"dashboard.pages.{name}")


def find(component, component_id):
    """The component with ``component_id`` inside a layout, or None."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child, "to_plotly_json") and (found := find(child, component_id)) is not None:
            return found
    return None


@pytest.mark.parametrize(
    ("text", "chain", "invalid", "words"),
    [
        (THIEF, "auto", False, "Valid TRON"),
        (THIEF, "ethereum", True, "not a valid ethereum address"),
        (THIEF[:-1] + "7", "auto", True, "checksum"),
        ("", "auto", False, "detected from the format"),
    ],
)
def test_address_help_names_the_chain_or_the_problem(text, chain, invalid, words):
    flagged, message = address_help(text, chain)
    assert flagged is invalid
    assert words in message


def test_navigation_keeps_only_changed_parameters_in_the_url():
    path, address_error, errors = navigation_target(
        f"  {THIEF} ", "auto", {"maximum_threshold": "2.5", "time_difference": 13000}
    )
    assert path == f"/address/tron/{THIEF}?maximum_threshold=2.5"
    assert address_error is None and errors == {}


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"minimum_threshold": 4, "maximum_threshold": 3}, {"minimum_threshold"}),
        ({"time_difference": -5}, {"time_difference"}),
        (
            {"value_coefficient": 0, "transfers_coefficient": 0, "hiding_coefficient": 0, "relation_coefficient": 0},
            {"value_coefficient", "transfers_coefficient", "hiding_coefficient", "relation_coefficient"},
        ),
    ],
)
def test_bad_parameters_mark_their_fields_and_stay(values, fields):
    path, _, errors = navigation_target(THIEF, "auto", values)
    assert path is None
    assert set(marked_fields(errors)) == fields


def test_invalid_address_does_not_navigate():
    path, address_error, _ = navigation_target("0x123", "auto", {})
    assert path is None and "Ethereum" in address_error


@pytest.mark.parametrize(("score", "label"), [(0, "low"), (30, "elevated"), (60, "high"), (99, "severe")])
def test_danger_bands(score, label):
    assert danger_band(score)[0] == label


def test_transfer_table_filters_sorts_and_pages(services):
    found = services.investigate("tron", THIEF, Parameters())
    total = len(found.report.table)
    table, pages, page, count = transfer_page(found, 1, table_query("value:desc", None, None, None, None, "all"))
    amounts = [float(row.children[2].children.split()[0].replace(",", "")) for row in table.children[1].children]
    assert amounts == sorted(amounts, reverse=True)
    assert count == f"{total:,} of {total:,} transfers" and page == 1 and pages == -(-total // 15)
    _, _, _, count = transfer_page(found, 1, table_query("timestamp:asc", None, None, 10_000, None, "all"))
    assert int(count.split()[0].replace(",", "")) == int((found.report.table.value >= 10_000).sum())
    _, _, _, count = transfer_page(found, 1, table_query("z:asc", "2025-07-29", "2025-07-29", None, None, "hiding"))
    assert 0 < int(count.split()[0]) <= found.report.tests["hiding"].rows.size
    _, pages, page, _ = transfer_page(found, 99, table_query("", None, None, None, None, "all"))
    assert page == pages


def test_address_layout_follows_the_url(app):
    with app.server.test_request_context("/"):
        layout = page(app, "address").layout("tron", THIEF, maximum_threshold="2.5")
    request = find(layout, "address-request").data
    assert request["params"]["maximum_threshold"] == 2.5
    assert find(layout, "address-share-link").value.endswith(f"/address/tron/{THIEF}?maximum_threshold=2.5")


def test_address_layout_shows_every_bad_url_parameter_by_its_label_and_next_to_its_field(app):
    with app.server.test_request_context("/"):
        layout = page(app, "address").layout(
            "tron", THIEF, minimum_threshold="abc", time_difference="-5", value_method="zzz"
        )
    assert find(layout, "address-request").data is None
    alert = find(layout, "address-alert").children
    assert alert.children[0] == "Fix these 3 parameters:"
    labels = [li.children.split(":")[0] for li in alert.children[1].children]
    assert labels == ["Minimum z threshold", "Time difference (s)", "Value method"]
    helps = {n: find(layout, {"type": "address-param-help", "name": n}) for n in ("minimum_threshold", "value_method")}
    assert "must be a number" in helps["minimum_threshold"].children and helps["value_method"].color == "danger"
    assert find(layout, {"type": "address-param", "name": "value_method"}).invalid
    assert not find(layout, {"type": "address-param", "name": "maximum_threshold"}).invalid
    assert find(layout, "address-params-fold").open  # a phone shows the fields to fix, not a closed fold
    with app.server.test_request_context("/"):
        fine = page(app, "address").layout("tron", THIEF, maximum_threshold="2.5")
    assert find(fine, "address-alert").children is None and not find(fine, "address-params-fold").open


def test_the_four_weights_at_zero_are_one_line_of_the_alert_and_mark_each_weight(app):
    with app.server.test_request_context("/"):
        layout = page(app, "address").layout("tron", THIEF, **dict.fromkeys(COEFFICIENTS, "0"))
    [line] = find(layout, "address-alert").children.children[1].children
    assert line.children.startswith("Weights: at least one")
    assert all(find(layout, {"type": "address-param", "name": n}).invalid for n in COEFFICIENTS)


def test_home_lists_the_demo_actors(app):
    with app.server.test_request_context("/"):
        layout = page(app, "home").layout()
    assert f"/address/tron/{THIEF}" in str(find(layout, "home-demo-table").to_plotly_json())


def test_the_demo_card_names_every_chain_it_lists_and_each_actor_reads_well(app):
    from dashboard.components import NARROW_ONLY, WIDE_ONLY

    home = page(app, "home")
    actors = home._actors()
    assert {chain.display_name for chain, *_ in actors} == {"TRON", "Ethereum", "Bitcoin", "Solana"}
    assert all(chain.display_name in home.DEMO_TITLE for chain, *_ in actors)
    assert not any(re.search(r"\d \d", name) for _, _, name, _ in actors)  # no "mule 1 1"
    row = home._actor_rows()[0]
    first, *_, last = row.children
    assert NARROW_ONLY in first.children[1].className and WIDE_ONLY in last.className  # a phone: role under the name
    assert first.children[1].children == last.children


@pytest.mark.parametrize("text", ["   ", "", "TXXXXnotanaddress"])
def test_home_says_why_a_submitted_address_cannot_be_opened(app, text):
    with app.server.test_request_context("/"):
        href, invalid, message, colour = page(app, "home").callback_home_submit(1, None, text, "auto")
    assert href is dash.no_update and invalid and colour == "danger"
    assert message == navigation_target(text, "auto", {})[1] and ("empty" in message) is (not text.strip())


def test_home_opens_a_valid_address_padded_with_spaces(app):
    with app.server.test_request_context("/"):
        href, *helps = page(app, "home").callback_home_submit(1, None, f"  {THIEF} ", "auto")
    assert href == f"/address/tron/{THIEF}" and all(h is dash.no_update for h in helps)


def test_address_page_links_to_a_trace_from_the_address(app):
    with app.server.test_request_context("/"):
        layout = page(app, "address").layout("tron", THIEF)
    assert find(layout, "address-trace-link").href == f"/trace/tron/{THIEF}"


def test_home_links_to_the_trace_of_the_theft(app):
    from tracing.sources.demo import build_demo

    world = build_demo()
    with app.server.test_request_context("/"):
        layout = page(app, "home").layout()
    href = find(layout, "home-trace-theft").href
    assert href.startswith(f"/trace/tron/{world.cast['victim']}?") and f"tx={world.theft_tx}" in href


def test_the_risk_card_leads_with_the_rating_and_links_the_evidence(services):
    from dashboard.components.risk import risk_panels

    found = services.investigate("tron", THIEF, Parameters())
    panels = risk_panels(found.report)
    assert find(panels, "address-risk-rating").children == "HIGH"
    sanctioned = find(panels, "address-risk-sanctioned_counterparty")
    assert "GARANTEX EUROPE OU" in sanctioned.children[1].children
    links = [c for c in _walk(sanctioned) if getattr(c, "href", None)]
    assert any(link.href.startswith("/address/tron/T") for link in links)
    # the weighted mean beside it, with what each test adds
    assert find(panels, "address-score-value").children == f"{found.report.final_score:.1f}"
    rows = find(panels, "address-score-contributions").children[1].children
    added = [float(row.children[3].children) for row in rows]
    assert sum(added) == pytest.approx(found.report.final_score, abs=0.2)


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from _walk(child)


def test_a_new_threshold_is_scored_without_reading_the_store_again(services, monkeypatch):
    first = services.investigate("tron", THIEF, Parameters())
    reads = []
    original = services.store.transfers_where
    monkeypatch.setattr(services.store, "transfers_where", lambda *a, **k: reads.append(a) or original(*a, **k))
    heavier = services.investigate("tron", THIEF, Parameters(transfers_coefficient=4.0))
    assert reads == [] and heavier.report.params.transfers_coefficient == 4.0
    assert heavier.report.final_score > first.report.final_score  # the thief's bursts weigh more
    services.investigate("tron", THIEF, Parameters(time_difference=600))  # decides which transfers are read
    assert reads


def test_answers_are_compressed_for_browsers_that_ask(logged_in):
    plain = logged_in.get("/_dash-layout")
    packed = logged_in.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers and packed.headers["Content-Encoding"] == "gzip"
    token = re.compile(rb'"value":"[^"]+","type":"hidden","name":"csrf_token"')  # signed with the second it was made
    assert token.search(plain.data) and token.sub(b"", gzip.decompress(packed.data)) == token.sub(b"", plain.data)
    assert len(packed.data) < len(plain.data) / 2


def test_counterparties_are_ranked_per_asset_so_the_lazarus_payment_leads_eth(services):
    from tracing.sources.demo import LAZARUS, build_demo
    from tracing.summaries import counterparties

    payer = build_demo().cast["ethereum_wallet_3"]
    found = services.investigate("ethereum", payer, Parameters())
    rows = counterparties(found.report, found.labels)
    eth = [r for r in rows if r["asset"] == "ETH"]
    assert eth[0]["address"].lower() == LAZARUS and eth[0]["sent_to"] == 1500
    assert "Lazarus" in eth[0]["label"]
    assets = [r["asset"] for r in rows]
    assert sorted(set(assets)) == ["ETH", "USDC"] and assets == sorted(assets, key=assets.index)  # grouped
    assert all(len([a for a in assets if a == s]) <= 10 for s in set(assets))


def test_sanctioned_counterparties_read_sanctioned_in_both_tables(services):
    from dashboard.components.transfers import counterparties_table, transfers_table
    from tracing.sources.demo import GARANTEX
    from tracing.summaries import counterparties, transfer_records

    found = services.investigate("tron", THIEF, Parameters())
    table = found.report.table
    rows = [i for i in range(len(table)) if table.receiver[i] == GARANTEX]
    records = transfer_records(found.report, rows, found.labels, found.z)
    assert records[0]["sanctioned"] and records[0]["label"].startswith("GARANTEX")
    cell = str(transfers_table(records, "tron", THIEF))
    assert "SANCTIONED" in cell and "text-danger" in cell
    parties = counterparties(found.report, found.labels)
    assert {r["address"] for r in parties if r["sanctioned"]} >= {GARANTEX}
    assert "SANCTIONED" in str(counterparties_table(parties, "tron"))
    assert not any(r["sanctioned"] for r in parties if r["address"] != GARANTEX and "sanctioned" not in r["label"])


def test_the_pages_charts_follow_the_asset_picker(app, services):
    from tracing.sources.demo import build_demo

    payer = build_demo().cast["ethereum_wallet_3"]
    request = {"chain": "ethereum", "address": payer, "params": Parameters().to_dict()}
    with app.server.test_request_context("/"):
        results = page(app, "address").callback_address_results(request)
        other = "ETH" if results[6] == "USDC" else "USDC"
        timeline, histogram = page(app, "address").callback_address_charts(other, results[-1])
    options, chosen = results[5], results[6]
    assert {o["value"] for o in options} == {"ETH", "USDC"} and chosen == options[0]["value"]
    assert chosen in results[7].layout.yaxis.title.text
    assert other in timeline.layout.yaxis.title.text and other in histogram.layout.xaxis.title.text
    assert "1,500.00 ETH" in str(results[4])  # the counterparty table, Lazarus's row


def test_the_transfer_table_names_the_flagging_test_links_and_offers_a_trace(services):
    found = services.investigate("tron", THIEF, Parameters())
    table, *_ = transfer_page(found, 1, table_query("value:desc", None, None, None, None, "hiding"))
    text = str(table)
    assert "pass-through" in text and "table-danger" in text
    assert "/address/tron/" in text and f"/trace/tron/{THIEF}?asset=USDT&amp;tx=" not in text
    assert f"/trace/tron/{THIEF}?" in text and "tx=" in text


def _identity_of(app, chain, address):
    request = {"chain": chain, "address": address, "params": Parameters().to_dict()}
    with app.server.test_request_context("/"):
        return str(page(app, "address").callback_address_results(request)[1])


def test_the_header_names_the_address_and_its_sanctions_in_red(app):
    from tracing.sources.demo import GARANTEX, build_demo

    listed = _identity_of(app, "tron", GARANTEX)
    assert "color='danger'" in listed and "OFAC SDN" in listed and "GARANTEX EUROPE OU" in listed
    assert "listed 2022-04-05" in listed and "CYBER4" in listed
    exchange = _identity_of(app, "tron", build_demo().cast["exchange_hot_wallet"])
    assert "Demo Exchange · exchange" in exchange and "danger" not in exchange
    assert "No label known" in _identity_of(app, "tron", THIEF)


def test_tab_titles_name_the_address(app):
    import dash

    titles = {p["module"].split(".")[-1]: p["title"] for p in dash.page_registry.values()}
    assert titles["address"](chain="tron", address=THIEF) == "TVEt2w…kqk6 · Address · Tracing"
    assert titles["trace"](chain="tron", address=THIEF).startswith("TVEt2w…kqk6 · Trace")


def test_home_offers_every_chains_actors_and_this_users_recent_investigations(app):
    from tracing.sources.demo import build_demo

    cast = build_demo().cast
    request = {"chain": "tron", "address": THIEF, "params": Parameters().to_dict()}
    with app.server.test_request_context("/"):
        before = str(find(page(app, "home").layout(), "home-recent"))
        page(app, "address").callback_address_results(request)
        after = str(find(page(app, "home").layout(), "home-recent"))
        actors = str(find(page(app, "home").layout(), "home-demo-table"))
    assert "Nothing yet" in before and f"/address/tron/{THIEF}" in after
    for chain, name in (
        ("ethereum", "ethereum_wallet_3"),
        ("bitcoin", "bitcoin_wallet_5"),
        ("solana", "solana_wallet_0"),
    ):
        assert f"/address/{chain}/{cast[name]}" in actors


def test_evidence_wraps_at_word_boundaries_and_addresses_never_break():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "assets" / "app.css").read_text()
    assert "break-all" not in css  # "word-break: break-all" cut evidence sentences mid-word
    assert ".address-link { white-space: nowrap; }" in css


def test_one_answer_draws_scores_charts_first_table_page_and_bounds_the_date_picker(app):
    from dash.exceptions import PreventUpdate

    request = {"chain": "tron", "address": THIEF, "params": Parameters().to_dict()}
    with app.server.test_request_context("/"):
        results = page(app, "address").callback_address_results(request)
        with pytest.raises(PreventUpdate):  # the asset the answer drew is not drawn again
            page(app, "address").callback_address_charts(results[6], results[-1])
    timeline, histogram, table = results[7], results[8], results[9]
    assert "USDT" in timeline.layout.yaxis.title.text and histogram.data
    assert "address-table" in str(table) and results[11].endswith("transfers")
    first, last, month = results[14:17]
    assert first.startswith("2025-") and last >= first and month == first[:8] + "01"


def test_a_minimum_above_the_maximum_is_said_next_to_both_fields(app):
    request = {"chain": "tron", "address": THIEF, "params": Parameters().to_dict(), "asset": "USDT"}
    with app.server.test_request_context("/"):
        body, _, _, message, low_invalid, high_invalid = page(app, "address").callback_address_table(
            1, "timestamp:asc", None, None, 500, 100, "all", request
        )
    assert body is None and "above the maximum" in str(message) and low_invalid and high_invalid


def test_an_unknown_path_answers_404_and_pages_answer_200(logged_in):
    assert logged_in.get("/no/such/page").status_code == 404
    assert logged_in.get(f"/address/tron/{THIEF}").status_code == 200
    assert logged_in.get("/").status_code == 200


def test_notanaddress_matches_no_supported_chain():
    invalid, message = address_help("notanaddress", "auto")
    assert invalid and "matches no supported chain (TRON, Ethereum, Bitcoin, Solana)" in message


def test_a_wrong_parameter_is_said_next_to_its_field_and_the_results_are_marked_stale(app):
    values = [
        {"id": {"type": "address-param", "name": n}, "property": "value"}
        for n in ("maximum_threshold", "time_difference", "value_method")
    ]
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    with app.server.test_request_context("/"):
        context_value.set(AttributeDict(inputs_list=[{}, {}, values], triggered_inputs=[]))
        href, invalid, helps, colours, alert = page(app, "address").callback_address_navigate(
            1, None, [3, -5, "magic"], THIEF, "auto"
        )
    assert href is dash_no_update() and invalid == [False, True, True] and colours == ["muted", "danger", "danger"]
    assert "time_difference" not in helps[0] and "positive" in helps[1] and "zscore, robust" in helps[2]
    assert (
        "previous parameters" in str(alert) and "Time difference (s): " in str(alert) and "Value method: " in str(alert)
    )


def dash_no_update():
    from dash import no_update

    return no_update
