"""Benchmark of the demo case's report: evidence, HTML and PDF, each timed (the issue asks < 10 s in all).

Builds a temporary store with the demo world and one case (the thief scored, the theft
traced with the poison model, a note), then times building the evidence, rendering the
HTML file and the PDF, and verifying both. Prints seconds and sizes; asserts nothing.

Run: ``.venv/bin/python bench/report.py [--repeat 3]``
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import describe
from tracing.cases import Cases
from tracing.report import case_evidence, render_html, render_pdf, verify
from tracing.sources import demo
from tracing.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(describe())
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{folder}/bench.db")
        demo.load_demo(store)
        world = demo.build_demo()
        cases = Cases(store)
        case = cases.create("bench", "Demo theft")
        cases.add_item("bench", case.id, "address", world.cast["thief"])
        cases.add_item(
            "bench", case.id, "trace", world.cast["victim"], params={"tx": world.theft_tx, "model": "poison"}
        )
        cases.add_note("bench", case.id, "The mules forward within minutes.")
        case_evidence(store, case.id, investigator="bench")  # compile the kernels once
        times: dict[str, list[float]] = {"evidence": [], "html": [], "pdf": [], "verify": [], "total": []}
        sizes = {}
        for _ in range(args.repeat):
            start = time.perf_counter()
            evidence = case_evidence(store, case.id, investigator="bench")
            t1 = time.perf_counter()
            html = render_html(evidence)
            t2 = time.perf_counter()
            pdf = render_pdf(evidence)
            t3 = time.perf_counter()
            for name, content in (("html", html), ("pdf", pdf)):
                Path(folder, f"r.{name}").write_bytes(content)
                assert verify(Path(folder, f"r.{name}")).ok
                sizes[name] = len(content)
            t4 = time.perf_counter()
            for key, value in zip(times, (t1 - start, t2 - t1, t3 - t2, t4 - t3, t3 - start)):
                times[key].append(value)
        store.close()
    for key, values in times.items():
        print(f"{key:>9}: median {statistics.median(values):6.2f} s  (min {min(values):.2f}, max {max(values):.2f})")
    print(f"HTML {sizes['html'] / 1e6:.1f} MB (plotly.js inside), PDF {sizes['pdf'] / 1e3:.0f} KB")


if __name__ == "__main__":
    main()
