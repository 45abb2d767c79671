"""Page state in the URL: ``/address/<chain>/<address>?<parameters that differ from the defaults>``, and the same for ``/trace/``.

>>> from tracing.params import Parameters
>>> address_path("tron", "TVEt2wx26hXGdiZLaoZgtRrsDKsYx9kqk6", Parameters(maximum_threshold=2.5))
'/address/tron/TVEt2wx26hXGdiZLaoZgtRrsDKsYx9kqk6?maximum_threshold=2.5'
"""

from urllib.parse import quote, urlencode

from tracing.flow import TraceParameters
from tracing.params import Parameters

__all__ = ["address_path", "trace_path"]


def address_path(chain: str, address: str, params: Parameters | None = None) -> str:
    """The address page's path; only parameters that differ from the defaults go in the query."""
    path = f"/address/{quote(str(chain))}/{quote(address, safe='')}"
    changed = params.changed() if params is not None else {}
    return f"{path}?{urlencode(changed)}" if changed else path


def trace_path(
    chain: str, address: str, params: TraceParameters | None = None, *, expanded=(), focus: str | None = None
) -> str:
    """The trace page's path: parameters that differ from the defaults, expanded nodes and the highlighted one.

    >>> trace_path("tron", "TVEt2wx26hXGdiZLaoZgtRrsDKsYx9kqk6", TraceParameters(model="fifo"), expanded=["A", "B"])
    '/trace/tron/TVEt2wx26hXGdiZLaoZgtRrsDKsYx9kqk6?model=fifo&expanded=A%2CB'
    """
    query = dict(params.changed()) if params is not None else {}
    if expanded:
        query["expanded"] = ",".join(sorted(set(expanded)))
    if focus:
        query["focus"] = focus
    path = f"/trace/{quote(str(chain))}/{quote(address, safe='')}"
    return f"{path}?{urlencode(query)}" if query else path
