"""Exchanges' deposits, sweeps and withdrawals are not hiding: the hiding test reports them apart."""

from tracing.labels import Label, LabelIndex
from tracing.labels.tagpack import read_tagpack
from tracing.model import Chain
from tracing.params import Parameters
from tracing.scoring import score_tables
from tracing.sources.files import read_transfers
from tracing.testing import make_table

FTX = "0x2faf487a4414fe77e2327f0bf4ae2a264a776ad2"


def _mule_chain():
    # A pays 100 to M1, M1 forwards 99.5 to M2, M2 forwards 99 to B, within minutes
    return make_table([100, 99.5, 99], times=[0, 60, 120], senders=["A", "M1", "M2"], receivers=["M1", "M2", "B"])


def test_a_labelled_exchange_in_the_middle_is_not_a_mule():
    t = _mule_chain()
    plain = score_tables("A", t, LabelIndex(), Parameters()).tests["hiding"]
    assert plain.score == 100.0 and plain.evidence["chains"][0]["intermediaries"] == ["M1", "M2"]
    labels = LabelIndex([Label(Chain.TRON, "M1", "Some Exchange", "exchange", "test")])
    hiding = score_tables("A", t, labels, Parameters()).tests["hiding"]
    assert hiding.score == 0.0 and hiding.evidence["chains"] == []
    assert hiding.evidence["service_forwards"] == [
        {"address": "M1", "name": "Some Exchange", "category": "exchange", "forwards": 1}
    ]
    assert "ordinary business" in hiding.explanation
    # the chain after the exchange still counts for the one who rides it
    after = score_tables("M1", t, labels, Parameters()).tests["hiding"]
    assert after.evidence["chains"][0]["intermediaries"] == ["M2"]
    # a sanctioned intermediary is no service: still a chain
    listed = LabelIndex([Label(Chain.TRON, "M1", "Bad", "sanctioned", "test")])
    assert score_tables("A", t, listed, Parameters()).tests["hiding"].score == 100.0


def test_the_ftx_hot_wallet_is_not_hiding_once_labelled(shared_data):
    table = read_transfers(shared_data / "transfers" / "erc20-exports" / "ftx_19.csv", "etherscan-csv").tables[
        Chain.ETHEREUM
    ]
    before = score_tables(FTX, table, LabelIndex(), Parameters()).tests["hiding"]
    assert before.score == 13.26  # its ordinary deposit/withdrawal flow looked like 427 pass-through chains
    pack = shared_data / "labels" / "graphsense-tagpacks" / "etherscan-wordcloud-exchange.yaml"
    labels = LabelIndex(read_tagpack(pack).labels)
    after = score_tables(FTX, table, labels, Parameters())
    hiding = after.tests["hiding"]
    assert hiding.score == 0.0 and hiding.evidence["chains"] == []
    (ftx,) = hiding.evidence["service_forwards"]
    assert ftx["name"] == "FTX Exchange" and ftx["category"] == "exchange" and ftx["forwards"] == 312
    assert "pass_through_chain" not in {r.rule for r in after.risk.rules}
