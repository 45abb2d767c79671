"""``python -m tracing fetch`` with the *_URL settings pointed at local servers: progress, summary, refresh, errors."""

import pytest
import test_etherscan
from test_fetch_job import CHAINS
from test_trongrid import ME, tokens

from tracing.cli import main
from tracing.sources.simulated import html
from tracing.sources.simulated.tron import serve_trongrid


@pytest.fixture
def db(tmp_path, stub, monkeypatch):
    monkeypatch.setenv("TRONGRID_URL", stub.url)
    monkeypatch.setenv("ETHERSCAN_URL", stub.url + "/v2/api")
    monkeypatch.setenv("ETHERSCAN_API_KEY", "TESTKEY")
    monkeypatch.setenv("ESPLORA_URL", stub.url + "/api")
    monkeypatch.setenv("SOLANA_RPC_URL", stub.url + "/rpc")
    monkeypatch.setenv("HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("HTTP_RATE", "1000")
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_fetch_shows_progress_then_a_summary_and_refreshes(db, stub, capsys):
    serve_trongrid(stub, ME, tokens(450), [])  # 3 pages of 200, then the (empty) TRX listing
    assert main(["--database", db, "fetch", ME]) == 0
    out, err = capsys.readouterr()
    assert "TronGrid" in err and "transfers" in err  # the progress bar
    assert f"TronGrid: {ME} (tron) history: 450 new, 0 already stored, 4 pages" in out
    assert main(["--database", db, "fetch", ME, "--chain", "tron"]) == 0
    assert "newer transfers: 0 new, 1 already stored, 2 pages" in capsys.readouterr().out


def test_fetch_since_and_max(db, stub, capsys):
    serve_trongrid(stub, ME, tokens(30), [])
    assert main(["--database", db, "fetch", ME, "--max", "10"]) == 0
    out = capsys.readouterr().out
    assert "10 new" in out and "limit reached: the newest 10 transfers" in out


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--since", "yesterday"], 2, "since: 'yesterday' is neither an ISO date"),
        (["--max", "0"], 2, "max: must be 1 or more"),
        (["--chain", "ethereum"], 2, "not a valid ethereum address|expected"),
    ],
)
def test_bad_input_is_one_line_and_status_2(db, capsys, args, status, message):
    assert main(["--database", db, "fetch", ME, *args]) == status
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and len(err.splitlines()) == 1
    assert __import__("re").search(message, err)


def test_a_failing_source_is_one_line_status_1_and_stores_nothing(db, stub, capsys):
    stub.route(f"/v1/accounts/{ME}/transactions/trc20", html(502))
    assert main(["--database", db, "fetch", ME]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("error: TronGrid (127.0.0.1:") and "HTTP 502" in err


@pytest.mark.parametrize(("chain", "address", "serve", "count"), CHAINS[1:], ids=[c[0] for c in CHAINS[1:]])
def test_each_chain_fetches_a_multi_page_history(db, stub, capsys, chain, address, serve, count):
    serve(stub)
    assert main(["--database", db, "fetch", address]) == 0
    out = capsys.readouterr().out
    assert f" history: {count} new, 0 already stored" in out
    assert int(out.split(" pages")[0].rsplit(" ", 1)[1]) > 1


def test_ethereum_without_a_key_names_the_variable(db, capsys, monkeypatch):
    monkeypatch.setenv("ETHERSCAN_API_KEY", "")
    assert main(["--database", db, "fetch", test_etherscan.ME]) == 1
    assert "set ETHERSCAN_API_KEY" in capsys.readouterr().err
