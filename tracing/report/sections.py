"""The report's sections as HTML fragments, shared by the HTML file and the PDF.

Every piece of user or data text goes through :func:`html.escape`; notes through the
safe Markdown renderer. Charts are handed in already drawn (interactive or SVG).
"""

import json
from collections.abc import Callable
from html import escape
from urllib.parse import quote

from tracing import figures
from tracing.cases import render_markdown
from tracing.cli.render import _evidence_lines as evidence_lines
from tracing.report.profile import profile_html

__all__ = ["SECTIONS", "Context", "when"]

RISK_COLOURS = {"low": "#2e7d32", "medium": "#f9a825", "high": "#ef6c00", "severe": "#b71c1c"}


def when(ts: int | None) -> str:
    """A Unix time as ``YYYY-MM-DD HH:MM UTC`` (empty for None): the shared formatter's, with its zone."""
    return "" if ts is None or ts < 0 else f"{figures.when(ts)} UTC"


class Context:
    """What every section needs: the evidence document, its hash, chart drawers and the app's address."""

    def __init__(self, doc: dict, sha256: str, chart: Callable[[str], str], flow: Callable[[dict], str], base=""):
        self.doc, self.sha256, self.chart, self.flow = doc, sha256, chart, flow
        self.base = base.rstrip("/")

    def addr(self, chain: str, address: str, text: str | None = None) -> str:
        """An address, linked to its page in the app when the report knows the app's URL."""
        shown = escape(text or address)
        if not self.base or not address:
            return f"<span class='addr'>{shown}</span>"
        return f"<a class='addr' href='{escape(self.base)}/address/{quote(chain)}/{quote(address)}'>{shown}</a>"


def _table(head: list[str], rows: list[list[str]], cls: str = "", widths: tuple[int, ...] = ()) -> str:
    """A table; ``widths`` (percent per column) lets the PDF lay it out without measuring every cell."""
    if not rows:
        return "<p class='muted'>None.</p>"
    cols = "".join(f"<col style='width:{w}%'>" for w in widths)
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table class='{cls}'><colgroup>{cols}</colgroup><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _amount(value, symbol: str) -> str:
    """An amount with separators, its asset's precision and symbol (the pages' formatter)."""
    return escape(figures.amount(symbol, value)).replace(" ", "&nbsp;")


def _badge(rating: str) -> str:
    colour = RISK_COLOURS.get(rating, "#546e7a")
    return f"<span class='risk' style='background:{colour}'>{escape(rating.upper())}</span>"


def cover(ctx: Context) -> str:
    meta, case = ctx.doc["report"], ctx.doc["case"]
    title = case["title"] if case else f"Address report: {ctx.doc['addresses'][0]['address']}"
    rows = [
        ["Case", escape(f"#{case['id']} · {case['status']}") if case else "no case (address report)"],
        ["Owner", escape(case["owner"]) if case else ""],
        ["Tags", escape(", ".join(case["tags"])) if case else ""],
        ["Investigator", escape(meta["investigator"])],
        ["Generated", escape(when(meta["generated_at"]))],
        ["Report id", f"<code>{escape(meta['report_id'])}</code>"],
        ["Evidence SHA-256", f"<code class='hash' id='evidence-hash'>{ctx.sha256}</code>"],
    ]
    description = f"<div class='description'>{render_markdown(case['description'])}</div>" if case else ""
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows if v)
    return (
        f"<section class='cover'><p class='kicker'>Investigation report</p><h1>{escape(title)}</h1>"
        f"{description}<table class='meta'>{body}</table></section>"
    )


def summary(ctx: Context) -> str:
    parts = []
    for a in ctx.doc["addresses"]:
        if "error" in a:
            parts.append(f"<p>{ctx.addr(a['chain'], a['address'])}: {escape(a['error'])}</p>")
            continue
        risk = a["risk"] or {"rating": "unknown", "rules": []}
        rules = "".join(
            f"<li>{_badge(r['rating'])} <b>{escape(r['rule'])}</b>: {escape(r['explanation'])}</li>"
            for r in risk["rules"]
        )
        parts.append(
            f"<div class='finding'><h3>{ctx.addr(a['chain'], a['address'])} {_badge(risk['rating'])}</h3>"
            f"<p>Risk rating <b class='rating'>{escape(risk['rating'])}</b>; anomaly (danger) score "
            f"<b class='score'>{a['score']['final_score']:.1f}</b> / 100 over {a['score']['transfers_analysed']} "
            f"transfers.</p><ul>{rules or '<li>No severity rule fired.</li>'}</ul></div>"
        )
    for t in ctx.doc["traces"]:
        if "error" in t:
            parts.append(f"<p>Trace from {ctx.addr(t['chain'], t['address'])}: {escape(t['error'])}</p>")
            continue
        symbol = t["asset"]["symbol"]
        parts.append(
            f"<p>Trace ({escape(t['parameters']['direction'])}, {escape(t['parameters']['model'])}) from "
            f"{ctx.addr(t['chain'], t['source'])}: seed {_amount(t['seed'], symbol)}; "
            f"<b>{_amount(t['total_to_exits'], symbol)}</b> reached {len(t['exits'])} exit(s); "
            f"{len(t['sanctioned'])} sanctioned destination(s).</p>"
        )
    return "<h2 id='summary'>Summary of findings</h2>" + "".join(parts)


