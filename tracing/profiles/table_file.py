"""Feature tables from CSV files (like the original profiler's): numbers only, an optional header."""

import csv
import math
from pathlib import Path

import numpy as np

from tracing.errors import ImportFormatError

__all__ = ["read_feature_table", "write_assignments"]


def read_feature_table(path: str | Path) -> tuple[np.ndarray, tuple[str, ...]]:
    """The rows of a numeric CSV and its column names (``feature 1`` ... when it has no header).

    Raises
    ------
    ImportFormatError
        The file cannot be read, is empty, or a row has a wrong width or a value that is not a finite number.
    """
    path = Path(path)
    try:
        lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    except (OSError, UnicodeDecodeError) as err:
        raise ImportFormatError(f"cannot read feature table {path}: {err}") from err
    lines = [(n, row) for n, row in enumerate(lines, 1) if any(cell.strip() for cell in row)]
    if not lines:
        raise ImportFormatError(f"{path}: the feature table is empty")
    names: tuple[str, ...] | None = None
    if not any(_is_number(cell) for cell in lines[0][1]):  # a header: no cell of the first row is a number
        names = tuple(cell.strip() for cell in lines[0][1])
        lines = lines[1:]
    width = len(names) if names else len(lines[0][1]) if lines else 0
    values = []
    for n, row in lines:
        if len(row) != width:
            raise ImportFormatError(f"{path} line {n}: expected {width} values, found {len(row)}")
        try:
            numbers = [float(cell) for cell in row]
        except ValueError:
            raise ImportFormatError(f"{path} line {n}: every value must be a number, got {row!r}") from None
        if not all(math.isfinite(x) for x in numbers):
            raise ImportFormatError(f"{path} line {n}: values must be finite numbers")
        values.append(numbers)
    if len(values) < 10:
        raise ImportFormatError(f"{path}: need at least 10 rows to cluster, found {len(values)}")
    return np.array(values), names or tuple(f"feature {j + 1}" for j in range(width))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_assignments(path: str | Path, labels: np.ndarray) -> None:
    """One cluster id per line, one line per input row, in order (no header)."""
    Path(path).write_text("".join(f"{int(c)}\n" for c in labels))
