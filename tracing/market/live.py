"""The live pipeline on Redis Streams: a replay tool that publishes trades, and a consumer group reader.

Trades travel as stream entries with fields ``s`` (pair), ``t`` (event time, Unix ms),
``b`` (1 when the taker bought), ``p`` (price) and ``q`` (quantity); an entry with
only ``w`` (Unix ms) is a heartbeat that moves event time on without a trade (the
replay ends with one, so the last minutes close).

The consumer reads with ``XREADGROUP`` and acknowledges entries only together with
a checkpoint of the detector's whole state, in one ``MULTI``: after a restart it
loads the checkpoint and first re-reads its own pending entries (delivered, never
acknowledged), so no trade is lost or counted twice.
"""

import time
from collections.abc import Callable

import numpy as np
import redis

from tracing.errors import SourceUnavailable
from tracing.market.sinks import Sink
from tracing.market.stream import StreamingDetector, StreamStep
from tracing.market.trades import TradeTable

__all__ = ["TradeConsumer", "connect", "decode_entries", "replay"]

TRADES_KEY = "market:trades"


def connect(url: str):
    """A Redis client for ``url`` that answers a PING; :class:`SourceUnavailable` when none does."""
    client = redis.Redis.from_url(url or "redis://127.0.0.1:6379/0", socket_timeout=10, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as err:
        raise SourceUnavailable(f"cannot reach Redis at {url or '127.0.0.1:6379'}: {err}; check REDIS_URL") from err
    return client


def replay(
    client,
    trades: TradeTable,
    *,
    key: str = TRADES_KEY,
    speed: float | None = None,
    batch: int = 1000,
    lateness_ms: int = 5000,
    heartbeat: bool = True,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], float] = time.monotonic,
) -> int:
    """Publish ``trades`` in event-time order onto ``key``; returns how many.

    ``speed`` None publishes as fast as Redis takes them; 60 plays an hour in a minute.
    A heartbeat past the last trade follows (unless ``heartbeat`` is False), so a
    consumer closes every minute.
    """
    if speed is not None and speed <= 0:
        raise ValueError("speed must be above 0 (or omitted for as fast as possible)")
    trades = trades.in_time_order()
    names = np.array(trades.pairs, dtype=object)
    start_wall = now()
    t0 = int(trades.ts[0]) if len(trades) else 0
    for lo in range(0, len(trades), batch):
        chunk = trades.take(slice(lo, lo + batch))
        if speed is not None:
            wait = start_wall + (int(chunk.ts[0]) - t0) / 1000 / speed - now()
            if wait > 0:
                sleep(wait)
        pipe = client.pipeline(transaction=False)
        symbols = names[chunk.pair]
        for s, t, b, p, q in zip(
            symbols, chunk.ts.tolist(), chunk.buy.tolist(), chunk.price.tolist(), chunk.qty.tolist()
        ):
            pipe.xadd(key, {"s": s, "t": t, "b": int(b), "p": repr(p), "q": repr(q)})
        pipe.execute()
    if heartbeat and len(trades):
        client.xadd(key, {"w": int(trades.ts[-1]) + lateness_ms + 60_000})
    return len(trades)


def decode_entries(entries) -> tuple[TradeTable, int | None, list]:
    """Stream entries -> (their trades, the latest heartbeat or None, their ids)."""
    ids, s, t, b, p, q = [], [], [], [], [], []
    heartbeat = None
    for entry_id, fields in entries:
        ids.append(entry_id)
        if not fields:  # trimmed away while pending: nothing left to read
            continue
        if b"w" in fields:
            heartbeat = max(heartbeat or 0, int(fields[b"w"]))
            continue
        s.append(fields[b"s"].decode())
        t.append(int(fields[b"t"]))
        b.append(fields[b"b"] == b"1")
        p.append(float(fields[b"p"]))
        q.append(float(fields[b"q"]))
    return TradeTable.from_columns(s, t, b, p, q), heartbeat, ids


class TradeConsumer:
    """One member of a consumer group feeding a :class:`StreamingDetector` and its sinks.

    Parameters
    ----------
    client : redis.Redis
    stream : StreamingDetector
    sinks : list of Sink
        Each gets every :class:`StreamStep` (bars and alerts) in order.
    key, group, consumer : str
        The trade stream, the consumer group and this member's name (a restart reuses it).
    checkpoint_every : int
        Batches between checkpoints (each one acknowledges the entries it covers).
    """

    def __init__(
        self,
        client,
        stream: StreamingDetector,
        sinks: list[Sink],
        *,
        key: str = TRADES_KEY,
        group: str = "market",
        consumer: str = "detector-1",
        count: int = 1000,
        block_ms: int = 1000,
        checkpoint_every: int = 10,
    ):
        self.client, self.stream, self.sinks = client, stream, sinks
        self.key, self.group, self.consumer = key, group, consumer
        self.count, self.block_ms, self.checkpoint_every = count, block_ms, checkpoint_every
        self.checkpoint_key = f"{key}:checkpoint:{group}:{consumer}"
        self._unacked: list = []
        self._batches = 0
        self._pending = True  # first re-read what this consumer was given but never acknowledged
        try:
            client.xgroup_create(key, group, id="0", mkstream=True)
        except redis.ResponseError as err:
            if "BUSYGROUP" not in str(err):
                raise
        blob = client.get(self.checkpoint_key)
        if blob:
            stream.load_bytes(blob)

    def poll(self) -> StreamStep | None:
        """Read and process one batch; None when nothing arrived within ``block_ms``."""
        start = "0" if self._pending else ">"
        block = None if self._pending else self.block_ms
        answer = self.client.xreadgroup(self.group, self.consumer, {self.key: start}, count=self.count, block=block)
        entries = answer[0][1] if answer else []
        if not entries:
            if self._pending:
                self._pending = False
                return self.poll()
            return None
        trades, heartbeat, ids = decode_entries(entries)
        step = self.stream.push(trades)
        if heartbeat is not None:
            more = self.stream.advance(heartbeat)
            step = StreamStep(step.bars.concat(more.bars), step.alerts + more.alerts)
        for sink in self.sinks:
            sink.deliver(step)
        self._unacked += ids
        self._batches += 1
        if (
            self._pending or self._batches % self.checkpoint_every == 0
        ):  # pending entries come back on every "0" read until acknowledged
            self.checkpoint()
        return step

    def checkpoint(self) -> None:
        """Save the detector's state and acknowledge every entry it covers, atomically."""
        pipe = self.client.pipeline(transaction=True)
        pipe.set(self.checkpoint_key, self.stream.to_bytes())
        if self._unacked:
            pipe.xack(self.key, self.group, *self._unacked)
        pipe.execute()
        self._unacked = []

    def run(
        self,
        *,
        stop: Callable[[], bool] = lambda: False,
        on_step: Callable[[StreamStep], None] | None = None,
        until_idle: bool = False,
    ) -> None:
        """Poll until ``stop()`` (or, with ``until_idle``, until nothing new arrives within ``block_ms``).

        Checkpoints whenever the stream runs dry and on the way out (Ctrl-C included).
        """
        try:
            while not stop():
                step = self.poll()
                if step is None:
                    if self._unacked:
                        self.checkpoint()
                    if until_idle:
                        return
                elif on_step:
                    on_step(step)
        finally:
            if self._unacked:
                self.checkpoint()
