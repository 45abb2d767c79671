"""Market surveillance in the store: the live pipeline's bars and alerts, for the Market page.

:class:`MarketStore` is a sink of the pipeline (``deliver``): each batch's bars
and alerts are written in one transaction; an alert keeps its signals and the
pair's bars of the 30 minutes up to it. Writing the same bar or alert twice (a
consumer replaying after a restart) stores it once.
"""

import json
import time
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tracing.market.bars import BAR_FIELDS, Bars
from tracing.market.detector import Alert
from tracing.market.stream import StreamStep
from tracing.store.database import Store
from tracing.store.schema import market_alerts, market_bars

__all__ = ["CONTEXT_MINUTES", "MarketStore", "StoredAlert"]

CONTEXT_MINUTES = 30
_VALUES = BAR_FIELDS[2:]  # open .. rush: every bar field after pair and minute


@dataclass(frozen=True)
class StoredAlert:
    """An alert as stored: the alert, its context bars (``[minute, open, high, low, close, volume]`` rows)."""

    alert: Alert
    bars: list


class MarketStore:
    """Bars and alerts of the live pipeline in ``store``."""

    def __init__(self, store: Store):
        self.store = store
        self._dialect = sqlite if store.engine.dialect.name == "sqlite" else postgresql

    def deliver(self, step: StreamStep) -> None:
        """Store a batch's bars and alerts (a pipeline sink)."""
        with self.store.engine.begin() as conn:
            self._add_bars(conn, step.bars)
            self._add_alerts(conn, step.alerts)

    def _add_bars(self, conn, bars: Bars) -> None:
        if not len(bars):
            return
        names = np.array(bars.pairs, dtype=object)[bars.pair]
        columns = {"symbol": names.tolist(), "minute": bars.minute.tolist()}
        columns |= {f: getattr(bars, f).tolist() for f in _VALUES}
        rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
        insert = self._dialect.insert(market_bars)
        upsert = insert.on_conflict_do_update(
            index_elements=["symbol", "minute"], set_={f: getattr(insert.excluded, f) for f in _VALUES}
        )
        conn.execute(upsert, rows)

    def _add_alerts(self, conn, alerts: list[Alert]) -> None:
        rows = []
        for a in alerts:
            context = conn.execute(
                sa.select(market_bars.c.minute, market_bars.c.open, market_bars.c.high, market_bars.c.low)
                .add_columns(market_bars.c.close, market_bars.c.volume)
                .where(
                    market_bars.c.symbol == a.symbol, market_bars.c.minute.between(a.minute - CONTEXT_MINUTES, a.minute)
                )
                .order_by(market_bars.c.minute)
            ).all()
            rows.append(
                {
                    "detector": a.detector,
                    "symbol": a.symbol,
                    "minute": a.minute,
                    "kind": a.kind,
                    "signals": json.dumps(a.signals),
                    "bars": json.dumps([list(r) for r in context]),
                    "created_at": int(time.time()),
                }
            )
        if rows:
            insert = self._dialect.insert(market_alerts).on_conflict_do_nothing(
                index_elements=["detector", "symbol", "minute"]
            )
            conn.execute(insert, rows)

    def alerts(self, *, symbol: str | None = None, detector: str | None = None, limit: int = 200) -> list[StoredAlert]:
        """The newest alerts first (of one pair and/or detector when given)."""
        query = sa.select(market_alerts).order_by(market_alerts.c.minute.desc(), market_alerts.c.symbol).limit(limit)
        if symbol:
            query = query.where(market_alerts.c.symbol == symbol)
        if detector:
            query = query.where(market_alerts.c.detector == detector)
        with self.store.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            StoredAlert(
                Alert(r["symbol"], r["minute"], r["kind"], r["detector"], json.loads(r["signals"])),
                json.loads(r["bars"]),
            )
            for r in rows
        ]

    def pairs(self) -> list[dict]:
        """Every pair with bars: its symbol, newest minute, bar count and alert count, busiest alerts first."""
        bars_q = sa.select(market_bars.c.symbol, sa.func.max(market_bars.c.minute), sa.func.count()).group_by(
            market_bars.c.symbol
        )
        alerts_q = sa.select(market_alerts.c.symbol, sa.func.count(), sa.func.max(market_alerts.c.minute)).group_by(
            market_alerts.c.symbol
        )
        with self.store.engine.connect() as conn:
            alerted = {s: (n, last) for s, n, last in conn.execute(alerts_q)}
            rows = [
                {
                    "symbol": s,
                    "last_minute": m,
                    "bars": n,
                    "alerts": alerted.get(s, (0, None))[0],
                    "last_alert": alerted.get(s, (0, None))[1],
                }
                for s, m, n in conn.execute(bars_q)
            ]
        return sorted(rows, key=lambda r: (-(r["last_alert"] or -1), r["symbol"]))

    def bars(self, symbol: str, *, last: int = 240, until: int | None = None) -> Bars:
        """The pair's newest ``last`` bars (ending at minute ``until`` when given), in minute order."""
        query = sa.select(market_bars).where(market_bars.c.symbol == symbol)
        if until is not None:
            query = query.where(market_bars.c.minute <= until)
        query = query.order_by(market_bars.c.minute.desc()).limit(last)
        with self.store.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()[::-1]
        ints = {"minute", "count", "buy_count", "rush"}
        columns = {
            f: np.array([r[f] for r in rows], dtype=np.int64 if f in ints else np.float64) for f in BAR_FIELDS[1:]
        }
        return Bars((symbol,), np.zeros(len(rows), np.int32), *columns.values())