def _tests(ctx: Context, a: dict) -> str:
    score = a["score"]
    rows = []
    for name, test in score["tests"].items():
        items = "".join(f"<li>{escape(line)}</li>" for line in evidence_lines(name, test["evidence"], limit=10))
        weight = score["parameters"].get(f"{name}_coefficient", "")
        rows.append(
            [
                f"<b>{escape(name)}</b>",
                f"{test['score']:.1f}",
                escape(str(weight)),
                escape(test["explanation"]),
                f"<ul class='evidence'>{items}</ul>" if items else "",
            ]
        )
    return _table(["test", "score", "weight", "explanation", "evidence"], rows, "tests", (11, 7, 7, 25, 50))


def _each(items: list[dict], heading: Callable[[dict], str], body: Callable[[dict], str]) -> str:
    """Each item under its heading: its body, or why it could not be built."""
    return "".join(
        heading(x) + (f"<p class='error'>{escape(x['error'])}</p>" if "error" in x else body(x)) for x in items
    )


def addresses(ctx: Context) -> str:
    def heading(a: dict) -> str:
        return f"<h3>{ctx.addr(a['chain'], a['address'])} ({escape(a['chain'])})</h3>"

    return "<h2 id='addresses'>Addresses: tests and evidence</h2>" + _each(
        ctx.doc["addresses"], heading, lambda a: _address(ctx, a)
    )


def _address(ctx: Context, a: dict) -> str:
    out = [_tests(ctx, a), profile_html(ctx.addr, a.get("profile"))]
    out.append(ctx.chart(a["address"]))
    labels = [
        [
            escape(lb["name"]),
            escape(lb["category"]),
            escape(" ".join(x for x in (lb["source"], lb.get("list_version", "")) if x)),
            escape(" ".join(x for x in (lb.get("reference", ""), lb.get("programs", ""), lb["detail"]) if x)),
        ]
        for lb in a["labels"]
    ]
    out.append(
        "<h4>Labels of the address</h4>"
        + _table(["name", "category", "list and version", "reference, programs, detail"], labels, "", (25, 15, 25, 35))
    )
    parties = [
        [
            ctx.addr(a["chain"], c["address"]),
            escape(c["label"]),
            _amount(c["received_from"], c["asset"]),
            _amount(c["sent_to"], c["asset"]),
            str(c["transfers"]),
        ]
        for c in a["counterparties"]
    ]
    out.append(
        "<h4>Exposure: largest counterparties and their labels</h4>"
        + _table(["counterparty", "labels", "received from", "sent to", "transfers"], parties, "", (32, 24, 17, 17, 10))
    )
    return "".join(out)


def traces(ctx: Context) -> str:
    def heading(t: dict) -> str:
        return f"<h3>Trace from {ctx.addr(t['chain'], t['address'])}</h3>"

    return "<h2 id='traces'>Flow of funds</h2>" + _each(ctx.doc["traces"], heading, lambda t: _trace(ctx, t))


def _trace(ctx: Context, t: dict) -> str:
    out = []
    symbol = t["asset"]["symbol"]
    out.append(f"<figure class='flow'>{ctx.flow(t)}<figcaption>Flow graph, by hop</figcaption></figure>")
    exits = [
        [
            ctx.addr(t["chain"], e["address"]),
            escape(e["label"]),
            escape(e["category"])
            + ("<br><b class='sanctioned'>SANCTIONED</b>" if e.get("group") == "sanctioned" else ""),
            _amount(e["amount"], symbol),
            str(e["hop"]),
            escape(when(e["first"])),
            "<br>".join(f"<code>{escape(tx)}</code>" for tx in e["transactions"][:5]),
        ]
        for e in t["exits"]
    ]
    out.append("<h4>Exits (where a freeze request goes)</h4>")
    out.append(
        _table(
            ["address", "label", "category", "amount", "hop", "first", "transactions"],
            exits,
            "",
            (20, 13, 10, 13, 5, 11, 28),
        )
    )
    sanctioned = [
        [ctx.addr(t["chain"], s["address"]), escape(s["label"]), _amount(s["received"], symbol), str(s["hop"])]
        for s in t["sanctioned"]
    ]
    out.append(
        "<h4>Sanctioned destinations</h4>"
        + _table(["address", "label", "received", "hop"], sanctioned, "", (40, 30, 20, 10))
    )
    return "".join(out)


