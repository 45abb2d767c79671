"""Bounds on what a request may carry: body size and JSON nesting, checked before anything parses deeper.

A body over ``MAX_CONTENT_LENGTH`` answers 413; JSON nested deeper than
:data:`MAX_JSON_DEPTH` is refused as malformed (400) before Python's parser
recurses into it.
"""

import re

import flask
import numpy as np
from flask.json.provider import DefaultJSONProvider

__all__ = ["MAX_JSON_DEPTH", "BoundedJSONProvider", "init_limits", "too_deep"]

MAX_JSON_DEPTH = 64
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_OPEN = np.zeros(256, np.int8)
_OPEN[[ord("["), ord("{")]] = 1
_OPEN[[ord("]"), ord("}")]] = -1


def too_deep(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than ``limit`` (brackets in strings aside).

    >>> too_deep('{"a": [1, {"b": "[[[[["}]}', limit=3), too_deep('[[[[1]]]]', limit=3)
    (False, True)
    """
    data = text.encode() if isinstance(text, str) else bytes(text)
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    steps = _OPEN[np.frombuffer(_STRINGS.sub(b'""', data), np.uint8)]
    return int(np.cumsum(steps, dtype=np.int64).max(initial=0)) > limit


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing (as malformed JSON: a 400) texts nested deeper than :data:`MAX_JSON_DEPTH`."""

    def loads(self, s, **kwargs):
        """Parse ``s``; ValueError when it nests too deeply."""
        if too_deep(s):
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def init_limits(server: flask.Flask) -> None:
    """Bound request bodies (the ``MAX_CONTENT_LENGTH`` setting) and JSON nesting on ``server``."""
    server.json = BoundedJSONProvider(server)
