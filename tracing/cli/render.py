"""Readable text versions of the engine's JSON documents, for the terminal."""

from tracing.figures import amount, when
from tracing.scoring import SCORE_BANDS, contributions, score_band

__all__ = ["render_report"]


def render_report(report: dict) -> str:
    """A readable text version of a score document (what ``score`` prints without --json)."""
    risk = report["risk"]
    coefficients = {name: report["parameters"][f"{name}_coefficient"] for name in report["tests"]}
    added = contributions({name: t["score"] for name, t in report["tests"].items()}, coefficients)
    lines = [
        f"{report['address']} ({report['chain']})",
        f"Risk: {risk['rating'].upper()}  -  {report['transfers_analysed']:,} transfer(s) analysed "
        f"from {report['data_source']}",
        *(f"  [{r['rating']}] {r['rule']}: {r['explanation']}" for r in risk["rules"]),
        *([] if risk["rules"] else ["  no severity rule fired"]),
        "",
        f"Anomaly score: {report['final_score']:.1f} / 100 ({score_band(report['final_score'])}; bands "
        + ", ".join(f"{name} >= {floor:g}" for floor, name in SCORE_BANDS[:-1])
        + ")",
        "  the weighted mean of the four tests: sum(score x weight) / sum(weights); it measures how unusual the "
        "transfers are, not how dangerous the address is",
        "",
    ]
    for name, test in report["tests"].items():
        lines.append(f"[{name}] {test['score']:.1f}  (weight {coefficients[name]}, adds {added[name]:.1f})")
        lines.append(f"    {test['explanation']}")
        lines += [f"    - {item}" for item in _evidence_lines(name, test["evidence"])]
    return "\n".join(lines)


def _evidence_lines(name: str, evidence: dict, limit: int = 5) -> list[str]:
    if name == "hiding":
        return [
            f"{amount(c['asset'], c['amount_sent'])} from {c['origin']} via {' -> '.join(c['intermediaries'])} "
            f"to {c['destination']} ({when(c['start'])})"
            for c in evidence.get("chains", [])[:limit]
        ]
    if name == "relation":
        return [
            f"{e['address']}: {', '.join(lb['name'] for lb in e['listings'])} ({e['transfers']} transfer(s))"
            for e in evidence.get("direct", [])[:limit]
        ] + [f"via {e['via']}: dealt with {', '.join(e['listed'])}" for e in evidence.get("indirect", [])[:limit]]
    if name == "transfers":
        return [
            f"{b['transfers']} {b['direction']} transfers {when(b['start'])} to {when(b['end'])}"
            for b in evidence.get("bursts", [])[:limit]
        ]
    rows = evidence.get("transfers", [])[:limit]
    return [f"{when(t['timestamp'])} {amount(t['asset'], t['amount'])} {t['from']} -> {t['to']}" for t in rows]
