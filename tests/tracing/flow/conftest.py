"""Fixtures of the flow tests: the demo world in memory and in a store, and its theft."""

import numpy as np
import pytest

from tracing.labels import LabelIndex
from tracing.model import Chain
from tracing.sources import demo
from tracing.store import Store


@pytest.fixture(scope="session")
def world():
    """The demo world (built once)."""
    return demo.build_demo()


@pytest.fixture(scope="session")
def tron(world):
    """The demo's TRON transfers."""
    return world.tables[Chain.TRON]


@pytest.fixture(scope="session")
def demo_labels(world):
    """The demo's labels as an index."""
    return LabelIndex(world.labels)


@pytest.fixture(scope="session")
def theft(world, tron) -> str:
    """Hash of the transaction that robbed the victim."""
    rows = (tron.sender == world.cast["victim"]) & (tron.receiver == world.cast["thief"])
    return str(tron.tx_hash[np.flatnonzero(rows)[0]])


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory) -> str:
    """A SQLite store holding the demo world (loaded once; tests must not write to it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('flow') / 'demo.db'}"
    store = Store(url)
    demo.load_demo(store)
    store.close()
    return url
