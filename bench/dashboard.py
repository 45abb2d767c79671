"""Benchmark of the address page: server-side time of its callbacks and the bytes sent to the browser.

Builds a temporary store with one synthetic TRON address per size (10^3, 10^4,
10^5 transfers, heavy-tailed amounts, a few bursts), starts the dashboard on it
and calls the page's callbacks through Flask's test client, exactly as the
browser would (``POST /_dash-update-component``): the results with nothing
cached, the transfer table, and the results again after a new threshold (the
neighbourhood read from the store is reused). Prints times, bytes and their
ratios to the smallest size; asserts nothing. Bytes are those on the wire: the
requests accept the compressions a browser accepts.

Run: ``.venv/bin/python bench/dashboard.py [--sizes 1000 10000 100000] [--repeat 3]``
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import (
    create_app,
    ids,
)
from tracing.model import Chain, TransferTable
from tracing.params import Parameters
from tracing.sources.demo import USDT, demo_address
from tracing.store import Store

START = 1_700_000_000
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium asks for: bytes are counted as they travel
YEAR = 365 * 86_400


def synthetic_table(n: int, rng: np.random.Generator) -> tuple[str, TransferTable]:
    """``n`` transfers of one address with a pool of counterparties: lognormal amounts, some bursts."""
    address = demo_address(Chain.TRON, f"bench-{n}")
    pool = [demo_address(Chain.TRON, f"bench-{n}-peer-{i}") for i in range(max(10, min(n // 5, 5000)))]
    peers = rng.choice(pool, n)
    outgoing = rng.random(n) < 0.5
    times = START + np.sort(rng.integers(0, YEAR, n))
    burst = rng.random(n) < 0.05  # every twentieth transfer follows the previous one within a minute
    times[1:][burst[1:]] = times[:-1][burst[1:]] + 30
    times = np.sort(times)
    amounts = np.round(rng.lognormal(5, 1.5, n) * 10**USDT.decimals).astype(np.int64)
    table = TransferTable.from_columns(
        Chain.TRON,
        tx_hash=[f"{n:02x}{i:062x}" for i in range(n)],
        index=[0] * n,
        block=list(range(n)),
        timestamp=times.tolist(),
        sender=np.where(outgoing, address, peers).tolist(),
        receiver=np.where(outgoing, peers, address).tolist(),
        asset=[USDT] * n,
        amount=amounts.tolist(),
    )
    return address, table


def callback_bodies(client, request: dict) -> dict[str, dict]:
    """Request bodies of the address page's callbacks, built from the app's own dependency list."""
    wanted = {
        "results": ids.ADDRESS_SCORE,
        "table": ids.ADDRESS_TABLE_BODY,
    }
    values = {
        ids.ADDRESS_REQUEST: request,
        ids.ADDRESS_READY: request,
        ids.ADDRESS_PAGES: 1,
        ids.ADDRESS_SORT: "value:desc",
        ids.ADDRESS_FLAG_FILTER: "all",
    }
    bodies = {}
    for dep in client.get("/_dash-dependencies").get_json():
        for name, marker in wanted.items():
            if f"..{marker}." not in dep["output"] and not dep["output"].startswith(f"{marker}."):
                continue
            outputs = [
                {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
                for part in dep["output"].strip(".").split("...")
            ]
            inputs = [{**i, "value": values.get(i["id"])} for i in dep["inputs"]]
            state = [{**s, "value": values.get(s["id"])} for s in dep["state"]]
            bodies[name] = {
                "output": dep["output"],
                "outputs": outputs,
                "inputs": inputs,
                "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
                "state": state,
            }
    return bodies


def measure(client, body: dict, repeat: int, before=None) -> tuple[float, int]:
    """Median seconds of one callback request and the bytes of its answer; ``before(body, k)`` may change it."""
    times, size = [], 0
    for k in range(repeat):
        if before:
            body = before(body, k)
        t0 = time.perf_counter()
        answer = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": BROWSER_ENCODINGS})
        times.append(time.perf_counter() - t0)
        if answer.status_code != 200:
            raise RuntimeError(f"callback failed: {answer.status_code} {answer.get_data(as_text=True)[:500]}")
        size = len(answer.get_data())
    return statistics.median(times), size


def new_threshold(request: dict, body: dict, k: int) -> dict:
    """``body`` asking for the same address with another maximum threshold, as a user changing it would."""
    params = {**request["params"], "maximum_threshold": 3.0 + 0.1 * (k + 1)}
    inputs = [{**i, "value": {**request, "params": params}} if i["value"] == request else i for i in body["inputs"]]
    return {**body, "inputs": inputs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    folder = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    store = Store(url)
    addresses = {}
    for n in args.sizes:
        addresses[n], table = synthetic_table(n, rng)
        store.add_transfers(table, "bench")
    store.close()
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(folder),
            "ADMIN_PASSWORD": "bench password",
            "LOAD_DEMO": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    client = app.server.test_client()
    client.post("/login", data={"name": "admin", "password": "bench password"})
    services = app.server.extensions["tracing"]
    print(f"{'transfers':>10} {'results s':>10} {'results KB':>11} {'table s':>9} {'table KB':>9} {'rescore s':>10}")
    rows = []
    for n in args.sizes:
        request = {"chain": "tron", "address": addresses[n], "params": Parameters().to_dict()}
        bodies = callback_bodies(client, request)
        results = measure(client, bodies["results"], args.repeat, before=lambda body, k: services.forget() or body)
        rescore = measure(client, bodies["results"], args.repeat, before=partial(new_threshold, request))
        table = measure(client, bodies["table"], args.repeat)
        rows.append((n, *results, *table, rescore[0]))
        print(
            f"{n:>10,} {results[0]:>10.3f} {results[1] / 1024:>11.1f} {table[0]:>9.3f} {table[1] / 1024:>9.1f} "
            f"{rescore[0]:>10.3f}"
        )
    base = rows[0]
    print(f"\nratios to {base[0]:,} transfers:")
    for n, rt, rb, tt, tb, _ in rows[1:]:
        print(
            f"{n:>10,}  size x{n / base[0]:.0f}: results time x{rt / base[1]:.1f}, bytes x{rb / base[2]:.1f}; "
            f"table time x{tt / base[3]:.1f}, bytes x{tb / base[4]:.1f}"
        )
    print(
        json.dumps(
            {
                "figures": [
                    dict(zip(("transfers", "results_s", "results_bytes", "table_s", "table_bytes", "rescore_s"), r))
                    for r in rows
                ]
            }
        )
    )


if __name__ == "__main__":
    main()
