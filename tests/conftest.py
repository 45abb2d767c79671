"""Shared fixtures: temporary stores, the real public data folder, the PostgreSQL server."""

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tracing.settings import Settings
from tracing.sources.simulated import StubServer
from tracing.store import Store

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason`` on a user's machine; on CI (``CI`` set) the missing piece is an error."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, the team's real public data; tests that need it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent")
    return SHARED_DATA


@pytest.fixture
def stub():
    """A local HTTP server playing a chain API (see :mod:`tracing.sources.simulated`)."""
    server = StubServer()
    yield server
    server.close()


@pytest.fixture
def settings(stub) -> Settings:
    """Every provider pointed at ``stub``; short timeouts and backoff, pacing out of the way."""
    return Settings(
        trongrid_url=stub.url,
        etherscan_url=stub.url + "/v2/api",
        etherscan_api_key="TESTKEY",
        esplora_url=stub.url + "/api",
        solana_rpc_url=stub.url + "/rpc",
        chainalysis_url=stub.url + "/chainalysis",
        http_connect_timeout=1.0,
        http_read_timeout=0.5,
        http_retries=2,
        http_backoff=0.01,
        http_max_wait=5.0,
        http_rate=1e6,  # 1 µs apart: a recorded (not slept) wait never makes the pacer wait too
    )


@pytest.fixture
def store(tmp_path) -> Store:
    """An empty store on a temporary SQLite file."""
    s = Store(f"sqlite:///{tmp_path / 'test.db'}")
    yield s
    s.close()


def _postgres_schema_url() -> str:
    """A fresh schema on the test PostgreSQL server (skips when none answers)."""
    try:
        engine = sa.create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except Exception as err:  # any connection failure means: no server here
        skip_or_fail(f"no PostgreSQL at {PG_URL}: {type(err).__name__}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f"create schema {schema}"))
    engine.dispose()
    return schema


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request, tmp_path) -> str:
    """The URL of a database no Store has opened yet: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    schema = _postgres_schema_url()
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"drop schema {schema} cascade"))
    engine.dispose()


@pytest.fixture
def any_store(empty_database_url) -> Store:
    """The same tests on SQLite and, when a server answers at 127.0.0.1:5432, on PostgreSQL."""
    s = Store(empty_database_url)
    yield s
    s.close()
