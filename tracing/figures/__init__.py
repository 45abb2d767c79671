"""Figures shared by the dashboard, the CLI and the reports: plotly charts and one set of formatters.

:mod:`tracing.figures.charts` builds the charts (data in, ``go.Figure`` out);
:mod:`tracing.figures._format` writes amounts, times, addresses and z-scores the
same way on every page, in the CLI and in reports.
"""

from tracing.figures._format import amount, precision, share, short_address, when, zscore
from tracing.figures.charts import COLOURS, MAX_POINTS, asset_rows, timeline, zscore_histogram

__all__ = [
    "COLOURS",
    "MAX_POINTS",
    "amount",
    "asset_rows",
    "precision",
    "share",
    "short_address",
    "timeline",
    "when",
    "zscore",
    "zscore_histogram",
]
