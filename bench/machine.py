"""One line about the machine a benchmark ran on: ratios to ``numpy.sort`` depend on it.

``numpy.sort`` of integers uses AVX-512 where the CPU has it (about twice as fast
as with AVX2), so the same engine time is a larger multiple of the sort there.
"""

import os
import platform
from pathlib import Path

__all__ = ["describe"]

_CPUINFO = Path("/proc/cpuinfo")


def describe() -> str:
    """CPU model, cores, the widest SIMD extension the sort can use, numpy's version."""
    import numpy as np

    model, flags = platform.processor() or platform.machine(), set()
    if _CPUINFO.exists():
        for line in _CPUINFO.read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() in ("flags", "Features"):
                flags = set(value.split())
    simd = next((name for name in ("avx512f", "avx2", "asimd", "sse4_2") if name in flags), "unknown")
    return f"machine: {model}, {os.cpu_count()} cores, widest SIMD {simd}, numpy {np.__version__}"