def _named(ctx: Context, chain: str, address: str, labels: list[dict]) -> str:
    """An address with who it is below it; a sanctions entry in bold red."""
    names = sorted({(lb["category"] == "sanctioned", lb["name"], lb["category"]) for lb in labels}, reverse=True)
    lines = [
        f"<br><b class='sanctioned'>SANCTIONED: {escape(name)}</b>" if listed else f"<br>{escape(name)} ({escape(cat)})"
        for listed, name, cat in names
    ]
    return ctx.addr(chain, address) + "".join(lines)


def transfers(ctx: Context) -> str:
    rows = [
        [
            f"<code>{escape(t.get('tx_hash', t['ref']))}</code>",
            escape(when(t.get("timestamp"))),
            _named(ctx, t["chain"], t.get("from", ""), t.get("from_labels", [])),
            _named(ctx, t["chain"], t.get("to", ""), t.get("to_labels", [])),
            _amount(t["amount"], t["asset"]) if "amount" in t else escape(t.get("error", "")),
        ]
        for t in ctx.doc["transfers"]
    ]
    return "<h2 id='transfers'>Transfers of note</h2>" + _table(
        ["transaction", "time", "from", "to", "amount"], rows, "", (28, 14, 21, 21, 16)
    )


def notes(ctx: Context) -> str:
    out = ["<h2 id='notes'>Notes</h2>"]
    for note in ctx.doc["notes"]:
        on = f" on {ctx.addr(note['chain'], note['address'])}" if note["address"] else ""
        out.append(
            f"<div class='note'><p class='note-head'>{escape(note['author'])} · {escape(when(note['at']))}{on}</p>"
            f"{render_markdown(note['body'])}</div>"
        )
    return "".join(out) if ctx.doc["notes"] else out[0] + "<p class='muted'>No notes.</p>"


def parameters(ctx: Context) -> str:
    rows = [
        [
            escape(kind),
            ctx.addr(x["chain"], x["address"]),
            f"<code>{escape(json.dumps(x['params'], sort_keys=True))}</code>",
        ]
        for kind, group in (("score", ctx.doc["addresses"]), ("trace", ctx.doc["traces"]))
        for x in group
    ]
    return "<h2 id='parameters'>Parameters used</h2>" + _table(
        ["what", "address", "parameters"], rows, "params", (8, 30, 62)
    )


def provenance(ctx: Context) -> str:
    sources = [
        [
            ctx.addr(a["chain"], a["address"]),
            escape(", ".join(a.get("sources", []))),
            str(a["transfers"]["count"]),
            f"<code>{a['transfers']['sha256']}</code>",
        ]
        for a in ctx.doc["addresses"]
        if "transfers" in a
    ]
    lists = [
        [
            escape(s["source"]),
            escape(s["list_version"]),
            escape(s["category"]),
            str(s["labels"]),
            escape(when(s["added_at"] or None)),
        ]
        for s in ctx.doc["provenance"]["label_sources"]
    ]
    pulls = [
        [
            ctx.addr(f["chain"], f["address"]),
            escape(f["source"]),
            escape(when(f["fetched_at"])),
            "complete" if f["complete"] else "cut by a limit",
        ]
        for f in ctx.doc["provenance"].get("fetches", [])
    ]
    return (
        "<h2 id='provenance'>Data provenance</h2><h4>Transfers</h4>"
        + _table(["address", "sources", "transfers", "SHA-256 of the transfers"], sources, "", (32, 20, 10, 38))
        + "<h4>Fetches from chain APIs</h4>"
        + _table(["address", "API", "fetched", "history"], pulls, "", (40, 20, 25, 15))
        + "<h4>Label and sanctions lists</h4>"
        + _table(["list", "version", "category", "labels", "newest addition"], lists, "", (36, 16, 16, 10, 22))
    )


def audit(ctx: Context) -> str:
    rows = [
        [
            escape(when(e["at"])),
            escape(e["actor"]),
            escape(e["action"]),
            escape(json.dumps(e["detail"], sort_keys=True)),
        ]
        for e in ctx.doc["audit"]
    ]
    return "<h2 id='audit'>Audit trail</h2>" + _table(
        ["when", "who", "action", "detail"], rows, "audit", (17, 12, 16, 55)
    )


def integrity(ctx: Context) -> str:
    return (
        "<h2 id='integrity'>Integrity</h2><p>The SHA-256 of the evidence data (the canonical JSON embedded in this "
        f"file) is <code class='hash'>{ctx.sha256}</code>. The file ends with a seal holding the SHA-256 of "
        "everything before it. <code>python -m tracing report verify FILE</code> recomputes both and fails when "
        "any part of the content or of the embedded evidence changed.</p>"
    )


SECTIONS = {
    "summary": ("Summary of findings", summary),
    "addresses": ("Addresses: tests and evidence", addresses),
    "traces": ("Flow of funds", traces),
    "transfers": ("Transfers of note", transfers),
    "notes": ("Notes", notes),
    "parameters": ("Parameters used", parameters),
    "provenance": ("Data provenance", provenance),
    "audit": ("Audit trail", audit),
    "integrity": ("Integrity", integrity),
}
"""Section id -> (title, renderer), in report order (the table of contents reads it)."""
