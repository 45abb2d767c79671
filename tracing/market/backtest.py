"""Backtest: alerts against labelled pump events (``PnDs.csv``): recall, delay, false alarms.

An event counts as detected when a pump alert of its pair falls within
``window_minutes`` (2) of the announced minute. Delay is the time from the
announced minute to the end of the first such alert's bar (when a live detector
can know it; the stream adds its 5 s watermark). A false alarm is an alert more
than ``window_minutes`` from every event of its pair and not in the hour after
one (that hour's alerts, the pump's own dump among them, are counted apart as
*aftermath*). Pair-days are the time each pair's trades span.
"""

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from tracing.errors import ImportFormatError
from tracing.market.detector import Alert, minute_iso
from tracing.market.trades import TradeTable

__all__ = ["Event", "evaluate", "read_events"]

AFTERMATH_MINUTES = 60


@dataclass(frozen=True)
class Event:
    """An announced pump: the pair (``COIN/QUOTE``) and the announced minute (epoch minutes, UTC)."""

    symbol: str
    minute: int


def read_events(path: str | Path) -> list[Event]:
    """Events of a ``PnDs.csv`` (``;``-separated: ...;coin;exchange;pair;timestamp;...; UTC minutes)."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh, delimiter=";"))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise ImportFormatError(f"{path}: cannot be read: {err}") from err
    events = []
    for line, row in enumerate(rows, start=2):
        try:
            when = datetime.strptime(row["timestamp"].strip(), "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
            symbol = f"{row['coin'].strip().upper()}/{row['pair'].strip().upper()}"
        except (KeyError, AttributeError, ValueError) as err:
            raise ImportFormatError(f"{path}, line {line}: expected coin, pair and timestamp YYYY-MM-DD HH:MM") from err
        events.append(Event(symbol, int(when.timestamp()) // 60))
    return events


def evaluate(alerts: list[Alert], events: list[Event], trades: TradeTable, *, window_minutes: int = 2) -> dict:
    """Recall, median delay and false alarms per pair-day of ``alerts`` on the events the trades cover."""
    first = np.full(len(trades.pairs), np.iinfo(np.int64).max)
    last = np.full(len(trades.pairs), np.iinfo(np.int64).min)
    np.minimum.at(first, trades.pair, trades.ts)
    np.maximum.at(last, trades.pair, trades.ts)
    span = {
        p: (int(first[i]) // 60_000, int(last[i]) // 60_000) for i, p in enumerate(trades.pairs) if last[i] >= first[i]
    }
    covered = [e for e in events if e.symbol in span and span[e.symbol][0] <= e.minute <= span[e.symbol][1]]
    pair_days = sum(hi - lo + 1 for lo, hi in span.values()) / 1440
    per_event, false_alarms, aftermath = [], 0, 0
    for e in covered:
        hits = [
            a.minute
            for a in alerts
            if a.symbol == e.symbol and a.kind == "pump" and abs(a.minute - e.minute) <= window_minutes
        ]
        delay = (min(hits) + 1 - e.minute) * 60 if hits else None
        per_event.append({"symbol": e.symbol, "minute": minute_iso(e.minute), "detected": bool(hits), "delay_s": delay})
    for a in alerts:
        near = [a.minute - e.minute for e in covered if e.symbol == a.symbol]
        if any(abs(d) <= window_minutes for d in near):
            continue
        if any(0 < d <= AFTERMATH_MINUTES for d in near):
            aftermath += 1
        else:
            false_alarms += 1
    delays = [r["delay_s"] for r in per_event if r["detected"]]
    return {
        "events": len(covered),
        "detected": len(delays),
        "recall": round(len(delays) / len(covered), 4) if covered else None,
        "median_delay_s": float(np.median(delays)) if delays else None,
        "false_alarms": false_alarms,
        "aftermath_alerts": aftermath,
        "pair_days": round(pair_days, 2),
        "false_alarms_per_pair_day": round(false_alarms / pair_days, 4) if pair_days else None,
        "per_event": per_event,
    }
