"""Where alerts go: an output Redis stream and a webhook (POST JSON, retried with backoff).

A sink has one method, ``deliver(step)``, called with each
:class:`~tracing.market.stream.StreamStep` (the bars and alerts a batch of trades
closed). The store is a sink too (:class:`tracing.store.market.MarketStore`).
Delivery is at least once: after a crash the consumer replays what it had not
checkpointed, so receivers deduplicate on ``id`` (pair, minute and detector).
"""

import json
from collections.abc import Callable
from typing import Protocol

from tracing.errors import SourceUnavailable
from tracing.market.detector import Alert
from tracing.market.stream import StreamStep
from tracing.settings import Settings
from tracing.sources.http import HttpClient

__all__ = ["Sink", "StreamSink", "WebhookSink", "alert_document"]


class Sink(Protocol):
    """Receives what each batch of trades closed."""

    def deliver(self, step: StreamStep) -> None: ...


def alert_document(alert: Alert) -> dict:
    """An alert as sinks send it: ``market backtest --json``'s shape plus a stable ``id``."""
    doc = alert.to_dict()
    return {"id": f"{alert.detector}:{alert.symbol}:{doc['minute']}", **doc}


class StreamSink:
    """Appends each alert as JSON (field ``alert``) to a Redis stream, capped at about ``maxlen`` entries."""

    def __init__(self, client, key: str = "market:alerts", *, maxlen: int = 100_000):
        self.client, self.key, self.maxlen = client, key, maxlen

    def deliver(self, step: StreamStep) -> None:
        if not step.alerts:
            return
        pipe = self.client.pipeline(transaction=False)
        for alert in step.alerts:
            pipe.xadd(self.key, {"alert": json.dumps(alert_document(alert))}, maxlen=self.maxlen, approximate=True)
        pipe.execute()


class WebhookSink:
    """POSTs each alert as JSON to ``url``; connection failures, timeouts, 429 and 5xx are retried.

    Retries, backoff and timeouts are the HTTP layer's (``HTTP_RETRIES``, ``HTTP_BACKOFF``,
    ``HTTP_CONNECT_TIMEOUT``, ``HTTP_READ_TIMEOUT``). An alert that still fails is kept in
    :attr:`failed` with the reason and reported through ``warn``; the pipeline goes on.
    """

    def __init__(self, url: str, *, settings: Settings | None = None, warn: Callable[[str], None] = print, sleep=None):
        options = {"sleep": sleep} if sleep else {}
        self.url = url
        self.client = HttpClient("webhook", settings or Settings.from_env(), **options)
        self.warn = warn
        self.sent = 0
        self.failed: list[tuple[dict, str]] = []

    def deliver(self, step: StreamStep) -> None:
        for alert in step.alerts:
            doc = alert_document(alert)
            try:
                self.client.post(self.url, doc)
                self.sent += 1
            except SourceUnavailable as err:
                self.failed.append((doc, str(err)))
                self.warn(f"webhook: alert {doc['id']} not delivered: {err}")
