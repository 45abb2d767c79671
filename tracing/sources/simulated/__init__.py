"""Simulated chain APIs on 127.0.0.1: a scripted HTTP server and real-shaped answers of each provider.

Tests and ``bench/fetch.py`` point the ``*_URL`` settings here; nothing in it touches the internet.
"""

from tracing.sources.simulated.server import Answer, Request, Stall, StubServer, html, ok, raw

__all__ = ["Answer", "Request", "Stall", "StubServer", "html", "ok", "raw"]
