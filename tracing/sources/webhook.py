"""Alerts to a webhook: POST JSON through the one HTTP layer (timeouts, retries with backoff)."""

from collections.abc import Callable

from tracing.errors import SourceUnavailable
from tracing.market.sinks import alert_document
from tracing.market.stream import StreamStep
from tracing.settings import Settings
from tracing.sources.http import HttpClient

__all__ = ["WebhookSink"]


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
