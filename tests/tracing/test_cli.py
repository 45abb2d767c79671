"""The command line, end to end on a temporary database."""

import json
import subprocess
import sys

import pytest

from tracing.cli import main
from tracing.sources import demo

THIEF = demo.demo_address(demo.Chain.TRON, "thief")


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_score_json_loads_the_demo_on_first_run(db, capsys):
    assert main(["--database", db, "score", THIEF, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"address", "chain", "risk", "final_score", "tests", "transfers_analysed", "data_source"}
    assert doc["risk"]["rating"] == "high" and doc["final_score"] == 23.67  # the weighted mean, as the API always gave
    assert [r["rule"] for r in doc["risk"]["rules"]] == ["sanctioned_counterparty", "pass_through_chain", "burst"]
    assert all(set(r) == {"rule", "rating", "evidence", "explanation"} for r in doc["risk"]["rules"])
    assert set(doc["tests"]) == {"value", "transfers", "hiding", "relation"}
    for test in doc["tests"].values():
        assert set(test) == {"score", "evidence", "explanation", "parameters"}
    assert doc["data_source"] == "demo" and doc["chain"] == "tron"
    assert len(doc["tests"]["hiding"]["evidence"]["intermediaries"]) == 15


def test_score_flags_change_the_parameters(db, capsys):
    main(["--database", db, "score", THIEF, "--json", "--time-difference", "600", "--value-coefficient", "0"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["parameters"]["time_difference"] == 600 and doc["parameters"]["value_coefficient"] == 0
    assert doc["tests"]["transfers"]["parameters"] == {"time_difference": 600}


def test_text_report(db, capsys):
    assert main(["--database", db, "score", THIEF]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[1].startswith("Risk: HIGH") and lines[2].startswith("  [high] sanctioned_counterparty:")
    assert "GARANTEX EUROPE OU" in lines[2]
    assert "Anomaly score: 23.7 / 100 (low; bands severe >= 75, high >= 50, elevated >= 25)" in out
    assert "[hiding]" in out and demo.GARANTEX in out and "adds " in out


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["score", THIEF[:-1] + "x"], 2, "not a valid tron address"),
        (["score", THIEF, "--time-difference", "-1"], 2, "time_difference"),
        (["score", THIEF, "--minimum-threshold", "abc"], 2, "minimum_threshold: must be a number"),
        (
            ["score", THIEF, "--minimum-threshold", "abc", "--time-difference", "-5", "--value-method", "zzz"],
            2,
            "minimum_threshold: must be a number, got 'abc'; time_difference: must be a positive number of seconds",
        ),
        (
            ["trace", THIEF, "--hops", "0", "--since", "yesterday"],
            2,
            "hops: must be a whole number from 1 to 20, got 0; since:",
        ),
        (["score", "TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs"], 1, "no transfers are stored"),
        (["import", "/no/such/file.csv"], 2, "no such file"),
        (["sanctions", "load", "/no/such/list.txt"], 2, "cannot read"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(db, capsys, args, status, message):
    assert main(["--database", db, *args]) == status
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_import_then_score_real_treasury(db, capsys, shared_data):
    path = str(shared_data / "transfers" / "tron-usdt-treasury" / "tron.csv")
    assert main(["--database", db, "import", path, "--format", "tronscan-csv"]) == 0
    assert "1942 new" in capsys.readouterr().out
    assert main(["--database", db, "import", path, "--format", "tronscan-csv"]) == 0
    assert "0 new, 1942 already stored" in capsys.readouterr().out
    assert main(["--database", db, "score", "TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["transfers_analysed"] == 1942 and doc["data_source"] == "import:tronscan-csv:tron.csv"
    assert 0 < doc["final_score"] < 100


def test_sanctions_list_makes_a_listed_address_score_100(db, capsys, shared_data):
    listed = "TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM"  # first entry of the real OFAC TRX list, no transfers stored
    unlisted = "TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs"
    assert main(["--database", db, "score", unlisted]) == 1  # nothing stored and no list names it
    assert (
        main(["--database", db, "sanctions", "load", str(shared_data / "ofac" / "sanctioned_addresses_TRX.txt")]) == 0
    )
    assert "listed addresses read" in capsys.readouterr().out
    assert main(["--database", db, "score", listed, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    relation = doc["tests"]["relation"]
    assert relation["score"] == 100.0 and relation["evidence"]["listed"] is True
    assert doc["risk"]["rating"] == "severe" and doc["risk"]["rules"][0]["rule"] == "listed"


def test_python_dash_m_entry_point(db):
    done = subprocess.run(
        [sys.executable, "-m", "tracing", "--database", db, "demo"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and THIEF in done.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "tracing", "--database", db, "score", "nonsense"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and not bad.stdout
