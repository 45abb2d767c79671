"""Every key, URL and limit the engine reads, from the environment or a ``.env`` file.

The command line and the web app read the same :class:`Settings`, so a key set
once works in both. Defaults are the providers' public endpoints; keys are
optional where the provider serves keyless clients (TronGrid, Esplora, Solana's
public RPC) and required where it does not (Etherscan).

>>> Settings.from_env({"TRONGRID_URL": "http://127.0.0.1:9"}).trongrid_url
'http://127.0.0.1:9'
>>> Settings.from_env({}).fetch_max_transfers
100000
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from dotenv import load_dotenv

from tracing.errors import BadParameters

__all__ = ["Settings", "load_settings", "unix_seconds"]


@dataclass(frozen=True)
class Settings:
    """Chain API endpoints and keys, HTTP behaviour and fetch limits; each field's variable is its name in capitals."""

    trongrid_url: str = "https://api.trongrid.io"
    trongrid_api_key: str = ""
    etherscan_url: str = "https://api.etherscan.io/v2/api"
    etherscan_api_key: str = ""
    esplora_url: str = "https://blockstream.info/api"
    solana_rpc_url: str = "https://api.mainnet-beta.solana.com"
    chainalysis_url: str = "https://public.chainalysis.com/api/v1"
    chainalysis_api_key: str = ""
    chainalysis_cache_ttl: int = 86_400  # seconds an answer of the sanctions API is reused
    chainalysis_counterparties: int = 20  # direct counterparties a score screens with the API (most transfers first)
    sdn_url: str = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_ADVANCED.XML"
    redis_url: str = ""
    http_connect_timeout: float = 5.0
    http_read_timeout: float = 20.0
    http_retries: int = 4
    http_backoff: float = 0.5  # seconds before the first retry; doubles each time, with jitter
    http_max_wait: float = 60.0  # longest Retry-After honoured before giving up with RateLimited
    http_rate: float = 4.0  # requests per second per host (TronGrid keyless and Etherscan free allow ~5)
    fetch_max_transfers: int = 100_000
    fetch_since: int | None = None  # Unix seconds: the oldest transfer fetched
    fetch_on_open: bool = False  # the address page fetches at once instead of offering a button
    trace_fetch_budget: int = 20  # API calls one trace page may spend fetching expanded nodes
    profiles_model: str = "instance/profiles/model.joblib"  # the behavioural profile model (tracing profiles train)

    @classmethod
    def variable(cls, name: str) -> str:
        """The environment variable of the field ``name``: its name in capitals."""
        return name.upper()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Settings from ``environ`` (default: ``os.environ``), then ``overrides``.

        Raises
        ------
        BadParameters
            A variable holds something that is not a number (or a yes/no) where one is needed.
        """
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            text = environ.get(f.name.upper(), "").strip()
            if text:
                values[f.name] = _convert(f.name.upper(), f.default, text)
        values.update(overrides)
        return cls(**values)

    def __post_init__(self):
        for name in ("http_connect_timeout", "http_read_timeout", "http_rate", "fetch_max_transfers"):
            if getattr(self, name) <= 0:
                raise BadParameters(name.upper(), f"must be positive, got {getattr(self, name)}")
        for name in (
            "http_retries",
            "http_backoff",
            "http_max_wait",
            "trace_fetch_budget",
            "chainalysis_counterparties",
        ):
            if getattr(self, name) < 0:
                raise BadParameters(name.upper(), f"must not be negative, got {getattr(self, name)}")


def _convert(variable: str, default, text: str):
    """``text`` as the type of ``default``; a clear error when it is not."""
    try:
        if isinstance(default, bool):
            if text.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError
            return text.lower() in ("1", "true", "yes", "on")
        if isinstance(default, int) or (default is None and variable == "FETCH_SINCE"):
            return unix_seconds(text, variable) if variable == "FETCH_SINCE" else int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError:
        kind = "yes or no" if isinstance(default, bool) else "a number"
        raise BadParameters(variable, f"expected {kind}, got {text!r}") from None
    return text.rstrip("/") if variable.endswith("_URL") else text


def unix_seconds(text: str, field: str) -> int:
    """Unix seconds from digits or an ISO 8601 date/time (UTC unless an offset is given).

    >>> unix_seconds("2025-07-29", "since")
    1753747200
    >>> unix_seconds("yesterday", "since")
    Traceback (most recent call last):
    ...
    tracing.errors.BadParameters: since: 'yesterday' is neither an ISO date (2025-07-29) nor Unix seconds
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise BadParameters(field, f"{text!r} is neither an ISO date (2025-07-29) nor Unix seconds") from None
    return int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp())


def load_settings(**overrides) -> Settings:
    """The settings of this process: ``.env`` (without overriding the environment), the environment, ``overrides``."""
    load_dotenv()
    return Settings.from_env(**overrides)
