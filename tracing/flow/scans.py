"""Compiled running sums and minimums per address (numba): one pass where numpy needs log(n) passes."""

import numba
import numpy as np

__all__ = ["running_min", "running_sum"]

_jit = numba.njit(cache=True, nogil=True)


@_jit
def running_sum(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Inclusive running sum of ``values``, restarting where ``group`` changes."""
    out = np.empty(len(values))
    for i in range(len(values)):
        out[i] = values[i] if i == 0 or group[i] != group[i - 1] else out[i - 1] + values[i]
    return out


@_jit
def running_min(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Inclusive running minimum of ``values``, restarting where ``group`` changes."""
    out = np.empty(len(values))
    for i in range(len(values)):
        out[i] = values[i] if i == 0 or group[i] != group[i - 1] else min(out[i - 1], values[i])
    return out
