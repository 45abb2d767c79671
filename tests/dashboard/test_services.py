"""The server-side caches: bounded by entries, by age and by the transfers they hold."""

from dashboard_helpers import THIEF

from dashboard.services import Services, _RecentCache
from tracing.params import Parameters
from tracing.sources.demo import build_demo


def test_the_cache_drops_the_least_recent_entries_beyond_its_transfer_budget():
    cache = _RecentCache(size=10, seconds=60, budget=100)
    cache.put("a", 1, 60)
    cache.put("b", 2, 30)
    assert cache.get("a") == 1  # now "b" is the least recent
    cache.put("c", 3, 30)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    cache.put("a", 4, 10)  # replacing an entry replaces its weight
    cache.put("d", 5, 60)
    assert (cache.get("a"), cache.get("c"), cache.get("d")) == (4, 3, 5)
    cache.put("huge", 6, 1_000)  # the newest stays even when it alone is over the budget
    assert cache.get("huge") == 6 and all(cache.get(k) is None for k in "acd")


def test_a_big_neighbourhood_pushes_older_ones_out(services, monkeypatch):
    small = Services(services.store, cache_transfers=1)  # every neighbourhood is over the budget
    reads = []
    original = small.store.transfers_where
    monkeypatch.setattr(small.store, "transfers_where", lambda *a, **k: reads.append(a) or original(*a, **k))
    small.investigate("tron", THIEF, Parameters())
    reads.clear()
    small.investigate("tron", THIEF, Parameters(transfers_coefficient=4.0))  # its own neighbourhood: kept
    assert reads == []
    small.investigate("tron", build_demo().cast["victim"], Parameters())
    reads.clear()
    small.investigate("tron", THIEF, Parameters(value_coefficient=2.0))  # pushed out: read again
    assert reads
