"""What the pages and the API share on the server: the store, the accounts and recent investigations.

They live in ``server.extensions["tracing"]``, set up by :func:`dashboard.create_app`,
never in module globals. Investigations are cached by (chain, address,
parameters) for a few minutes, so the transfer table's paging and sorting do not
score the address again; a cache miss (another worker) simply scores it again.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import flask
import numpy as np

from tracing.accounts import Accounts
from tracing.investigate import score_address
from tracing.labels import LabelIndex
from tracing.model import Chain, normalize_address
from tracing.params import Parameters
from tracing.scoring import ScoreReport
from tracing.store import Store
from tracing.summaries import report_zscores

__all__ = ["Investigation", "Services", "services"]


@dataclass(frozen=True)
class Investigation:
    """A score report with what its views need: the z-scores and the chain's labels."""

    report: ScoreReport
    z: np.ndarray
    labels: LabelIndex


@dataclass
class Services:
    """The store, the accounts and a small time-bounded cache of investigations."""

    store: Store
    cache_size: int = 16
    cache_seconds: float = 300.0
    accounts: Accounts = field(init=False)
    _cache: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self):
        self.accounts = Accounts(self.store)

    def investigate(self, chain: Chain | str | None, address: str, params: Parameters) -> Investigation:
        """Validate and score ``address`` (or reuse a recent result for the same inputs)."""
        chain, address = normalize_address(address, chain)
        key = (chain, address, params)
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
            if hit and now - hit[0] < self.cache_seconds:
                self._cache.move_to_end(key)
                return hit[1]
        labels = self.store.label_index(chain)
        report = score_address(self.store, address, chain, params, labels=labels)
        found = Investigation(report, report_zscores(report), labels)
        with self._lock:
            self._cache[key] = (now, found)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return found


def services() -> Services:
    """The services of the running app."""
    return flask.current_app.extensions["tracing"]
