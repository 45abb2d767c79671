"""Benchmark: score one address with 10^4, 10^5 and 10^6 seeded synthetic transfers.

Prints, per size: seconds for all four tests and the danger score (best of a few
runs), transfers per second, peak memory of one run (``bench/peak.py``), and the ratio
to ``numpy.sort`` of the same number of timestamps (the floor any time-ordered
analysis pays). Target: 10^6 transfers under 1 s on one core, within 15x of the sort.

Each size runs twice: on the table in time order, as the store hands it over,
and on the same rows shuffled, which adds the canonical sort to the scoring.
Then, for the largest size in time order, the time of each part.

Run: ``.venv/bin/python bench/scoring.py [sizes...]``
"""

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import describe
from peak import peak_mib

from tracing.labels import Label, LabelIndex
from tracing.model import Chain, TransferTable
from tracing.params import Parameters
from tracing.scoring import score_tables
from tracing.scoring.frequency import frequent_transfers
from tracing.scoring.hiding import hiding_through_intermediaries, pass_through_links
from tracing.scoring.relation import relation_to_listed
from tracing.scoring.values import unusual_values
from tracing.testing import USDT_TRON

SEED = 42
REPEATS = 3


def synthetic(n: int, seed: int = SEED) -> tuple[TransferTable, LabelIndex, str]:
    """``n`` transfers of one address with power-law counterparties, heavy-tailed amounts, a year of times.

    A tenth of the rows are pass-through pairs (an amount received and sent on
    minutes later), so the hiding test has real work to do.
    """
    rng = np.random.default_rng(seed)
    n_parties = max(n // 10, 10)
    addresses = np.array([f"T{i:033d}" for i in range(n_parties + 1)])
    me = 0
    party = 1 + np.minimum(rng.zipf(1.6, n) - 1, n_parties - 1)
    incoming = rng.random(n) < 0.5
    src = np.where(incoming, party, me)
    dst = np.where(incoming, me, party)
    cents = np.round(rng.lognormal(5, 2, n) * 100).astype(np.int64) + 1
    times = 1_700_000_000 + rng.integers(0, 365 * 86_400, n)
    k = n // 20  # pass-through pairs: in at t, out the same amount a few minutes later
    if k:
        src[:k], dst[:k], src[k : 2 * k], dst[k : 2 * k] = party[:k], me, me, party[k : 2 * k]
        cents[k : 2 * k] = cents[:k]
        times[k : 2 * k] = times[:k] + rng.integers(60, 900, k)
    table = TransferTable.from_codes(
        Chain.TRON,
        addresses=addresses,
        assets=(USDT_TRON,),
        tx_hash=[f"{i:064x}" for i in range(n)],
        index=np.zeros(n, np.int64),
        block=(times - 1_700_000_000) // 3,
        timestamp=times,
        src=src,
        dst=dst,
        asset=np.zeros(n, np.int16),
        amount=cents * 10**4,
    )
    listed = LabelIndex(Label(Chain.TRON, str(a), "listed", "sanctioned", "bench") for a in addresses[1:6])
    return table, listed, str(addresses[me])


def wash_trading(n: int) -> TransferTable:
    """``n`` equal transfers going back and forth between two addresses every 2 s, one of them first paid
    by a third: every departure meets a window full of arrivals from the address it pays (the pattern
    that made linking quadratic before each list could skip a run of one counterparty).
    """
    src = np.tile([0, 1], n // 2 + 1)[:n]
    dst = 1 - src
    src[0] = 2
    return TransferTable.from_codes(
        Chain.TRON,
        addresses=np.array(["A", "B", "C"]),
        assets=(USDT_TRON,),
        tx_hash=[f"{i:064x}" for i in range(n)],
        index=np.zeros(n, np.int64),
        block=np.arange(n),
        timestamp=1_700_000_000 + 2 * np.arange(n),
        src=src,
        dst=dst,
        asset=np.zeros(n, np.int16),
        amount=np.full(n, 10**8),
    )


def best_of(func, repeats: int = REPEATS) -> float:
    """Fastest wall time of ``repeats`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def main(sizes: list[int]) -> None:
    """Print one line per size: the store's time-ordered table, then the same rows shuffled."""
    params = Parameters()
    print(describe())
    print(
        f"{'transfers':>10} {'input':>9} {'seconds':>8} {'transfers/s':>12} {'peak MiB':>9} {'sort s':>8} {'x sort':>7}"
    )
    for n in sizes:
        shuffled, labels, me = synthetic(n)
        stamps = shuffled.timestamp.copy()
        floor = best_of(lambda s=stamps: np.sort(s))
        for name, table in (("ordered", shuffled.sorted()), ("shuffled", shuffled)):
            seconds = best_of(lambda t=table, lb=labels, a=me: score_tables(a, t, lb, params))
            peak = peak_mib(lambda t=table, lb=labels, a=me: score_tables(a, t, lb, params))
            print(
                f"{n:>10,} {name:>9} {seconds:>8.3f} {n / seconds:>12,.0f} {peak:>9.1f} {floor:>8.4f} "
                f"{seconds / floor:>7.1f}"
            )


def breakdown(n: int) -> None:
    """Print the time of each part of the score for ``n`` time-ordered transfers."""
    shuffled, labels, me = synthetic(n)
    stamps = shuffled.timestamp.copy()
    floor = best_of(lambda: np.sort(stamps))
    table, params, washing = shuffled.sorted(), Parameters(), wash_trading(n)
    code = table.code_of(me)
    parts = {
        "canonical order check": lambda: table.sorted(),
        "value": lambda: unusual_values(table, params),
        "transfers": lambda: frequent_transfers(table, code, params),
        "hiding: linking": lambda: pass_through_links(table, tolerance=params.hiding_tolerance, window=13_000),
        "hiding: all": lambda: hiding_through_intermediaries(table, me, params),
        "relation": lambda: relation_to_listed(table, me, labels, params),
        "hiding: linking, wash-trading pair": lambda: pass_through_links(
            washing, tolerance=params.hiding_tolerance, window=13_000
        ),
    }
    print(f"\nparts at {n:,} time-ordered transfers {'ms':>7} {'x sort':>7}")
    for name, func in parts.items():
        seconds = best_of(func)
        print(f"  {name:<34} {seconds * 1000:>7.1f} {seconds / floor:>7.1f}")


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10**4, 10**5, 10**6]
    main(sizes)
    breakdown(max(sizes))
