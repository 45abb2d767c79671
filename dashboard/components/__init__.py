"""Component builders: plain functions returning Dash components, testable without a browser."""

WIDE_ONLY = "d-none d-md-table-cell"
"""Classes of a table cell shown from 768 px (md) up: the columns a phone can do without."""
NARROW_ONLY = "d-md-none"
"""Classes of what a phone shows in place of a hidden column (a label under its address)."""
