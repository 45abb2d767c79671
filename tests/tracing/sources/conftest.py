"""Fixtures for the connector tests: a local stub server and fast HTTP settings."""

import pytest

from tracing.settings import Settings
from tracing.sources.simulated import StubServer


@pytest.fixture
def stub():
    server = StubServer()
    yield server
    server.close()


@pytest.fixture
def settings(stub) -> Settings:
    """Every provider pointed at the stub; short timeouts and backoff, no pacing to speak of."""
    return Settings(
        trongrid_url=stub.url,
        etherscan_url=stub.url + "/v2/api",
        etherscan_api_key="TESTKEY",
        esplora_url=stub.url + "/api",
        solana_rpc_url=stub.url + "/rpc",
        http_connect_timeout=1.0,
        http_read_timeout=0.5,
        http_retries=2,
        http_backoff=0.01,
        http_max_wait=5.0,
        http_rate=1000.0,
    )
