"""Load benchmark: gunicorn serving the app, bounded concurrent clients, latency percentiles and errors.

Starts gunicorn (``app:server``) on a free port against a fresh SQLite file or a fresh
PostgreSQL schema (``--postgres``), with the demo world. Then, for each number of
clients (8 and 32 by default), every client sends requests one after another:

- ``api``: ``POST /api/score`` for the demo thief (Bearer token);
- ``address``: the address page's results callback (``/_dash-update-component``);
- ``trace``: the trace page's results callback;

each ``cached`` (the same parameters every time) and ``uncached`` (a new threshold or
minimum amount per request). Prints p50/p95/p99 in milliseconds and the errors (any
answer but 200, or no answer) per row. With ``--import-rows N`` a CLI import of N
synthetic transfers runs during the measurement (the web app must not stall).
Asserts nothing.

Run: ``.venv/bin/python bench/load.py [--workers 2] [--threads 4] [--clients 8 32] [--requests 10] [--postgres]``
"""

import argparse
import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracing.accounts import Accounts  # noqa: E402
from tracing.flow import TraceParameters  # noqa: E402
from tracing.params import Parameters  # noqa: E402
from tracing.sources.demo import build_demo  # noqa: E402
from tracing.store import Store  # noqa: E402
from tracing.testing import synthetic_export  # noqa: E402

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, workers: int, threads: int, password: str) -> tuple[subprocess.Popen, str]:
    """gunicorn on a free port; returns the process and its base URL once it answers."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "ADMIN_PASSWORD": password, "SECRET_KEY": secrets.token_hex(32)}
    command = [sys.executable, "-m", "gunicorn", "app:server", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    command += ["--timeout", "120"]  # a loaded machine: a slow first trace is not a dead worker
    if threads > 1:
        command += ["-k", "gthread", "--threads", str(threads)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(base + "/login", timeout=30).status_code == 200:
                return process, base
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start: " + process.stderr.read().decode()[-2000:])


def logged_in(base: str, password: str) -> requests.Session:
    """A session logged in as admin through the form (CSRF token included)."""
    session = requests.Session()
    html = session.get(base + "/login").text
    token = html.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    session.post(base + "/login", data={"name": "admin", "password": password, "csrf_token": token})
    return session


def callback_body(dependencies: list, output_marker: str, value) -> dict:
    """The body of the callback whose output names ``output_marker``, its first input set to ``value``."""
    dep = next(d for d in dependencies if output_marker in d["output"])
    outputs = [
        {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1].split("@")[0]}
        for p in dep["output"].strip(".").split("...")
    ]
    inputs = [{**i, "value": value} for i in dep["inputs"]]
    changed = [f"{inputs[0]['id']}.{inputs[0]['property']}"]
    return {"output": dep["output"], "outputs": outputs, "inputs": inputs, "changedPropIds": changed, "state": []}


def requests_of(kind: str, cached: bool, base: str, token: str, deps: list, thief: str, victim: str):
    """A function k -> (method, url, kwargs) of the k-th request of a kind."""
    if kind == "api":

        def api(k):
            body = {"address": thief, "maximum_threshold": 3 if cached else 3 + (k % 997) / 1000}
            return base + "/api/score", {"json": body, "headers": {"Authorization": f"Bearer {token}"}}

        return api
    if kind == "address":

        def address(k):
            params = Parameters(maximum_threshold=3 if cached else 3 + (k % 997) / 1000).to_dict()
            value = {"chain": "tron", "address": thief, "params": params}
            return base + "/_dash-update-component", {"json": callback_body(deps, "address-score.children", value)}

        return address

    def trace(k):
        params = TraceParameters(min_amount=0 if cached else (k % 997) / 1000).to_dict()
        value = {"chain": "tron", "address": victim, "params": params, "expanded": [], "focus": None}
        return base + "/_dash-update-component", {"json": callback_body(deps, "trace-graph.elements", value)}

    return trace


def load(sessions: list, make, per_client: int) -> tuple[np.ndarray, int]:
    """Latencies (s) of one client per session sending ``per_client`` requests each, and the errors."""
    latencies, errors, lock, clients = [], [0], threading.Lock(), len(sessions)

    def client(c):
        session = sessions[c]
        for j in range(per_client):
            url, kwargs = make(c * per_client + j)
            t0 = time.perf_counter()
            try:
                ok = session.post(url, timeout=120, **kwargs).status_code == 200
            except requests.RequestException:
                ok = False
            with lock:
                latencies.append(time.perf_counter() - t0)
                errors[0] += not ok

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return np.array(latencies), errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="above 1: gunicorn's gthread worker")
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--requests", type=int, default=10, help="requests per client and row")
    parser.add_argument("--postgres", action="store_true", help=f"a fresh schema at {PG_URL}")
    parser.add_argument("--kinds", nargs="+", default=["api", "address", "trace"])
    parser.add_argument("--import-rows", type=int, default=0, help="run a CLI import of this many rows meanwhile")
    args = parser.parse_args()

    folder, password = Path(tempfile.mkdtemp(prefix="load-")), secrets.token_urlsafe(16)
    url, schema = f"sqlite:///{folder / 'load.db'}", None
    if args.postgres:
        import sqlalchemy as sa

        schema = f"load_{uuid.uuid4().hex[:10]}"
        with sa.create_engine(PG_URL).begin() as conn:
            conn.execute(sa.text(f"create schema {schema}"))
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    world = build_demo()
    thief, victim = world.cast["thief"], world.cast["victim"]
    process, base = start_server(url, args.workers, args.threads, password)
    importer = None
    try:
        store = Store(url)
        token = Accounts(store).new_token("admin", "load benchmark")
        store.close()
        first = logged_in(base, password)
        deps = first.get(base + "/_dash-dependencies").json()
        if args.import_rows:
            csv_path = folder / "import.csv"
            synthetic_export(csv_path, args.import_rows)
            importer = subprocess.Popen(
                [sys.executable, "-m", "tracing", "--database", url, "import", str(csv_path)],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        sessions = [logged_in(base, password) for _ in range(max(args.clients))]
        model = f"{args.workers} worker(s)" + (
            f" x {args.threads} threads (gthread)" if args.threads > 1 else " (sync)"
        )
        print(f"gunicorn {model} on {'PostgreSQL' if args.postgres else 'SQLite'}; {args.requests} requests per client")
        print(
            f"{'kind':<8} {'cache':<9} {'clients':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'req/s':>7}"
        )
        for clients in args.clients:
            for kind in args.kinds:
                for cached in (True, False):
                    make = requests_of(kind, cached, base, token, deps, thief, victim)
                    warm_url, warm = make(0)
                    with contextlib.suppress(requests.RequestException):  # a failure shows in the errors below
                        first.post(warm_url, timeout=300, **warm)  # the first answer of a kind reads the store
                    t0 = time.perf_counter()
                    latencies, errors = load(sessions[:clients], make, args.requests)
                    wall = time.perf_counter() - t0
                    p50, p95, p99 = np.percentile(latencies, [50, 95, 99]) * 1000
                    label = "cached" if cached else "uncached"
                    rate = len(latencies) / wall
                    print(
                        f"{kind:<8} {label:<9} {clients:>7} {p50:>8.0f} {p95:>8.0f} {p99:>8.0f} {errors:>7} {rate:>7.1f}"
                    )
        if importer is not None:
            status = importer.wait(timeout=3600)
            print(f"import of {args.import_rows} rows during the load: exit {status}")
    finally:
        if importer is not None and importer.poll() is None:
            importer.kill()
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        if schema:
            import sqlalchemy as sa

            with sa.create_engine(PG_URL).begin() as conn:
                conn.execute(sa.text(f"drop schema {schema} cascade"))


if __name__ == "__main__":
    main()
