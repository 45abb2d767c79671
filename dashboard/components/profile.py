"""The address page's profile card: who does this address behave like, and the evidence.

It shows the cluster's name and the rule behind it, how typical the address is of
the cluster (distance percentile), the outlier flag in words, the five most
similar stored addresses (links) and every feature against the cluster's range.
Built from the dict of :func:`tracing.profiles.profile.describe`.
"""

import dash_bootstrap_components as dbc
from dash import dcc, html, no_update

from dashboard import ids
from dashboard.components.links import address_link
from dashboard.services import services
from tracing.params import Parameters
from tracing.profiles.profile import model_text, typicality

__all__ = ["address_profile", "address_profile_when_trained", "profile_card", "profile_unavailable"]

CARD_ID = "address-profile-card"
UNTRAINED = (
    "no model is trained for this database yet (or it was saved by another version). Train one on every "
    "stored address with 'python -m tracing profiles train'; the card then shows who this address behaves like."
)
TRAINING = (
    "training… the model is being fitted on every stored address (a few seconds on the demo world); "
    "this card fills in by itself when it is saved."
)
RETRAIN = "; addresses stored since are profiled, and join the similar ones after 'tracing profiles train'."
WAIT_MS = 2000
OUTSIDE = {-1: ("below", "text-primary fw-semibold"), 1: ("above", "text-danger fw-semibold"), 0: ("", "")}


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _header(profile: dict) -> dbc.CardHeader:
    badge = (
        dbc.Badge("outlier", color="danger", className="ms-2", id="address-profile-outlier")
        if profile["outlier"]
        else None
    )
    return dbc.CardHeader(
        [
            html.Span("Behaves like", className="text-uppercase small fw-semibold me-2"),
            html.Span(profile["name"], className="fs-5 fw-bold", id="address-profile-name"),
            badge,
            html.Span(typicality(profile), className="small ms-auto text-muted"),
        ],
        className="d-flex align-items-center flex-wrap",
    )


def _why(profile: dict) -> html.Div:
    evidence = ", ".join(
        f"{e['feature']} {_number(e['cluster_median'])} (all addresses: {_number(e['population_median'])})"
        for e in profile["evidence"]
    )
    return html.Div(
        [
            html.Div(f"Why this name: {profile['meaning']}.", className="small"),
            html.Div(f"Cluster medians: {evidence}." if evidence else "", className="small text-muted"),
            dbc.Alert(
                profile["outlier_reason"],
                color="danger" if profile["outlier"] else "light",
                className="small py-2 my-2",
                id="address-profile-outlier-reason",
            ),
        ]
    )


def _similar(profile: dict) -> html.Div:
    items = [
        html.Li(
            [address_link(s["chain"], s["address"], short=True), f" · {s['cluster']} · distance {s['distance']:.2f}"]
        )
        for s in profile["similar"]
    ]
    return html.Div(
        [
            html.Div("Most similar stored addresses", className="small fw-semibold"),
            html.Ul(items, className="small ps-3 mb-0", id="address-profile-similar"),
        ]
    )


def _features(profile: dict) -> dbc.Table:
    head = html.Thead(
        html.Tr([html.Th("Feature"), html.Th("This address", className="text-end"), html.Th("Cluster 10th-90th pct")])
    )
    rows = []
    for f in profile["features"]:
        word, style = OUTSIDE[f["outside"]]
        rows.append(
            html.Tr(
                [
                    html.Td(f["feature"].replace("_", " "), title=f["description"]),
                    html.Td(_number(f["value"]), className=f"text-end {style}"),
                    html.Td(f"{_number(f['low'])} - {_number(f['high'])} {word}".strip(), className=style),
                ]
            )
        )
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="small mb-0", id="address-profile-features")


def profile_card(profile: dict) -> dbc.Card:
    """The profile card of one address (see the module docstring)."""
    body = dbc.Row(
        [
            dbc.Col([_why(profile), _similar(profile)], lg=5),
            dbc.Col(
                html.Details(
                    [
                        html.Summary("Features against the cluster's range", className="small text-primary"),
                        _features(profile),
                    ],
                    open=True,
                ),
                lg=7,
            ),
        ]
    )
    return dbc.Card(
        [
            _header(profile),
            dbc.CardBody(body),
            dbc.CardFooter(model_text(profile) + RETRAIN, className="small text-muted"),
        ],
        className="shadow-sm mb-3",
        id=CARD_ID,
    )


def profile_unavailable(message: str, *extra) -> dbc.Card:
    """The card when no profile can be shown (no model trained yet, or it is outdated), saying what to do."""
    return dbc.Card(
        dbc.CardBody([html.Span("Behavioural profile: ", className="fw-semibold"), message, *extra], className="small"),
        className="shadow-sm mb-3 text-muted",
        id=CARD_ID,
    )


def address_profile(request: dict | None) -> dbc.Card | None:
    """The card for the address page's request (its investigation is cached, so nothing is scored twice).

    While the first model trains, the card says so and polls
    (:data:`dashboard.ids.ADDRESS_PROFILE_WAIT`) until it can show the profile.
    """
    if not request:
        return None
    found = services().investigate(request["chain"], request["address"], Parameters(**request["params"]))
    profile = services().profile(found)
    if profile:
        return profile_card(profile)
    if services().profile_training():
        return profile_unavailable(TRAINING, dcc.Interval(id=ids.ADDRESS_PROFILE_WAIT, interval=WAIT_MS))
    return profile_unavailable(UNTRAINED)


def address_profile_when_trained(request: dict | None):
    """The card once the model being trained is saved; ``no_update`` while it still trains."""
    return no_update if services().profile_training() else address_profile(request)
