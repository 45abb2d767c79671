"""The Chainalysis sanctions screening API (``CHAINALYSIS_API_KEY``), through the one HTTP layer.

``GET {CHAINALYSIS_URL}/address/{address}`` with the key in ``X-API-Key`` answers
``{"identifications": [{"category", "name", "description", "url"}]}``; an empty
list means the address is not sanctioned. Answers are kept for
``CHAINALYSIS_CACHE_TTL`` seconds per process.
"""

import threading
import time
from collections.abc import Callable
from urllib.parse import quote

from tracing.errors import SourceNotConfigured, SourceUnavailable
from tracing.settings import Settings
from tracing.sources.http import HttpClient

__all__ = ["API_LIST", "ChainalysisSanctions", "parse_identifications", "sanctions_api"]

API_LIST = "Chainalysis sanctions API"


def parse_identifications(document) -> list[dict]:
    """The identifications of an answer as ``{"name", "category", "description", "url"}``.

    Raises ``SourceUnavailable`` when the answer does not have that shape (never a silent "not listed").
    """
    items = document.get("identifications") if isinstance(document, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise SourceUnavailable(f"{API_LIST} answered without an 'identifications' list")
    return [{k: str(i.get(k) or "") for k in ("name", "category", "description", "url")} for i in items]


class ChainalysisSanctions:
    """Screen addresses with the API; answers cached with a TTL.

    Raises
    ------
    SourceNotConfigured
        No ``CHAINALYSIS_API_KEY``.
    """

    name = API_LIST

    def __init__(self, settings: Settings, *, clock: Callable[[], float] = time.time, **http):
        if not settings.chainalysis_api_key:
            raise SourceNotConfigured(f"{API_LIST} needs a key: set CHAINALYSIS_API_KEY")
        self.settings = settings
        self.clock = clock
        self.client = HttpClient(API_LIST, settings, key_variable="CHAINALYSIS_API_KEY", **http)
        self._cache: dict[str, tuple[float, list[dict], float]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        """Release the connections."""
        self.client.close()

    def identifications(self, address: str) -> tuple[list[dict], float, bool]:
        """The identifications of ``address``, when they were fetched (Unix seconds), and whether from the cache."""
        now = self.clock()
        with self._lock:
            hit = self._cache.get(address)
        if hit is not None and hit[0] > now:
            return hit[1], hit[2], True
        url = f"{self.settings.chainalysis_url.rstrip('/')}/address/{quote(address, safe='')}"
        found = parse_identifications(
            self.client.get_json(url, headers={"X-API-Key": self.settings.chainalysis_api_key})
        )
        with self._lock:
            self._cache[address] = (now + self.settings.chainalysis_cache_ttl, found, now)
        return found, now, False


def sanctions_api(settings: Settings, **http) -> ChainalysisSanctions | None:
    """The sanctions API client when ``CHAINALYSIS_API_KEY`` is set, else None (screening uses the local lists)."""
    return ChainalysisSanctions(settings, **http) if settings.chainalysis_api_key else None
