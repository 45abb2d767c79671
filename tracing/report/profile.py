"""The behavioural profile of a reported address, as an HTML fragment (see :mod:`tracing.profiles.profile`)."""

from html import escape

from tracing.profiles.profile import model_text, typicality

__all__ = ["profile_html"]


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def profile_html(addr, profile: dict | None) -> str:
    """Who the address behaves like, why, its outlier flag, similar addresses and its unusual features.

    ``addr(chain, address)`` renders a linked address; ``profile`` None (no model was trained when
    the report was made) says so.
    """
    if not profile:
        return (
            "<h4>Behavioural profile</h4><p class='muted'>No profile model was trained when this report was made.</p>"
        )
    similar = ", ".join(f"{addr(s['chain'], s['address'])} ({escape(s['cluster'])})" for s in profile["similar"])
    outside = [
        f"{escape(f['feature'])} {_number(f['value'])} ({'above' if f['outside'] > 0 else 'below'} "
        f"{_number(f['low'])}-{_number(f['high'])})"
        for f in profile["features"]
        if f["outside"]
    ]
    return (
        "<h4>Behavioural profile</h4>"
        f"<p>Behaves like <b>{escape(profile['name'])}</b>: {escape(profile['meaning'])}; "
        f"{escape(typicality(profile))} ({escape(model_text(profile))}).</p>"
        f"<p>{escape(profile['outlier_reason'])}</p>"
        f"<p>Most similar stored addresses: {similar or 'none'}.</p>"
        f"<p>Features outside the cluster's 10th-90th percentile range: {'; '.join(outside) or 'none'}.</p>"
    )
