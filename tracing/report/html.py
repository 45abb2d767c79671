"""The HTML report: one self-contained file (plotly.js, data and styles inside; no external request).

The same sections also make the PDF's source (:func:`print_html`), with the charts drawn
as SVG instead of interactive plotly charts.
"""

import base64
import json
from html import escape

from plotly.offline import get_plotlyjs

from tracing.report.evidence import Evidence
from tracing.report.flowgraph import flow_svg
from tracing.report.seal import seal
from tracing.report.sections import SECTIONS, Context, cover
from tracing.report.svg import figure_svg

__all__ = ["STYLE", "print_html", "render_html"]

# No request leaves the page: scripts, styles and images are inline or data: URLs.
_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
body { font-family: 'DejaVu Sans', system-ui, sans-serif; font-size: 10.5pt; color: #222; margin: 2em auto;
       max-width: 60em; padding: 0 1em; }
h1 { font-size: 20pt; margin: .2em 0 .6em; } h2 { font-size: 15pt; border-bottom: 2px solid #1565c0;
padding-bottom: 3px; margin-top: 1.6em; } h3 { font-size: 12pt; } h4 { font-size: 10.5pt; margin-bottom: .3em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; font-size: 9pt; }
th, td { border: 1px solid #d5dbe3; padding: 3px 5px; text-align: left; vertical-align: top; }
thead th { background: #eef3f8; } table.meta th { width: 11em; background: #f5f7fa; }
td, code { overflow-wrap: anywhere; } code { font-size: 8.5pt; }
.addr { font-family: 'DejaVu Sans Mono', monospace; font-size: 8.5pt; overflow-wrap: anywhere; }
.risk { color: white; padding: 1px 7px; border-radius: 3px; font-weight: bold; font-size: 9pt; }
.kicker { color: #1565c0; text-transform: uppercase; letter-spacing: .1em; margin: 0; }
.muted { color: #777; } .error, .sanctioned { color: #b71c1c; } .note { border-left: 3px solid #90a4ae; padding: 0 .8em;
margin: .6em 0; } .note-head { color: #555; font-size: 9pt; margin-bottom: 0; }
ul.evidence { margin: 0; padding-left: 1.1em; } figure { margin: .5em 0; } .chart { width: 100%; }
figure img, figure svg { max-width: 100%; height: auto; } figcaption { color: #555; font-size: 9pt; }
nav.toc ol { padding-left: 1.2em; } nav.toc a { text-decoration: none; color: #1565c0; }
"""

_SCREEN_STYLE = "figure.flow { overflow-x: auto; } figure.flow svg { max-width: none; }"

_PRINT_STYLE = """
@page { size: A4; margin: 16mm 13mm 18mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #555; }
  @top-right { content: "Report REPORT_ID"; font-size: 7.5pt; color: #777; } }
body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
table { table-layout: fixed; } table.meta col:first-child { width: 11em; }
.cover { page-break-after: always; }
h2 { page-break-before: always; } h2#summary { page-break-before: avoid; }
table, figure, .note { page-break-inside: avoid; }
figure.flow img { max-width: 100%; }
nav.toc a::after { content: leader('.') target-counter(attr(href), page); }
nav.toc { page-break-after: always; }
"""


def _json_script(element_id: str, value) -> str:
    """A JSON value in a script element; ``<`` written as ``\\u003c`` so no text can close the element."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def _toc() -> str:
    items = "".join(f"<li><a href='#{key}'>{escape(title)}</a></li>" for key, (title, _) in SECTIONS.items())
    return f"<nav class='toc'><h2 id='contents'>Contents</h2><ol>{items}</ol></nav>"


def _document(ctx: Context, style: str, scripts: str = "") -> str:
    title = ctx.doc["case"]["title"] if ctx.doc["case"] else ctx.doc["addresses"][0]["address"]
    body = cover(ctx) + _toc() + "".join(render(ctx) for _, render in SECTIONS.values())
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">"
        f"<meta name='report-id' content='{escape(ctx.doc['report']['report_id'])}'>"
        f"<title>Report: {escape(title)}</title><style>{style}</style></head><body>"
        f"{body}{_json_script('evidence', ctx.doc)}{scripts}</body></html>"
    )


def render_html(evidence: Evidence, *, base_url: str = "") -> bytes:
    """The interactive report as a sealed, self-contained HTML file (about 5 MB: plotly.js is inside)."""
    figures: dict[str, object] = {}

    def chart(address: str) -> str:
        out = []
        for fig in evidence.charts.get(address, []):
            key = f"chart-{len(figures)}"
            figures[key] = json.loads(fig.to_json())
            out.append(f"<figure><div class='chart' id='{key}'></div></figure>")
        return "".join(out)

    def flow(trace: dict) -> str:
        return flow_svg(trace)

    ctx = Context(evidence.doc, evidence.sha256, chart, flow, base_url)
    document = _document(ctx, STYLE + _SCREEN_STYLE, "")
    draw = (
        "<script>" + get_plotlyjs() + "</script><script>(function(){"
        "var figs=JSON.parse(document.getElementById('figures').textContent);"
        "Object.keys(figs).forEach(function(id){Plotly.newPlot(id,figs[id].data,figs[id].layout,"
        "{displaylogo:false,responsive:true});});})();</script>"
    )
    document = document.replace("</body></html>", _json_script("figures", figures) + draw + "</body></html>")
    return seal(document.encode("utf-8"), evidence.sha256, "html")


def _svg_image(svg: str) -> str:
    return f"<img alt='chart' src='data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}'>"


def print_html(evidence: Evidence, *, base_url: str = "") -> str:
    """The report's HTML for printing to PDF: charts and the flow graph as vector SVG pictures."""

    def chart(address: str) -> str:
        return "".join(f"<figure>{_svg_image(figure_svg(fig))}</figure>" for fig in evidence.charts.get(address, []))

    def flow(trace: dict) -> str:
        return _svg_image(flow_svg(trace))

    ctx = Context(evidence.doc, evidence.sha256, chart, flow, base_url)
    report_id = "".join(c for c in evidence.doc["report"]["report_id"] if c.isalnum())
    return _document(ctx, STYLE + _PRINT_STYLE.replace("REPORT_ID", report_id))
