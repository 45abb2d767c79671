"""Security headers on every answer: no framing, no MIME sniffing, no referrer to other sites, and a
Content-Security-Policy that Dash works under.

The policy allows scripts from this site only, plus Dash's own inline scripts by their
SHA-256 (:meth:`dash.Dash.csp_hashes`), never arbitrary inline script. Styles may be
inline (Dash and Plotly set ``style`` attributes); images may be ``data:``/``blob:``
(Plotly's image export, Cytoscape). No ``'unsafe-eval'``: no chart here uses Plotly's
WebGL traces, which would need it (``tests/dashboard/e2e/test_headers_browser.py``
watches Chromium for violations).
"""

import dash
import flask

__all__ = ["content_security_policy", "init_headers"]

_FIXED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def content_security_policy(app: dash.Dash) -> str:
    """The policy for ``app``, with the hashes of its inline scripts as they are now."""
    scripts = " ".join(["'self'", *app.csp_hashes()])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def init_headers(app: dash.Dash) -> None:
    """Add the headers to every answer of ``app``'s server (an answer's own headers win)."""

    def add_headers(response: flask.Response) -> flask.Response:
        for name, value in _FIXED.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", content_security_policy(app))
        return response

    app.server.after_request(add_headers)
