"""Notes are Markdown, rendered safely: raw HTML is shown as text, only http(s) and mailto links, no images.

>>> render_markdown("**Sent** to <script>alert(1)</script> [x](javascript:alert(1))")
'<p><strong>Sent</strong> to &lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))</p>\\n'
"""

from markdown_it import MarkdownIt

__all__ = ["render_markdown"]

_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(_SAFE_SCHEMES) or url.startswith("#")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    md.disable("image")  # an image would fetch from elsewhere: reports must open offline
    md.validateLink = _validate_link
    return md


_MD = _parser()


def render_markdown(text: str) -> str:
    """HTML of a note: raw HTML escaped, links only to http(s) or mailto (opened in a new tab without referrer)."""
    html = _MD.render(text or "")
    return html.replace("<a href=", '<a rel="noopener noreferrer nofollow" target="_blank" href=')
