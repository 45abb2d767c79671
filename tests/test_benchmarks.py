"""The benchmarks still run and print their figures (at toy sizes: the figures themselves are not judged)."""

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        ("scoring.py", ["2000"], ["x sort", "2,000   ordered", "2,000  shuffled", "hiding: linking"]),
        ("flow.py", ["2000"], ["haircut", "fifo"]),
        ("dashboard.py", ["--sizes", "300", "--repeat", "1"], ['"transfers": 300']),
        ("report.py", ["--repeat", "1"], ["evidence: median", "pdf: median", "PDF"]),
        (
            "profiles.py",
            ["--addresses", "300", "--transfers", "3000", "--store", "2000", "--k", "2-3"],
            ["features", "training", "assign", "store (SQLite)"],
        ),
        (
            "import.py",
            ["--rows", "2000"],
            ["peak MiB", "again/s", "(exit 0, 0)", "etherscan-csv", "small writes meanwhile"],
        ),
        (
            "market.py",
            ["--trades", "20000", "--pairs", "20", "--latency-runs", "2"],
            ["trades/s", "DuckDB seed SQL", "latency"],
        ),
    ],
)
def test_benchmark_prints_its_figures(script, args, expected):
    run = subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr
    for text in expected:
        assert text in run.stdout, f"{text!r} missing from:\n{run.stdout}"
