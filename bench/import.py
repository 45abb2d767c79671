"""Import benchmark: peak memory and speed of `tracing import` on large exports, and what it costs readers.

For each format, a seeded synthetic export of N rows (``tracing.testing.synthetic_export``)
is imported by ``tracing import`` into a fresh SQLite file (or PostgreSQL schema with
``--postgres``), each in its own process: seconds, rows per second and the peak memory
the import added (``bench/peak.py``); then the same file again into that store (a re-import:
every row is stored already and compared with its stored twin). Then, on SQLite, the generic-csv file is imported
again into a store that already holds transfers while this process reads from it every
50 ms (an address's transfers, the web app's kind of read) and writes to it
(a small write, the kind a login or a session touch makes, again and again): how long they waited.
Asserts nothing.

Run: ``.venv/bin/python bench/import.py [--rows 500000] [--formats generic-csv tronscan-csv] [--postgres]``
"""

import argparse
import contextlib
import io
import json
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from peak import peak_mib  # noqa: E402

from tracing.cli import main as cli  # noqa: E402
from tracing.model import Chain  # noqa: E402
from tracing.store import Store  # noqa: E402
from tracing.store.schema import audit_log  # noqa: E402
from tracing.testing import synthetic_export  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FORMATS = ("generic-csv", "tronscan-csv", "etherscan-csv")
_SCHEMAS: list[str] = []  # PostgreSQL schemas made by this run, dropped at its end


def _child(url: str, path: str) -> None:
    """Run one import in this process and print its figures as JSON."""
    Store(url).close()  # migrations done before measuring
    status = []
    start = time.perf_counter()
    peak = peak_mib(lambda: status.append(cli(["--database", url, "import", path])))
    print(json.dumps({"seconds": time.perf_counter() - start, "peak": peak, "status": status[0]}))


def _import_in_child(url: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, "--child", url, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _figures(process: subprocess.Popen) -> dict:
    out, err = process.communicate()
    lines = out.strip().splitlines()
    if process.returncode or not lines:
        return {"seconds": float("nan"), "peak": float("nan"), "status": f"failed: {err.strip()[-300:]}"}
    return json.loads(lines[-1])


def _fresh_url(folder: Path, postgres: bool) -> str:
    if not postgres:
        return f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.db'}"
    schema = f"imp_{uuid.uuid4().hex[:10]}"
    with sa.create_engine(PG_URL).begin() as conn:
        conn.execute(sa.text(f"create schema {schema}"))
    _SCHEMAS.append(schema)
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def _drop_schemas() -> None:
    if _SCHEMAS:
        with sa.create_engine(PG_URL).begin() as conn:
            for schema in _SCHEMAS:
                conn.execute(sa.text(f"drop schema {schema} cascade"))


def _readers_during_import(folder: Path, path: Path, rows: int) -> None:
    """Reads and one write against a SQLite store while a CLI import of ``path`` runs."""
    url = _fresh_url(folder, False)
    small = synthetic_export(folder / "small.csv", 20_000, "generic-csv", seed=11)
    with contextlib.redirect_stdout(io.StringIO()):
        cli(["--database", url, "import", str(small)])
    store = Store(url)
    address = store.transfers_on(Chain.TRON).addresses[0]
    process = _import_in_child(url, path)
    waits, writes, failures = [], [], []

    def keep_writing():  # the writes a web app makes (a login, a session touch), one after another
        while process.poll() is None:
            start = time.perf_counter()
            try:
                with store.engine.begin() as conn:
                    conn.execute(
                        audit_log.insert().values(at=0, actor="bench", action="x", object_type="y", object_id="")
                    )
            except Exception as err:  # the figure to print: what a web app's write met
                failures.append(str(err).splitlines()[0][:80])
            writes.append(time.perf_counter() - start)
            time.sleep(0.2)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    while process.poll() is None:
        start = time.perf_counter()
        store.transfers_of(Chain.TRON, address)
        waits.append(time.perf_counter() - start)
        time.sleep(0.05)
    writer.join()
    figures = _figures(process)
    store.close()
    ms = np.array(waits) * 1000
    print(
        f"SQLite, {rows:,} rows imported in {figures['seconds']:.1f} s while reading: {len(ms)} reads, "
        f"p50 {np.percentile(ms, 50):.0f} ms, p99 {np.percentile(ms, 99):.0f} ms, max {ms.max():.0f} ms; "
        f"{len(writes)} small writes meanwhile: longest wait {max(writes, default=0):.1f} s, "
        f"{len(failures)} failed {failures[:1]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--postgres", action="store_true", help=f"fresh schemas at {PG_URL}")
    parser.add_argument("--no-readers", action="store_true", help="skip the reads-during-import run")
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="import-") as tmp:
        _run(args, Path(tmp))


def _run(args: argparse.Namespace, folder: Path) -> None:
    store = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{'format':<14} {'rows':>9} {'file MiB':>9} {'seconds':>8} {'rows/s':>8} {'peak MiB':>9} "
        f"{'again s':>8} {'again/s':>8}  store"
    )
    for fmt in args.formats:
        path = synthetic_export(folder / f"{fmt}.csv", args.rows, fmt)
        url = _fresh_url(folder, args.postgres)
        try:
            first = _figures(_import_in_child(url, path))
            again = _figures(_import_in_child(url, path))  # every row stored already: all compared
        finally:
            _drop_schemas()
            _SCHEMAS.clear()
        size = path.stat().st_size / 2**20
        print(
            f"{fmt:<14} {args.rows:>9,} {size:>9.0f} {first['seconds']:>8.1f} {args.rows / first['seconds']:>8,.0f} "
            f"{first['peak']:>9.0f} {again['seconds']:>8.1f} {args.rows / again['seconds']:>8,.0f}  "
            f"{store} (exit {first['status']}, {again['status']})"
        )
    if not args.no_readers:
        generic = folder / "generic-csv.csv"
        if not generic.exists():
            synthetic_export(generic, args.rows, "generic-csv")
        _readers_during_import(folder, generic, args.rows)


if __name__ == "__main__":
    main()
