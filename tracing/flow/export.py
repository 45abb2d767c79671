"""Exports of a trace: GraphML and GEXF (Gephi, yEd), JSON, and a CSV of the traced transfers.

The format follows the file's extension (:data:`FORMATS`). GraphML and GEXF hold the
transfer multigraph of :func:`~tracing.flow.graph.trace_graph`: one edge per transfer,
exact amounts as decimal strings.
"""

import csv
import io
import json
import re
from pathlib import Path

import networkx as nx

from tracing.errors import BadParameters, ExportFailed
from tracing.flow.graph import trace_graph
from tracing.flow.result import Trace
from tracing.spreadsheet import safe_records

__all__ = ["CSV_COLUMNS", "FORMATS", "check_export_path", "export_trace", "trace_bytes", "trace_csv"]

_ENDS = ("entity", "category", "sanctioned")
CSV_COLUMNS = (
    *("tx_hash", "index", "timestamp", "from", "to", "asset", "amount", "traced", "hop"),
    *(f"{end}_{name}" for end in ("from", "to") for name in _ENDS),
)


def trace_csv(trace: Trace) -> str:
    """The traced transfers as CSV text (header :data:`CSV_COLUMNS`: each end's entity, category and whether it
    is sanctioned beside the transfer); no cell is a spreadsheet formula."""
    names = {r["address"]: (r["label"], r["category"], "yes" if r["sanctioned"] else "") for r in trace.address_rows()}
    rows = [
        {**row, **{f"{end}_{k}": v for end in ("from", "to") for k, v in zip(_ENDS, names.get(row[end], ("",) * 3))}}
        for row in trace.edge_rows()
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe_records(rows))
    return out.getvalue()


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # XML 1.0 cannot hold these at all


def _xml_safe(value):
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _xml_graph(trace: Trace) -> nx.MultiDiGraph:
    """The transfer multigraph with every text attribute writable as XML (control characters become U+FFFD).

    Each node carries ``entity``, ``category`` and ``sanctioned``; its ``label`` (what
    Gephi and yEd draw) is the entity, or the address when no label names it.
    """
    g = trace_graph(trace)
    for node, data in g.nodes(data=True):
        data["entity"] = data.get("label", "")
        data["label"] = data["entity"] or node
        data.update({k: _xml_safe(v) for k, v in data.items()})
    for *_, data in g.edges(keys=True, data=True) if g.is_multigraph() else g.edges(data=True):
        data.update({k: _xml_safe(v) for k, v in data.items()})
    g.graph.update({k: _xml_safe(v) for k, v in g.graph.items()})
    return nx.relabel_nodes(g, {n: _xml_safe(n) for n in g if _xml_safe(n) != n})


def _graphml(trace: Trace) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(_xml_graph(trace), out)
    return out.getvalue()


def _gexf(trace: Trace) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(_xml_graph(trace), out)
    return out.getvalue()


def _json(trace: Trace) -> bytes:
    return json.dumps(trace.to_dict(), indent=2).encode()


def _csv(trace: Trace) -> bytes:
    return trace_csv(trace).encode()


FORMATS = {".graphml": _graphml, ".gexf": _gexf, ".json": _json, ".csv": _csv}
"""Encoders by file extension."""


def trace_bytes(trace: Trace, suffix: str) -> bytes:
    """The trace encoded as the file type ``suffix`` ('.gexf', ...) names.

    Raises
    ------
    BadParameters
        The extension is not one of :data:`FORMATS`.
    ExportFailed
        The encoder could not write this trace (the message says why).
    """
    encoder = FORMATS.get(str(suffix).lower())
    if encoder is None:
        raise BadParameters("export", f"unknown file type {suffix!r}; use one of {', '.join(FORMATS)}")
    try:
        return encoder(trace)
    except (ValueError, TypeError, KeyError, nx.NetworkXError) as err:
        raise ExportFailed(f"could not write the trace as {suffix}: {err}") from err


def check_export_path(path: str | Path) -> Path:
    """``path`` when a trace can be written there: a known extension in an existing folder.

    Raises
    ------
    BadParameters
        The extension is unknown or the folder does not exist.
    """
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise BadParameters("export", f"unknown file type of {str(path)!r}; use one of {', '.join(FORMATS)}")
    folder = path.parent
    if not folder.is_dir():
        raise BadParameters("export", f"the folder {str(folder)!r} does not exist; create it or choose another")
    return path


def export_trace(trace: Trace, path: str | Path) -> Path:
    """Write ``trace`` to ``path`` in the format its extension names; return the path.

    Raises
    ------
    BadParameters
        See :func:`check_export_path`.
    ExportFailed
        The trace could not be encoded or the file could not be written.
    """
    path = check_export_path(path)
    data = trace_bytes(trace, path.suffix)
    try:
        path.write_bytes(data)
    except OSError as err:
        raise ExportFailed(f"could not write {path}: {err.strerror or err}") from err
    return path
