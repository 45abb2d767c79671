"""Compile the engine's numba kernels before the first investigation needs them.

On a new machine (or after the kernels changed) compiling takes a few seconds;
afterwards it is a load from the cache. The web app starts this in the
background, so the first address an investigator opens answers at full speed.
"""

import threading

from tracing.flow import FlowIndex
from tracing.labels import LabelIndex
from tracing.params import Parameters
from tracing.scoring import score_tables
from tracing.testing import make_table

__all__ = ["warm_up", "warm_up_in_background"]


def warm_up() -> None:
    """Score and index a tiny table with a burst and a pass-through, so that every kernel runs once."""
    table = make_table(
        [100.0, 99.5, 3.0, 4.0],
        times=[1_700_000_000, 1_700_000_060, 1_700_000_120, 1_700_000_180],
        senders=["A", "B", "B", "B"],
        receivers=["B", "C", "D", "E"],
    ).sorted()
    score_tables("B", table, LabelIndex(), Parameters())
    for direction in ("forward", "backward"):
        FlowIndex.build(table, direction)


def warm_up_in_background() -> threading.Thread:
    """Run :func:`warm_up` in a daemon thread; return the thread."""
    thread = threading.Thread(target=warm_up, name="tracing-warm-up", daemon=True)
    thread.start()
    return thread
