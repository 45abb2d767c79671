"""``tracing market backtest|replay|run`` end to end (run and replay through the real Redis)."""

import json
import os

import pytest

from tests.tracing.market.test_market_live import client, hook  # noqa: F401  (the Redis and webhook fixtures)
from tracing.cli import main
from tracing.market.detector import minute_iso
from tracing.market.synthetic import synthetic_trades
from tracing.store import Store
from tracing.store.market import MarketStore


def write_csv(trades, path) -> None:
    """The trades as a generic trade CSV."""
    columns = (
        trades.pair.tolist(),
        trades.ts.tolist(),
        trades.buy.tolist(),
        trades.price.tolist(),
        trades.qty.tolist(),
    )
    rows = [f"{trades.pairs[p]},{t},{'buy' if b else 'sell'},{x!r},{q!r}" for p, t, b, x, q in zip(*columns)]
    path.write_text("symbol,timestamp,side,price,amount\n" + "\n".join(rows) + "\n")


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_backtest_json_on_a_real_pump(db, pump_files, capsys):
    brd = [f for f in pump_files if f.name.startswith("BRD_2021-02-24")]
    events = pump_files[0].parents[1] / "PnDs.csv"
    assert main(["--database", db, "market", "backtest", str(brd[0]), "--events", str(events), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"symbol": "BRD/BTC", "minute": "2021-02-24T17:00:00Z", "kind": "pump"}.items() <= doc["alerts"][
        0
    ].items() or any(a["minute"] == "2021-02-24T17:00:00Z" and a["kind"] == "pump" for a in doc["alerts"])
    assert set(doc["alerts"][0]["signals"]) == {"ret_1m", "ret_5m", "z_vol", "buy_ratio"}
    assert doc["metrics"]["events"] == 1 and doc["metrics"]["recall"] == 1.0 and doc["metrics"]["median_delay_s"] == 60


def test_backtest_text_compares_detectors(db, tmp_path, capsys):
    trades, pumps = synthetic_trades(20_000, 10, minutes=300, pumps=2, seed=5)
    path = tmp_path / "t.csv"
    write_csv(trades, path)
    assert main(["--database", db, "market", "backtest", str(path), "--detector", "seed", "--detector", "robust"]) == 0
    out = capsys.readouterr().out
    assert "20002" not in out and "10 pairs" in out
    for symbol, minute in pumps:
        assert f"{minute_iso(minute)}  {symbol}" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--detector", "magic"], "unknown detector 'magic'"),
        (["--param", "min_return"], "expected NAME=VALUE"),
        (["--param", "min_return=-1"], "min_return: must be between"),
    ],
)
def test_backtest_refuses_bad_input_in_one_line(db, pump_files, capsys, argv, message):
    assert main(["--database", db, "market", "backtest", str(pump_files[0]), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_backtest_of_a_missing_file(db, tmp_path, capsys):
    assert main(["--database", db, "market", "backtest", str(tmp_path / "none.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_replay_then_run_until_idle_fills_the_store_and_the_webhook(db, client, hook, tmp_path, capsys):  # noqa: F811
    trades, pumps = synthetic_trades(8_000, 6, minutes=200, pumps=1, seed=11)
    path = tmp_path / "t.csv"
    write_csv(trades, path)
    key = f"{client.test_prefix}:trades"
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert main(["--database", db, "market", "replay", str(path), "--stream", key, "--redis-url", url]) == 0
    argv = ["--database", db, "market", "run", "--stream", key, "--out-stream", f"{client.test_prefix}:out"]
    argv += ["--webhook", f"http://127.0.0.1:{hook.server_port}/hook"]
    assert main([*argv, "--until-idle", "--redis-url", url]) == 0
    out = capsys.readouterr().out
    assert f"{len(trades)} trades read, 0 late" in out
    store = Store(db)
    stored = MarketStore(store).alerts(detector="robust")
    assert (stored[0].alert.symbol, stored[0].alert.minute) == pumps[0]
    assert len(stored[0].bars) >= 10 and stored[0].bars[-1][0] == pumps[0][1]
    assert sum(
        MarketStore(store).bars(p["symbol"], last=10_000).count.sum() for p in MarketStore(store).pairs()
    ) == len(trades)
    every = MarketStore(store).alerts(limit=1000)
    store.close()
    assert client.xlen(f"{client.test_prefix}:out") == len(every) >= 1
    assert sorted((h["detector"], h["symbol"], h["minute"]) for h in hook.bodies) == sorted(
        (s.alert.detector, s.alert.symbol, minute_iso(s.alert.minute)) for s in every
    )  # the page's alerts (the store) are the webhook's
