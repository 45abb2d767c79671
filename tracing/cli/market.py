"""``python -m tracing market backtest|replay|run``: pump-and-dump surveillance from the command line.

``backtest`` runs detectors over trade files (and scores them against labelled events);
``replay`` publishes trade files onto the Redis stream at a chosen speed; ``run`` is the
live consumer: trades from the stream, alerts to the store, a webhook and an output stream.
"""

import argparse
import json
import signal
import sys

from tracing.cli import command
from tracing.errors import BadParameters
from tracing.market import DETECTORS, build_bars, make_detector, read_trades
from tracing.market.backtest import evaluate, read_events
from tracing.market.detector import Alert
from tracing.market.live import TRADES_KEY, TradeConsumer, connect, replay
from tracing.market.sinks import StreamSink
from tracing.market.stream import StreamingDetector
from tracing.settings import Settings
from tracing.sources.webhook import WebhookSink
from tracing.store import Store
from tracing.store.market import MarketStore

__all__ = ["add_parser", "render_alert"]

_METRICS = (
    ("events", "labelled events covered"),
    ("detected", "detected within ±2 min"),
    ("recall", "recall"),
    ("median_delay_s", "median delay (s, to the bar's end)"),
    ("false_alarms", "false alarms"),
    ("false_alarms_per_pair_day", "false alarms per pair-day"),
    ("aftermath_alerts", "alerts in the hour after a pump"),
    ("pair_days", "pair-days of trades"),
)


def add_parser(sub) -> None:
    """Add ``market`` and its actions to the CLI's sub-parsers."""
    market = sub.add_parser("market", help="pump-and-dump surveillance: backtest, replay, live consumer")
    actions = market.add_subparsers(dest="action", required=True)
    detector_help = f"detector ({', '.join(DETECTORS)}); repeat to compare side by side (default seed)"
    param_help = "; ".join(
        f"{name}: " + ", ".join(f"{f['name']} ({f['default']})" for f in cls.Params.describe())
        for name, cls in DETECTORS.items()
    )

    backtest = actions.add_parser("backtest", help="detect over trade files; with --events, recall and false alarms")
    backtest.add_argument("files", nargs="+", metavar="FILE", help="trade files: .csv, .csv.gz, .parquet")
    backtest.add_argument("--detector", action="append", metavar="NAME", help=detector_help)
    backtest.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help=param_help)
    backtest.add_argument("--events", metavar="FILE", help="labelled pumps in the format of PnDs.csv")
    backtest.add_argument("--json", action="store_true", help='print {"alerts": [...], "metrics": {...}}')

    rep = actions.add_parser("replay", help="publish trade files onto the Redis stream in event-time order")
    rep.add_argument("files", nargs="+", metavar="FILE")
    rep.add_argument("--speed", type=float, metavar="X", help="X times real time (default: as fast as possible)")
    rep.add_argument("--stream", default=TRADES_KEY, metavar="KEY", help=f"default {TRADES_KEY}")
    rep.add_argument("--redis-url", metavar="URL", help="default REDIS_URL or redis://127.0.0.1:6379/0")

    run = actions.add_parser("run", help="the live consumer: stream -> detectors -> store, webhook, output stream")
    run.add_argument(
        "--detector",
        action="append",
        metavar="NAME",
        help=f"detector ({', '.join(DETECTORS)}); repeatable (default both)",
    )
    run.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help=param_help)
    run.add_argument("--stream", default=TRADES_KEY, metavar="KEY", help=f"trade stream (default {TRADES_KEY})")
    run.add_argument("--group", default="market", help="consumer group (default market)")
    run.add_argument("--consumer", default="detector-1", help="this consumer's name; a restart reuses it")
    run.add_argument("--webhook", metavar="URL", help="POST each alert as JSON here")
    run.add_argument("--out-stream", metavar="KEY", help="append each alert to this Redis stream")
    run.add_argument(
        "--lateness-ms", type=int, default=5000, help="watermark: how late a trade may arrive (default 5000)"
    )
    run.add_argument("--until-idle", action="store_true", help="stop once the stream has nothing new (replays, demos)")
    run.add_argument("--redis-url", metavar="URL", help="default REDIS_URL or redis://127.0.0.1:6379/0")


