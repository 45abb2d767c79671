"""Fixtures of the market tests: the real labelled pumps, a seeded synthetic market."""

from pathlib import Path

import pytest

from tracing.market import build_bars, read_trades
from tracing.market.backtest import read_events
from tracing.market.synthetic import synthetic_trades

SHARED_DATA = Path(__file__).resolve().parents[4] / "shared" / "data"  # as tests/conftest.py finds it


@pytest.fixture(scope="session")
def pump_files():
    """The real trade files of ../shared/data/pumps (skips without them)."""
    files = sorted((SHARED_DATA / "pumps" / "trades").glob("*.csv.gz"))
    if not files:
        pytest.skip("real pump data ../shared/data/pumps is absent")
    return files


@pytest.fixture(scope="session")
def pump_trades(pump_files):
    """All real trades, in time order."""
    return read_trades(*pump_files).in_time_order()


@pytest.fixture(scope="session")
def pump_events(pump_files):
    """The labelled events of PnDs.csv."""
    return read_events(pump_files[0].parents[1] / "PnDs.csv")


@pytest.fixture(scope="session")
def market():
    """60,000 synthetic trades over 40 pairs and 6 hours with 4 pumps: (trades, pumps)."""
    return synthetic_trades(60_000, 40, minutes=360, pumps=4, seed=7)


@pytest.fixture(scope="session")
def market_bars(market):
    """The synthetic market's bars."""
    return build_bars(market[0])
