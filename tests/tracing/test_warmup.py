"""Warming up runs every compiled kernel of the engine (checked in a fresh process, where none has run yet)."""

import subprocess
import sys

from tracing.warmup import warm_up_in_background

CHECK = """
import numba
from tracing.flow import scans
from tracing.scoring import kernels
from tracing.warmup import warm_up

warm_up()
kernels = [getattr(m, name) for m in (kernels, scans) for name in m.__all__]
assert all(isinstance(k, numba.core.registry.CPUDispatcher) for k in kernels)
print(" ".join(k.__name__ for k in kernels if not k.signatures) or "all compiled")
"""


def test_warm_up_runs_every_kernel():
    run = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "all compiled"


def test_warm_up_in_background_finishes():
    thread = warm_up_in_background()
    thread.join(timeout=120)
    assert not thread.is_alive()
