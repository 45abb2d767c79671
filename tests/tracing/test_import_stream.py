"""Imports stream the file in bounded batches inside one transaction, and report rows that disagree with the store.

Every test runs on SQLite and, when a server answers, on PostgreSQL: both behave alike.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracing.audit import AuditLog
from tracing.cli import main
from tracing.errors import ImportFormatError
from tracing.investigate.imports import import_transfers
from tracing.model import Chain
from tracing.sources.files import TransferReader, open_transfers, read_transfers
from tracing.testing import synthetic_export

ROOT = Path(__file__).resolve().parents[2]


def _import(store, path: Path):
    return import_transfers(store, open_transfers(path), path.name, actor="tester")


def _rows(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 7 rows, so that a small file spans several."""
    monkeypatch.setattr(TransferReader, "batch_rows", 7)


def test_an_import_streams_in_batches_and_stores_what_a_whole_read_holds(any_store, tmp_path, small_batches):
    path = synthetic_export(tmp_path / "t.csv", 50)
    sizes = [sum(len(part.table) for part in batch.values()) for batch in open_transfers(path).batches()]
    assert sizes == [7] * 7 + [1]
    assert _import(any_store, path).lines() == ["tron: 50 transfers read, 50 new, 0 already stored"]
    whole = read_transfers(path).tables[Chain.TRON]
    stored = any_store.transfers_on(Chain.TRON)
    assert stored.tx_hash.tolist() == whole.tx_hash.tolist()
    assert stored.amount.tolist() == whole.amount.tolist()
    assert _import(any_store, path).lines() == ["tron: 50 transfers read, 0 new, 50 already stored"]


def test_a_wrong_row_after_several_batches_stores_nothing(any_store, tmp_path, small_batches):
    path = synthetic_export(tmp_path / "t.csv", 50)
    rows = _rows(path)
    path.write_text("".join(rows) + rows[-1].replace(",6,", ",six,"))
    with pytest.raises(ImportFormatError, match="line 52: column decimals"):
        _import(any_store, path)
    assert any_store.count_transfers() == 0


def test_one_transfer_in_two_batches_is_one_and_with_other_contents_an_error(any_store, tmp_path, small_batches):
    rows = _rows(synthetic_export(tmp_path / "t.csv", 10))
    other = tmp_path / "other.csv"
    whole, _, cents = rows[2].rstrip("\n").rpartition(".")
    other.write_text("".join(rows) + f"{whole}.{int(cents) % 99 + 1:02d}\n")  # line 3's identity, another amount
    with pytest.raises(ImportFormatError, match=r"line 12: transfer \w+ #0 appears twice with different contents"):
        _import(any_store, other)
    assert any_store.count_transfers() == 0
    again = tmp_path / "again.csv"
    again.write_text("".join(rows) + rows[1])  # line 2 again as line 12, in the second batch
    assert _import(any_store, again).lines() == ["tron: 10 transfers read, 10 new, 0 already stored"]


def _spoiled(rows: list[str], line: int, column: int, value: str) -> str:
    cells = rows[line - 1].rstrip("\n").split(",")
    cells[column] = value
    return ",".join(cells) + "\n"


def _amounts(store) -> dict[str, int]:
    table = store.transfers_on(Chain.TRON)
    return {str(tx): int(amount) for tx, amount in zip(table.tx_hash, table.amount)}


def test_rows_that_disagree_with_the_store_are_listed_kept_out_and_audited(any_store, tmp_path):
    rows = _rows(synthetic_export(tmp_path / "t.csv", 4))
    first = tmp_path / "first.csv"
    first.write_text("".join(rows[:4]))  # lines 2-4 stored
    _import(any_store, first)
    before = _amounts(any_store)
    elsewhere = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"  # a valid TRON address no synthetic row uses
    second = tmp_path / "second.csv"
    second.write_text(rows[0] + rows[1] + _spoiled(rows, 3, 10, "12.34") + _spoiled(rows, 4, 6, elsewhere) + rows[4])
    summary = _import(any_store, second)
    assert summary.lines() == [
        "tron: 4 transfers read, 1 new, 1 already stored, "
        "2 stored otherwise (kept as stored; these rows were not imported)"
    ]
    amount, moved = summary.clashes
    assert (amount.line, amount.differences[0][0], amount.differences[0][2]) == (3, "amount", "12.34 USDT")
    assert (moved.line, moved.differences) == (4, (("receiver", rows[3].split(",")[6], elsewhere),))
    assert "line 3: tron transfer" in summary.warnings()[0] and "amount stored" in summary.warnings()[0]
    after = _amounts(any_store)
    assert len(after) == 4 and {tx: after[tx] for tx in before} == before  # the stored transfers are kept
    (entry,) = AuditLog(any_store).entries(action="transfers")
    assert (entry.actor, entry.object_id) == ("tester", "import:generic-csv:second.csv")
    assert entry.detail_dict["rows"] == 2 and entry.detail_dict["first"][0] == amount.describe()


def test_the_cli_says_which_rows_disagree_with_the_store(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    path = synthetic_export(tmp_path / "t.csv", 2)
    assert main(["--database", db, "import", str(path)]) == 0
    path.write_text("".join(_rows(path)[:2]) + _spoiled(_rows(path), 3, 10, "7"))
    capsys.readouterr()
    assert main(["--database", db, "import", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.endswith("1 already stored, 1 stored otherwise (kept as stored; these rows were not imported)\n")
    assert err.startswith("disagrees with the store: line 3: tron transfer ") and ", file 7 USDT" in err


def _storing(pid: int, seen: dict[str, int]) -> bool:
    """Whether process ``pid`` is a third of the way through storing its spooled batches.

    The import writes its parsed batches to an unlinked temporary file, rewinds it and reads them back
    into the store: the file's position falls back, then grows again. ``seen``: each such file's furthest.
    """
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if not os.readlink(fd).endswith("(deleted)"):
                continue
            position = int(Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        furthest = seen[fd.name] = max(seen.get(fd.name, 0), position)
        if furthest > 1 << 20 and furthest // 3 < position < furthest:
            return True
    return False


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs Linux /proc to see how far the import is")
def test_an_import_killed_while_storing_stores_nothing(any_store, tmp_path):
    path = synthetic_export(tmp_path / "big.csv", 100_000)
    process = subprocess.Popen(
        [sys.executable, "-m", "tracing", "--database", any_store.url, "import", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    deadline, seen = time.monotonic() + 300, {}
    while process.poll() is None and not _storing(process.pid, seen):
        assert time.monotonic() < deadline, "the import never got a third of the way through storing"
        time.sleep(0.01)
    assert process.poll() is None, f"the import ended before it could be killed: {process.stderr.read()!r}"
    process.send_signal(signal.SIGKILL)  # kill -9 with a third of the rows inserted: no handler runs, no rollback
    process.wait(timeout=60)
    process.stderr.close()
    assert any_store.count_transfers() == 0
