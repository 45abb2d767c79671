"""Where alerts go: the sink protocol, the alert document, and an output Redis stream.

A sink has one method, ``deliver(step)``, called with each
:class:`~tracing.market.stream.StreamStep` (the bars and alerts a batch of trades
closed). The store (:class:`tracing.store.market.MarketStore`) and a webhook
(:class:`tracing.sources.webhook.WebhookSink`, on the one HTTP layer) are sinks too.
Delivery is at least once: after a crash the consumer replays what it had not
checkpointed, so receivers deduplicate on ``id`` (pair, minute and detector).
"""

import json
from typing import Protocol

from tracing.market.detector import Alert
from tracing.market.stream import StreamStep

__all__ = ["Sink", "StreamSink", "alert_document"]


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
