"""The live pipeline through a real Redis: replay, consumer group, checkpoints across a crash, sinks."""

import json
import os
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis

from tests.conftest import skip_or_fail
from tests.tracing.market.test_market_stream import batch_alerts
from tracing.market import make_detector
from tracing.market.detector import minute_iso
from tracing.market.live import TradeConsumer, connect, replay
from tracing.market.sinks import StreamSink, alert_document
from tracing.market.stream import StreamingDetector, StreamStep
from tracing.market.synthetic import synthetic_trades
from tracing.settings import Settings
from tracing.sources.webhook import WebhookSink


@pytest.fixture
def client():
    """The Redis at REDIS_URL (default 127.0.0.1:6379); every key the test makes is deleted after it."""
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        c = redis.Redis.from_url(url)
        c.ping()
    except redis.RedisError as err:
        skip_or_fail(f"no Redis at {url}: {type(err).__name__}")
    c.test_prefix = f"test-market-{uuid.uuid4().hex[:10]}"
    yield c
    keys = list(c.scan_iter(f"{c.test_prefix}*"))
    if keys:
        c.delete(*keys)
    c.close()


class Collect:
    """A sink that keeps what it is given."""

    def __init__(self):
        self.alerts, self.trades_in_bars = [], 0

    def deliver(self, step: StreamStep) -> None:
        self.alerts += [alert_document(a) for a in step.alerts]
        self.trades_in_bars += int(step.bars.count.sum())


def detector():
    return StreamingDetector([make_detector("seed"), make_detector("robust")])


def test_replay_then_consumer_across_a_crash_loses_and_doubles_nothing(client, market):
    trades = market[0].take(slice(0, 30_000))
    key = f"{client.test_prefix}:trades"
    assert replay(client, trades, key=key, batch=2000) == len(trades)
    sink = Collect()
    first = TradeConsumer(client, detector(), [sink], key=key, group="g", consumer="c1", count=1000, checkpoint_every=4)
    for _ in range(10):  # 10 batches: checkpoints after the 4th and 8th, two more delivered but never acknowledged
        first.poll()
    assert client.xpending(key, "g")["pending"] == 2000
    checkpointed = first.stream.trades_seen - 2000
    del first  # the crash: no checkpoint, no acknowledgement

    second = TradeConsumer(client, detector(), [sink], key=key, group="g", consumer="c1", count=1000)
    assert second.stream.trades_seen == checkpointed  # restarted from the checkpoint
    while second.poll() is not None:
        pass
    second.checkpoint()
    assert second.stream.trades_seen == len(trades) and second.stream.late == 0
    assert client.xpending(key, "g")["pending"] == 0
    unique = {a["id"]: {k: v for k, v in a.items() if k != "id"} for a in sink.alerts}
    assert sorted(unique.values(), key=lambda a: (a["detector"], a["minute"], a["symbol"])) == batch_alerts(trades)
    assert len(unique) >= 2


def test_the_output_stream_carries_alert_documents(client):
    trades, pumps = synthetic_trades(12_000, 8, minutes=240, pumps=2, seed=3)
    key = f"{client.test_prefix}:trades"
    out = f"{client.test_prefix}:alerts"
    replay(client, trades, key=key, batch=5000)
    consumer = TradeConsumer(
        client, detector(), [StreamSink(client, out)], key=key, group="g", consumer="c", count=5000
    )
    while consumer.poll() is not None:
        pass
    sent = [json.loads(fields[b"alert"]) for _, fields in client.xrange(out)]
    assert sorted(sent, key=lambda a: (a["detector"], a["minute"], a["symbol"])) == [
        {"id": f"{a['detector']}:{a['symbol']}:{a['minute']}", **a} for a in batch_alerts(trades)
    ]
    assert {(a["symbol"], a["minute"]) for a in sent if a["detector"] == "robust"} >= {
        (s, minute_iso(m)) for s, m in pumps
    }


def test_replay_keeps_the_pace_it_is_asked_for(client, market):
    trades = market[0].take(slice(0, 3000))
    waits, clock = [], [0.0]

    def sleep(s):
        waits.append(s)
        clock[0] += s

    replay(client, trades, key=f"{client.test_prefix}:t", speed=600, batch=500, sleep=sleep, now=lambda: clock[0])
    span = (trades.ts[2500] - trades.ts[0]) / 1000 / 600
    assert sum(waits) == pytest.approx(span, rel=1e-6)
    with pytest.raises(ValueError, match="speed"):
        replay(client, trades, key=f"{client.test_prefix}:t", speed=0)


def test_an_unreachable_redis_is_one_clear_error():
    from tracing.errors import SourceUnavailable

    with pytest.raises(SourceUnavailable, match="cannot reach Redis at redis://127"):
        connect("redis://127.0.0.1:1/0")


class Hook(BaseHTTPRequestHandler):
    """Answers from a script of statuses; records every body."""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.bodies.append(body)
        status = self.server.script.pop(0) if self.server.script else 200
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def hook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    server.bodies, server.script = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def step_with_alerts(market_bars):
    d = make_detector("robust")
    return StreamStep(market_bars, d.detect(market_bars))


def quick():
    return Settings.from_env({}, http_backoff=0.001, http_retries=3, http_rate=1000.0)


def test_webhook_retries_503s_then_delivers(hook, market_bars):
    hook.script = [503, 500]
    warnings = []
    sink = WebhookSink(f"http://127.0.0.1:{hook.server_port}/hook", settings=quick(), warn=warnings.append)
    step = step_with_alerts(market_bars)
    sink.deliver(step)
    assert sink.sent == len(step.alerts) >= 4 and not sink.failed and not warnings
    assert len(hook.bodies) == len(step.alerts) + 2  # the first alert was tried three times
    assert hook.bodies[0] == hook.bodies[2] and hook.bodies[0]["kind"] == "pump"


def test_webhook_gives_up_loudly_and_goes_on(hook, market_bars):
    hook.script = [500] * 4  # the first alert fails all four attempts; the rest go through
    warnings = []
    sink = WebhookSink(f"http://127.0.0.1:{hook.server_port}/hook", settings=quick(), warn=warnings.append)
    step = step_with_alerts(market_bars)
    sink.deliver(step)
    assert len(sink.failed) == 1 and sink.sent == len(step.alerts) - 1
    assert "HTTP 500" in sink.failed[0][1] and "not delivered" in warnings[0]


def test_webhook_to_nobody_is_reported(market_bars):
    warnings = []
    sink = WebhookSink("http://127.0.0.1:1/hook", settings=quick(), warn=warnings.append)
    sink.deliver(step_with_alerts(market_bars))
    assert sink.sent == 0 and len(sink.failed) >= 4 and "cannot reach webhook" in warnings[0]
