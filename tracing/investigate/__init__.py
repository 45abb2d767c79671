"""Store (and sources) -> engine: the one package that joins them.

- :mod:`~tracing.investigate.score`: gather an address's neighbourhood and score it;
- :mod:`~tracing.investigate.trace`: gather the flow around an address and trace it;
- :mod:`~tracing.investigate.refresh`: fetch what is newer from a chain API into the store.

The pure packages (``model``, ``scoring``, ``flow``, ``labels``, ``figures`` …) never
import the store; a test checks it.
"""

from tracing.investigate.score import (
    GATHERING,
    Neighbourhood,
    busiest_counterparties,
    gather,
    pass_through_context,
    score_address,
)
from tracing.investigate.trace import gather_flow, trace_stored

__all__ = [
    "GATHERING",
    "Neighbourhood",
    "busiest_counterparties",
    "gather",
    "gather_flow",
    "pass_through_context",
    "score_address",
    "trace_stored",
]
