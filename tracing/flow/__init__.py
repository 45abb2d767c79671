"""Fund-flow tracing: time-respecting multi-hop traces, taint models, exits, paths and exports.

Where did the stolen money go, how much of it, and where can it still be frozen.
:func:`trace` follows funds through a :class:`~tracing.model.TransferTable`. The package
never reads the store: :func:`tracing.investigate.trace_stored` gathers what the store
holds around the source, then traces it here.
"""

from tracing.flow.export import FORMATS, export_trace, trace_bytes, trace_csv
from tracing.flow.graph import display_graph, more_node, trace_graph, transfer_graph
from tracing.flow.index import FlowIndex
from tracing.flow.params import DIRECTIONS, MODELS, TraceParameters
from tracing.flow.paths import FlowPath, flow_paths
from tracing.flow.result import Exit, Trace
from tracing.flow.tracer import trace, trace_index

__all__ = [
    "DIRECTIONS",
    "FORMATS",
    "MODELS",
    "Exit",
    "FlowIndex",
    "FlowPath",
    "Trace",
    "TraceParameters",
    "display_graph",
    "export_trace",
    "flow_paths",
    "more_node",
    "trace",
    "trace_bytes",
    "trace_csv",
    "trace_graph",
    "trace_index",
    "transfer_graph",
]