def _detectors(args, default: list[str]) -> list:
    params = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadParameters("param", f"expected NAME=VALUE, got {item!r}")
        params[name.strip()] = value.strip()
    return [make_detector(name, params) for name in (args.detector or default)]


def render_alert(alert: Alert) -> str:
    """One line: minute, pair, kind, detector and the signals."""
    doc = alert.to_dict()
    signals = " ".join(f"{k}={'-' if v is None else f'{v:.4g}'}" for k, v in alert.signals.items())
    return f"{doc['minute']}  {alert.symbol:<12} {alert.kind:<4} [{alert.detector}]  {signals}"


@command("market")
def cmd_market(args: argparse.Namespace, store: Store) -> int:
    """Dispatch ``market`` actions."""
    return {"backtest": _backtest, "replay": _replay, "run": _run}[args.action](args, store)


def _backtest(args, store) -> int:
    detectors = _detectors(args, ["seed"])
    trades = read_trades(*args.files)
    events = read_events(args.events) if args.events else None
    bars = build_bars(trades)
    alerts = {d.name: d.detect(bars) for d in detectors}
    metrics = {name: evaluate(found, events, trades) for name, found in alerts.items()} if events else {}
    if args.json:
        every = sorted((a for found in alerts.values() for a in found), key=lambda a: (a.minute, a.symbol, a.detector))
        shown = metrics[detectors[0].name] if len(detectors) == 1 and metrics else metrics
        print(json.dumps({"alerts": [a.to_dict() for a in every], "metrics": shown}, indent=2))
        return 0
    print(f"{len(trades)} trades, {len(trades.pairs)} pairs, {len(bars)} one-minute bars")
    for name, found in alerts.items():
        print(f"\n{name}: {len(found)} alerts")
        for alert in found:
            print("  " + render_alert(alert))
    if metrics:
        names = list(metrics)
        print("\n" + f"{'':<36}" + "".join(f"{n:>12}" for n in names))
        for key, label in _METRICS:
            cells = "".join(f"{'-' if metrics[n][key] is None else metrics[n][key]:>12}" for n in names)
            print(f"{label:<36}{cells}")
    return 0


def _replay(args, store) -> int:
    trades = read_trades(*args.files)
    client = connect(args.redis_url or Settings.from_env().redis_url)
    count = replay(client, trades, key=args.stream, speed=args.speed)
    print(f"{count} trades of {len(trades.pairs)} pairs published to {args.stream}")
    return 0


def _run(args, store) -> int:
    detectors = _detectors(args, list(DETECTORS))
    client = connect(args.redis_url or Settings.from_env().redis_url)
    sinks = [MarketStore(store)]
    webhook = WebhookSink(args.webhook, warn=lambda m: print(m, file=sys.stderr)) if args.webhook else None
    if webhook:
        sinks.append(webhook)
    if args.out_stream:
        sinks.append(StreamSink(client, args.out_stream))
    stream = StreamingDetector(detectors, lateness_ms=args.lateness_ms)
    consumer = TradeConsumer(client, stream, sinks, key=args.stream, group=args.group, consumer=args.consumer)
    stopping = []
    previous = signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))

    def on_step(step):
        for alert in step.alerts:
            print(render_alert(alert), flush=True)

    print(f"consuming {args.stream} as {args.group}/{args.consumer}; detectors {', '.join(d.name for d in detectors)}")
    try:
        consumer.run(stop=lambda: bool(stopping), on_step=on_step, until_idle=args.until_idle)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(f"{stream.trades_seen} trades read, {stream.late} late (left out of the bars)")
    if webhook and webhook.failed:
        print(f"webhook: {len(webhook.failed)} alerts not delivered", file=sys.stderr)
        return 1
    return 0
