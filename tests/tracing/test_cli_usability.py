"""The command line as a person meets it (issue #10 item 14): the ``tracing`` command from any folder,
``users list``, no traceback where a person can cause one, and files recognised by their header."""

import io
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tracing.cli import main
from tracing.sources import demo

ROOT = Path(__file__).resolve().parents[2]
THIEF = demo.demo_address(demo.Chain.TRON, "thief")
HOT_WALLET = demo.demo_address(demo.Chain.TRON, "exchange_hot_wallet")


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_the_tracing_command_is_declared_and_installed(tmp_path, db):
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"tracing": "tracing.cli:main"}
    command = Path(sys.executable).parent / "tracing"
    if not command.exists():
        skip_or_fail(f"{command} is not installed: `make install` (pip install -e .) installs it")
    done = subprocess.run(
        [str(command), "--database", db, "demo"], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 0 and THIEF in done.stdout


def test_users_list_names_every_user_with_their_role(db, monkeypatch, capsys):
    monkeypatch.setenv("TRACING_PASSWORD", "a long password")
    assert main(["--database", db, "users", "add", "zoe", "--role", "viewer"]) == 0
    assert main(["--database", db, "users", "add", "adam", "--role", "admin"]) == 0
    capsys.readouterr()
    assert main(["--database", db, "users", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == ["name  role", "adam  admin", "zoe   viewer"]


def test_without_a_terminal_or_tracing_password_a_password_is_asked_for_in_one_line(db, monkeypatch, capsys):
    monkeypatch.delenv("TRACING_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: a pipe, a cron job, CI
    assert main(["--database", db, "users", "add", "bob"]) == 2
    out, err = capsys.readouterr()
    assert err == "error: no terminal to prompt for the password: set TRACING_PASSWORD\n" and out == ""


def test_an_unknown_user_is_said_before_any_password_prompt(db, monkeypatch, capsys):
    monkeypatch.delenv("TRACING_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda *_: pytest.fail("prompted for a password"))
    assert main(["--database", db, "users", "passwd", "nobody"]) == 2
    assert capsys.readouterr().err == "error: no user named 'nobody'\n"


def test_a_reader_that_stops_early_gets_no_traceback(db):
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracing", "--database", db, "users", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    proc.stdout.close()  # like `| head` that has read what it wanted, before anything was written
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr and "Exception ignored" not in stderr


def test_a_path_from_an_address_to_itself_is_refused_in_one_line(db, capsys):
    assert main(["--database", db, "path", THIEF, THIEF]) == 2
    assert capsys.readouterr().err == "error: target: is the source itself: a path joins two different addresses\n"


TRONSCAN = (
    "transaction_id,block,block_ts,from_address,to_address,confirmed,contractRet,quant\n"
    "d9d9d64161be08cceb483bd5807bd205b0ab658033b968ba81eb4a8ac0835360,30980909,2021/06/11 10:21:18,"
    "TTGyhRZxZRcDz4M1bBwrsiKkZNS2GRYfWn,TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs,true,SUCCESS,6301180.295034\n"
)
ETHERSCAN = (
    '"Txhash","UnixTimestamp","DateTime","From","To","Value","ContractAddress","TokenName","TokenSymbol"\n'
    '"0x22d8386bfabe60954ab4c48c6ea22985ef82e98a91e4fe68384d61ba07e41368","1577851788","2020-01-01 04:09:48",'
    '"0xbaf184409be67e26b663aa40a977cfa37a8647fe","0x55fe002aeff02f77364de339a1292923a15844b8","459,717",'
    '"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48","USD Coin","USDC"\n'
)


@pytest.mark.parametrize(("text", "chain"), [(TRONSCAN, "tron"), (ETHERSCAN, "ethereum")])
def test_import_without_a_format_recognises_the_export_by_its_header(db, tmp_path, capsys, text, chain):
    path = tmp_path / "export.csv"
    path.write_text(text)
    assert main(["--database", db, "import", str(path)]) == 0
    assert capsys.readouterr().out == f"{chain}: 1 transfers read, 1 new, 0 already stored\n"


def test_import_of_an_unknown_header_says_which_formats_exist(db, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text("when,who,how much\n1,2,3\n")
    assert main(["--database", db, "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: line 1: the header fits no known format (generic-csv, tronscan-csv, etherscan-csv)")
