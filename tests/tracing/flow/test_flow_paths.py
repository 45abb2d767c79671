"""Time-respecting paths between two addresses, ranked by amount."""

import pytest

from tracing.errors import AddressNotFound, NoFlowPath
from tracing.flow import flow_paths
from tracing.testing import make_table


def test_paths_are_ranked_by_their_bottleneck_amount():
    table = make_table(
        [10, 2, 10, 7, 1],
        times=[1, 2, 3, 4, 5],
        senders=["A", "X", "A", "Y", "A"],
        receivers=["X", "B", "Y", "B", "B"],
    )
    paths = flow_paths(table, "A", "B")
    assert [(p.addresses, p.amount) for p in paths] == [
        (("A", "Y", "B"), 7.0),
        (("A", "X", "B"), 2.0),
        (("A", "B"), 1.0),
    ]
    assert paths[0].transactions == (str(table.tx_hash[2]), str(table.tx_hash[3]))
    assert paths[0].times == (3, 4)


def test_a_path_that_goes_back_in_time_is_not_a_path():
    table = make_table([5, 5], times=[10, 1], senders=["A", "X"], receivers=["X", "B"])
    with pytest.raises(NoFlowPath):
        flow_paths(table, "A", "B")


def test_the_hop_limit_bounds_the_paths():
    names = ["A", "H1", "H2", "H3", "B"]
    table = make_table([1.0] * 4, times=[1, 2, 3, 4], senders=names[:-1], receivers=names[1:])
    assert len(flow_paths(table, "A", "B", hops=4)) == 1
    with pytest.raises(NoFlowPath):
        flow_paths(table, "A", "B", hops=3)


def test_an_unknown_address_is_refused():
    with pytest.raises(AddressNotFound):
        flow_paths(make_table([1.0]), "X", "NOBODY")


def test_the_demo_victims_money_reaches_a_deposit_through_three_mules(world, tron):
    cast = world.cast
    paths = flow_paths(tron, cast["victim"], cast["deposit_1"], asset="USDT")
    best = paths[0]
    assert best.addresses == (
        cast["victim"],
        cast["thief"],
        cast["mule_1_1"],
        cast["mule_1_2"],
        cast["mule_1_3"],
        cast["deposit_1"],
    )
    assert best.amount == pytest.approx(45_997)
    assert list(best.times) == sorted(best.times)
