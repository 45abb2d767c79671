"""Tracing engine: transfers, scoring, fund flows. Pure Python; never imports Dash or Flask."""

__version__ = "0.1.0"
