"""The risk rating: each severity rule on hand-built tables, and the demo world's actors rated as an
investigator would rate them."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracing.investigate import gather
from tracing.labels import Label, LabelIndex
from tracing.model import Chain
from tracing.params import Parameters
from tracing.scoring import score_tables
from tracing.scoring.risk import RATINGS, RULES, FiredRule, RiskInputs, rate
from tracing.sources import demo
from tracing.store import Store
from tracing.testing import make_table

P = Parameters()
T0 = 1_700_000_000
LABELS = LabelIndex(
    [
        Label(Chain.TRON, "BAD", "Bad Actor", "sanctioned", "test list", "SDN 1"),
        Label(Chain.TRON, "MIX", "Some Mixer", "mixer", "test tags"),
    ]
)


def _rating(table, address, labels=LABELS):
    report = score_tables(address, table, labels, P)
    return report.risk.rating, {r.rule: r.rating for r in report.risk.rules}


# -- each rule ---------------------------------------------------------------------------
def test_a_listed_address_is_severe_whatever_its_score():
    table = make_table([1.0] * 30, senders=["X"] * 29 + ["BAD"], receivers=["Y"] * 29 + ["X"])
    report = score_tables("BAD", table, LABELS, P)
    assert report.risk.rating == "severe"
    fired = report.risk.rules[0]
    assert fired.rule == "listed" and fired.evidence["listings"][0]["name"] == "Bad Actor"
    assert "Bad Actor (test list)" in fired.explanation


def test_one_transfer_with_a_listed_address_among_many_rates_high():
    senders = ["A"] * 99 + ["A"]
    receivers = [f"P{i}" for i in range(99)] + ["BAD"]
    times = [T0 + 86_400 * i for i in range(100)]
    report = score_tables("A", make_table([5.0] * 100, times=times, senders=senders, receivers=receivers), LABELS, P)
    assert report.final_score < 1  # what the weighted mean says
    assert report.risk.rating == "high"
    fired = report.risk.rules[0]
    assert fired.rule == "sanctioned_counterparty" and fired.evidence["transfers"] == 1
    assert fired.evidence["counterparties"][0]["address"] == "BAD"


def _chain(amounts, names):
    times = [T0 + 300 * i for i in range(len(amounts))]
    return make_table(amounts, times=times, senders=list(names[:-1]), receivers=list(names[1:])).sorted()


def test_a_chain_through_two_intermediaries_rates_high_and_one_forward_stays_low():
    assert _rating(_chain([1000, 999, 998], ("O", "M1", "M2", "D")), "M1") == ("high", {"pass_through_chain": "high"})
    assert _rating(_chain([1000, 999], ("O", "M", "D")), "M") == ("low", {"pass_through_chain": "low"})


def test_a_burst_of_ten_rates_medium_and_nine_does_not():
    for n, expected in ((10, "medium"), (9, "low")):
        table = make_table([3.0] * n, times=[T0 + 60 * i for i in range(n)], senders=["V"] * n, receivers=["S"] * n)
        rating, fired = _rating(table, "S")
        assert rating == expected and ("burst" in fired) == (n == 10)


def test_mixer_labels_rate_the_mixer_high_and_its_users_medium():
    table = make_table([1.0, 2.0], senders=["A", "MIX"], receivers=["MIX", "B"])
    assert _rating(table, "A") == ("medium", {"high_risk_counterparty": "medium"})
    rating, fired = _rating(table, "MIX")
    assert rating == "high" and fired["high_risk_label"] == "high" and "high_risk_counterparty" not in fired


def test_indirect_exposure_is_shown_but_stays_low():
    own = make_table([1.0], senders=["A"], receivers=["C"])
    second = make_table([5.0], senders=["C"], receivers=["BAD"])
    report = score_tables("A", own, LABELS, P, second_hop=second)
    assert report.risk.rating == "low" and [r.rule for r in report.risk.rules] == ["indirect_exposure"]


def test_nothing_fires_on_an_ordinary_history():
    report = score_tables(
        "A", make_table([1.0, 7.0, 3.0], senders=["A", "B", "A"], receivers=["B", "A", "C"]), LABELS, P
    )
    assert report.risk.rating == "low" and report.risk.rules == ()
    assert report.to_dict()["risk"] == {"rating": "low", "rules": []}


def test_a_registered_rule_takes_part_and_the_most_severe_leads():
    inputs = RiskInputs("A", make_table([1.0]), {}, LABELS)
    rules = {
        "note": lambda _: FiredRule("note", "low", {}, "a note"),
        "outlier": lambda _: FiredRule("outlier", "medium", {"z": 9}, "an outlier"),
        "quiet": lambda _: None,
    }
    risk = rate(inputs, rules)
    assert risk.rating == "medium" and [r.rule for r in risk.rules] == ["outlier", "note"]
    assert set(RULES) >= {"listed", "sanctioned_counterparty", "pass_through_chain", "burst"}


# -- the demo world ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('risk') / 'demo.db'}")
    demo.load_demo(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def world():
    return demo.build_demo()


def _payer_of(world, chain, listed):
    table = world.tables[chain]
    return str(table.sender[np.flatnonzero(table.receiver == listed)[0]])


def _rate(store, address, chain=None, params=P):
    return gather(store, address, chain, params).score(params)


def test_the_demo_criminals_rate_high_or_severe(demo_store, world):
    actors = {
        "thief": world.cast["thief"],
        "mule": world.cast["mule_1_2"],
        "Lazarus payer": _payer_of(world, Chain.ETHEREUM, demo.LAZARUS),
        "trafficker payer": _payer_of(world, Chain.BITCOIN, demo.YAN),
    }
    for who, address in actors.items():
        assert _rate(demo_store, address).risk.rating in ("high", "severe"), who
    thief = _rate(demo_store, world.cast["thief"])
    assert thief.final_score < 25  # the weighted mean alone calls the thief "Low"
    assert [r.rule for r in thief.risk.rules] == ["sanctioned_counterparty", "pass_through_chain", "burst"]
    assert thief.risk.rules[0].explanation == (
        "2 transfers directly with 2 listed addresses: GARANTEX EUROPE OU, Task Force Rusich."
    )  # one name each, the shipped OFAC list's (the demo's own facts are not stored twice)


def test_every_listed_address_is_severe(demo_store):
    for chain, address, *_ in demo.OFAC_FACTS:
        report = _rate(demo_store, address, chain)
        assert report.risk.rating == "severe" and report.risk.rules[0].rule == "listed", address


def test_ordinary_wallets_rate_low(demo_store, world):
    payers = {world.cast["wallet_7"]} | {
        _payer_of(world, c, a) for c, a in ((Chain.ETHEREUM, demo.LAZARUS), (Chain.BITCOIN, demo.YAN))
    }
    wallets = [a for name, a in world.cast.items() if "wallet" in name and a not in payers]
    assert len(wallets) > 100
    for address in wallets[::8]:  # a sample across all four chains
        assert _rate(demo_store, address).risk.rating == "low", address


@settings(max_examples=25, deadline=None)
@given(weights=st.lists(st.floats(0.0, 10.0), min_size=4, max_size=4).filter(lambda w: sum(w) > 0))
def test_no_weighting_changes_the_thiefs_rating(thief_neighbourhood, weights):
    names = ("value_coefficient", "transfers_coefficient", "hiding_coefficient", "relation_coefficient")
    params = P.with_(**dict(zip(names, weights, strict=True)))
    assert thief_neighbourhood.score(params).risk == thief_neighbourhood.score(P).risk


@pytest.fixture(scope="module")
def thief_neighbourhood(demo_store, world):
    return gather(demo_store, world.cast["thief"])


def test_raising_the_relation_weight_cannot_lower_the_rating(thief_neighbourhood):
    before = thief_neighbourhood.score(P)
    after = thief_neighbourhood.score(P.with_(relation_coefficient=5))
    assert after.final_score < before.final_score  # the weighted mean falls (8.7 from 23.7)
    assert RATINGS.index(after.risk.rating) >= RATINGS.index(before.risk.rating) == RATINGS.index("high")
