"""What the pages and the API share on the server: the store, the accounts and recent investigations.

They live in ``server.extensions["tracing"]``, set up by :func:`dashboard.create_app`,
never in module globals. For a few minutes, investigations are cached by (chain,
address, parameters), so the transfer table's paging and sorting do not score the
address again, and the transfers read around an address by (chain, address,
gathering parameters), so a new threshold is scored without the store. A cache
miss (another worker) simply reads and scores again.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import flask
import numpy as np

from tracing.accounts import Accounts
from tracing.errors import ModelNotTrained
from tracing.flow import Trace, TraceParameters
from tracing.investigate import GATHERING, gather, trace_stored
from tracing.investigate.profiles import report_profile, training_underway
from tracing.labels import LabelIndex
from tracing.model import Chain, normalize_address
from tracing.params import Parameters
from tracing.profiles.model import ProfileModel
from tracing.scoring import ScoreReport
from tracing.screening import check_address
from tracing.sessions import Sessions
from tracing.settings import load_settings
from tracing.sources.chainalysis import ChainalysisSanctions, sanctions_api
from tracing.store import Store
from tracing.store.market import MarketStore
from tracing.summaries import report_zscores

__all__ = ["Investigation", "Services", "services"]


@dataclass(frozen=True)
class Investigation:
    """A score report with what its views need: the z-scores and the chain's labels."""

    report: ScoreReport
    z: np.ndarray
    labels: LabelIndex


@dataclass
class _RecentCache:
    """A small, thread-safe cache whose entries expire after ``seconds``; the least recently used go first.

    It holds at most ``size`` entries weighing at most ``budget`` together (the
    newest entry stays even when it alone weighs more).
    """

    size: int
    seconds: float
    budget: int
    _items: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False)
    _weight: int = field(default=0, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def get(self, key):
        """The value stored under ``key`` if it is still fresh, else None."""
        with self._lock:
            hit = self._items.get(key)
            if hit is None or time.monotonic() - hit[0] >= self.seconds:
                return None
            self._items.move_to_end(key)
            return hit[1]

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()
            self._weight = 0

    def put(self, key, value, weight: int) -> None:
        """Store ``value`` under ``key``; ``weight`` counts against the budget."""
        with self._lock:
            if key in self._items:
                self._weight -= self._items.pop(key)[2]
            self._items[key] = (time.monotonic(), value, weight)
            self._weight += weight
            while len(self._items) > 1 and (len(self._items) > self.size or self._weight > self.budget):
                self._weight -= self._items.popitem(last=False)[1][2]


@dataclass
class Services:
    """The store, the accounts, and small time-bounded caches of neighbourhoods, investigations and traces."""

    store: Store
    cache_size: int = 16
    cache_seconds: float = 300.0
    cache_transfers: int = 2_000_000  # per cache: about 400 MB of tables at most
    profiles_model: str | None = None  # the profile model file; None: PROFILES_MODEL (tracing.settings)
    accounts: Accounts = field(init=False)
    sessions: Sessions = field(init=False)
    market: MarketStore = field(init=False)  # the live market pipeline's bars and alerts
    sanctions: ChainalysisSanctions | None = field(init=False)  # the sanctions API (CHAINALYSIS_API_KEY), or None
    sanctions_budget: int = field(init=False)  # direct counterparties a score screens with it
    _neighbourhoods: _RecentCache = field(init=False, repr=False)
    _investigations: _RecentCache = field(init=False, repr=False)
    _traces: _RecentCache = field(init=False, repr=False)
    _model: tuple = field(default=(None, None), init=False, repr=False)  # ((path, mtime), ProfileModel)

    def __post_init__(self):
        self.accounts = Accounts(self.store)
        self.sessions = Sessions(self.store)
        self.market = MarketStore(self.store)
        settings = load_settings()
        self.sanctions = sanctions_api(settings)  # one client: its answers are cached for the app's life
        self.sanctions_budget = settings.chainalysis_counterparties
        self._neighbourhoods = _RecentCache(self.cache_size, self.cache_seconds, self.cache_transfers)
        self._investigations = _RecentCache(self.cache_size, self.cache_seconds, self.cache_transfers)
        self._traces = _RecentCache(self.cache_size, self.cache_seconds, self.cache_transfers)

    def forget(self) -> None:
        """Forget cached neighbourhoods, investigations and traces (after the store changed)."""
        self._neighbourhoods.clear()
        self._investigations.clear()
        self._traces.clear()

    def trace(self, chain: Chain | str | None, address: str, params: TraceParameters) -> Trace:
        """Trace funds from ``address`` through what the store holds, reusing a recent trace of the same inputs."""
        chain, address = normalize_address(address, chain)
        found = self._traces.get((chain, address, params))
        if found is None:
            found = trace_stored(self.store, address, params, chain=chain)
            self._traces.put((chain, address, params), found, len(found.edges) + len(found.addresses))
        return found

    def investigate(self, chain: Chain | str | None, address: str, params: Parameters) -> Investigation:
        """Validate and score ``address``, reusing a recent result for the same inputs.

        A change of thresholds or weights scores the neighbourhood already read
        again, without the store; only the parameters in
        :data:`tracing.investigate.GATHERING` read it anew. With the sanctions API
        configured, the address and its busiest counterparties are screened with it.
        """
        chain, address = normalize_address(address, chain)
        found = self._investigations.get((chain, address, params))
        if found is not None:
            return found
        place = (chain, address, tuple(getattr(params, name) for name in GATHERING))
        neighbourhood = self._neighbourhoods.get(place)
        if neighbourhood is None:
            neighbourhood = gather(
                self.store, address, chain, params, api=self.sanctions, api_budget=self.sanctions_budget
            )
            self._neighbourhoods.put(place, neighbourhood, len(neighbourhood))
        report = neighbourhood.score(params)
        found = Investigation(report, report_zscores(report), neighbourhood.labels)
        self._investigations.put((chain, address, params), found, len(report.table))
        return found

    def check_sanctions(self, chain: str | None, address: str) -> dict:
        """Is ``address`` listed? The document of ``tracing sanctions check --json`` (the API asked when set)."""
        return check_address(self.store, address, chain, api=self.sanctions)

    def profile_path(self) -> Path:
        """Where the profile model is saved."""
        return Path(self.profiles_model or load_settings().profiles_model)

    def profile_training(self) -> bool:
        """Whether the profile model is being trained right now (a fresh install trains one at start)."""
        return training_underway(self.profile_path())

    def profile_model(self) -> ProfileModel:
        """The saved profile model, read again only when its file changes (ModelNotTrained without one)."""
        path = self.profile_path()
        stamp = (str(path), path.stat().st_mtime_ns if path.exists() else None)
        if self._model[0] != stamp:
            self._model = (stamp, ProfileModel.load(path, self.store.identity))
        return self._model[1]

    def profile(self, found: Investigation) -> dict | None:
        """The behavioural profile of an investigated address; None while no usable model is saved."""
        try:
            model = self.profile_model()
        except ModelNotTrained:
            return None
        return report_profile(model, found.report, found.labels)


def services() -> Services:
    """The services of the running app."""
    return flask.current_app.extensions["tracing"]
