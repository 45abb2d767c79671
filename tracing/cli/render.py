"""Readable text versions of the engine's JSON documents, for the terminal."""

from datetime import UTC, datetime

from tracing.summaries import findings

__all__ = ["render_report"]


def render_report(report: dict) -> str:
    """A readable text version of a score document (what ``score`` prints without --json)."""
    lines = [
        f"{report['address']} ({report['chain']})",
        f"Danger score: {report['final_score']:.1f} / 100  -  {report['transfers_analysed']} transfers analysed "
        f"from {report['data_source']}",
        "",
    ]
    notes = findings(report)
    if notes:
        lines += ["Findings:", *(f"  * {note}" for note in notes), ""]
    coefficients = {name: report["parameters"][f"{name}_coefficient"] for name in report["tests"]}
    for name, test in report["tests"].items():
        lines.append(f"[{name}] {test['score']:.1f}  (weight {coefficients[name]})")
        lines.append(f"    {test['explanation']}")
        lines += [f"    - {item}" for item in _evidence_lines(name, test["evidence"])]
    return "\n".join(lines)


def _when(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M")


def _evidence_lines(name: str, evidence: dict, limit: int = 5) -> list[str]:
    if name == "hiding":
        return [
            f"{c['amount_sent']} {c['asset']} from {c['origin']} via {' -> '.join(c['intermediaries'])} "
            f"to {c['destination']} ({_when(c['start'])})"
            for c in evidence.get("chains", [])[:limit]
        ]
    if name == "relation":
        return [
            f"{e['address']}: {', '.join(lb['name'] for lb in e['listings'])} ({e['transfers']} transfer(s))"
            for e in evidence.get("direct", [])[:limit]
        ] + [f"via {e['via']}: dealt with {', '.join(e['listed'])}" for e in evidence.get("indirect", [])[:limit]]
    if name == "transfers":
        return [
            f"{b['transfers']} {b['direction']} transfers {_when(b['start'])} to {_when(b['end'])}"
            for b in evidence.get("bursts", [])[:limit]
        ]
    rows = evidence.get("transfers", [])[:limit]
    return [f"{_when(t['timestamp'])} {t['amount']} {t['asset']} {t['from']} -> {t['to']}" for t in rows]
