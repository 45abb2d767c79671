"""The figure builders of tracing.figures: thresholds on bin edges, flagged bins, aggregation of big timelines."""

import numpy as np
import pytest

from tracing import figures
from tracing.testing import make_table


def test_histogram_draws_both_thresholds_on_bin_edges():
    z = np.random.default_rng(1).normal(size=500)
    fig = figures.zscore_histogram(z, (z <= -1.7) | (z >= 2.2), -1.7, 2.2)
    assert [s.x0 for s in fig.layout.shapes] == [-1.7, 2.2]
    assert [a.text for a in fig.layout.annotations] == ["minimum -1.7", "maximum 2.2"]
    bars = fig.data[0]
    edges = np.concatenate([bars.x - bars.width / 2, [bars.x[-1] + bars.width / 2]])
    assert np.isclose(edges, -1.7).any() and np.isclose(edges, 2.2).any()


def test_histogram_counts_flagged_transfers_in_their_own_bars():
    z = np.array([-3.0, -0.5, 0.0, 0.5, 4.0])
    flagged = (z <= -2) | (z >= 3)
    normal, marked = figures.zscore_histogram(z, flagged, -2, 3).data
    assert sum(marked.y) == 2 and sum(normal.y) == 3
    assert all(x <= -2 or x >= 3 for x, count in zip(marked.x, marked.y) if count)


def test_histogram_of_nothing_says_so():
    fig = figures.zscore_histogram([], [], -2, 3)
    assert "No transfers" in [a.text for a in fig.layout.annotations]


def test_timeline_splits_directions_and_flags():
    table = make_table([1, 2, 3, 4], senders=["A", "B", "A", "B"], receivers=["B", "A", "B", "A"])
    fig = figures.timeline(table, "A", {"value": [2]})
    sizes = {trace.name: len(trace.x) for trace in fig.data}
    assert sizes == {"Incoming": 2, "Incoming · flagged": 0, "Outgoing": 1, "Outgoing · flagged": 1}
    assert fig.layout.yaxis.type == "log"
    assert not fig.layout.xaxis.rangeslider.visible  # a range slider draws every point a second time


@pytest.mark.parametrize("n", [30_000])
def test_big_timelines_are_aggregated_but_count_every_transfer(n):
    rng = np.random.default_rng(3)
    senders = np.where(rng.random(n) < 0.5, "A", "B").tolist()
    receivers = ["B" if s == "A" else "A" for s in senders]
    table = make_table(rng.lognormal(3, 1, n).round(2).tolist(), senders=senders, receivers=receivers)
    fig = figures.timeline(table, "A", {"value": np.arange(0, n, 10)})
    points = sum(len(trace.x) for trace in fig.data)
    assert points <= figures.MAX_POINTS
    assert sum(int(np.sum(trace.customdata)) for trace in fig.data) == n


def two_asset_table():
    from tracing.model.transfer import Asset

    eth, usdc = Asset("ETH", "native", 18), Asset("USDC", "0xa0b8", 6)
    values = [1500.0, 2.0, 900.0, 800.0, 700.0, 3.0]
    assets = [eth, eth, usdc, usdc, usdc, eth]
    return make_table(values, senders=["A"] * 6, receivers=["L", "B", "C", "D", "E", "B"], assets=assets)


def test_a_timeline_draws_one_asset_and_names_it_on_its_log_axis():
    table = two_asset_table()
    fig = figures.timeline(table, "A", {"value": [0], "hiding": [0, 1]}, asset="ETH")
    assert sum(len(t.x) for t in fig.data) == 3  # the three ETH transfers, never USDC
    assert fig.layout.yaxis.title.text == "amount (ETH, log scale)"
    assert fig.layout.yaxis.exponentformat == "power"  # 10⁻⁶, not "1µ"
    flagged = next(t for t in fig.data if t.name == "Outgoing · flagged")
    assert {tuple(row) for row in flagged.customdata} == {("L", "value, hiding"), ("B", "hiding")}
    assert ",.6f} ETH" in flagged.hovertemplate
    usdc = figures.timeline(table, "A", asset="USDC")
    assert sum(len(t.x) for t in usdc.data) == 3 and "USDC" in usdc.layout.yaxis.title.text


def test_histogram_names_its_asset_its_test_and_counts_whole_transfers():
    fig = figures.zscore_histogram([0.1, 0.2, 3.5], [False, False, True], -2, 3, symbol="ETH")
    assert fig.layout.xaxis.title.text == "z-score of ETH amounts"
    assert fig.data[1].name == "Flagged by unusual values"
    assert fig.layout.yaxis.tickformat == ",d" and fig.layout.yaxis.dtick == 1  # no 0.5 transfers
    legend = fig.layout.legend  # at the figure's foot, below the axis title, over no bar or label
    assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom")
    z = np.random.default_rng(2).normal(size=5000)
    big = figures.zscore_histogram(z, z > 3, -2, 3)
    assert big.layout.yaxis.type == "log" and "log scale" in big.layout.yaxis.title.text
