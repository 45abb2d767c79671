"""Peak memory of one call, seen the way the operating system sees it.

``tracemalloc`` only counts memory allocated through Python's allocator, which
misses the arrays the compiled kernels allocate, so on Linux the peak is the
growth of the resident set during the call: freed memory is first handed back
to the system (glibc's ``malloc_trim``), so that every page the call uses is
counted, and the high-water mark is reset (``/proc/self/clear_refs``).
Elsewhere ``tracemalloc`` is the fallback.
"""

import ctypes
import ctypes.util
import gc
import tracemalloc
from pathlib import Path

__all__ = ["peak_mib"]

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _kib(field: str) -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def peak_mib(func) -> float:
    """Peak memory in MiB that ``func()`` added to the process."""
    try:
        gc.collect()
        ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim(0)
        _CLEAR_REFS.write_text("5")  # reset the resident set's high-water mark (Linux 4.0+)
    except (OSError, AttributeError):
        tracemalloc.start()
        func()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak / 2**20
    before = _kib("VmRSS")
    func()
    return (_kib("VmHWM") - before) / 1024
