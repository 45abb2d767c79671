"""Benchmark of the address page in a real browser: time until it is usable, and the server's share of it.

Serves the dashboard (threaded werkzeug, as in the browser tests) on a temporary
store holding the demo world and one synthetic TRON address of 10^4 transfers,
logs in with headless Debian Chromium (Playwright, never a downloaded browser)
and opens the address page of the thief, the exchange's hot wallet and the
synthetic address. *Usable* means: the risk and anomaly scores, the test cards
with their evidence, both charts with their marks and the first page of the
transfer table are drawn. The server's share is the summed time of the page's
callback requests, measured inside the server. Prints one line per address and
run (the first run of each address is cold: nothing cached), then the medians.

Run: ``.venv/bin/python bench/browser.py [--repeat 3] [--size 10000]``
"""

import argparse
import importlib.util
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from dashboard import create_app  # noqa: E402
from tracing.sources import demo  # noqa: E402
from tracing.store import Store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
USABLE = """() => {
  const has = (s, n) => document.querySelectorAll(s).length > n;
  return has('#address-score-value', 0) && has('#address-tests .card', 3)
    && has('#address-timeline .scatterlayer .point', 0) && has('#address-histogram .barlayer .point', 0)
    && has('#address-table tbody tr', 0);
}"""


def _synthetic(size: int):
    """One synthetic address of ``size`` transfers (the dashboard benchmark's generator)."""
    spec = importlib.util.spec_from_file_location("bench_dashboard", ROOT / "bench" / "dashboard.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_table(size, np.random.default_rng(7))


class ServerClock:
    """Sums the time the server spends answering Dash callbacks (``/_dash-update-component``)."""

    def __init__(self, server):
        self.total, self._lock = 0.0, threading.Lock()
        server.before_request(self._start)
        server.teardown_request(self._stop)

    def _start(self):
        import flask

        flask.g.bench_started = time.perf_counter()

    def _stop(self, _error):
        import flask

        started = flask.g.pop("bench_started", None)
        if started is not None and flask.request.path == "/_dash-update-component":
            with self._lock:
                self.total += time.perf_counter() - started

    def reset(self) -> None:
        with self._lock:
            self.total = 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    store = Store(url)
    demo.load_demo(store)
    big, table = _synthetic(args.size)
    store.add_transfers(table, "bench")
    store.close()
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder), "ADMIN_PASSWORD": "bench password"})
    clock = ServerClock(app.server)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    cast = demo.build_demo().cast
    pages = {
        "thief": cast["thief"],
        "hot wallet": cast["exchange_hot_wallet"],
        f"{args.size:,} transfers": big,
    }
    results = {name: [] for name in pages}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(base + "/login")
        page.fill("#name", "admin")
        page.fill("#password", "bench password")
        page.click("#login-submit")
        page.wait_for_url(base + "/")
        page.goto(f"{base}/address/tron/{cast['victim']}")  # loads the scripts once, as a working browser has
        page.wait_for_function(USABLE, timeout=60_000)
        for run in range(args.repeat):
            for name, address in pages.items():
                page.goto(base + "/")
                clock.reset()
                started = time.perf_counter()
                page.goto(f"{base}/address/tron/{address}")
                page.wait_for_function(USABLE, timeout=60_000, polling=20)
                usable = time.perf_counter() - started
                results[name].append((usable, clock.total))
                print(f"run {run + 1} {name:>18}: usable after {usable:.2f} s, server {clock.total:.2f} s", flush=True)
        browser.close()
    server.shutdown()
    print("\nmedian over runs (the first run is cold):")
    for name, runs in results.items():
        usable = statistics.median(u for u, _ in runs)
        served = statistics.median(s for _, s in runs)
        print(f"{name:>18}: usable after {usable:.2f} s; server {served:.2f} s ({100 * served / usable:.0f}% of it)")


if __name__ == "__main__":
    main()
