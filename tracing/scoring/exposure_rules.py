"""Risk rules over exposure (:mod:`tracing.flow.exposure`), registered in the rule registry of :mod:`.risk`.

* ``sanctioned_exposure``: the largest share of one asset's inflow or outflow that
  came from or reached listed addresses within a few hops (haircut): at least
  50 % -> **high**, 25 % -> medium, 5 % -> low (a lead).
* ``high_risk_exposure``: the same for mixers, scams and hacks, same thresholds.

Direct dealings are part of the indirect (multi-hop) shares, so the rules read
those; without gathered flow they read the direct shares. The thresholds are
high on purpose: a direct transfer with a listed address already rates high
(``sanctioned_counterparty``), and a few hops out, busy addresses (exchanges)
touch a little of everything; these rules catch money that mostly flows to or
from bad actors through intermediaries.
"""

from tracing.flow.exposure import max_share
from tracing.scoring.risk import HIGH_RISK_CATEGORIES, FiredRule, RiskInputs, risk_rule

__all__ = ["THRESHOLDS"]

THRESHOLDS = (("high", 0.50), ("medium", 0.25), ("low", 0.05))
"""Share of one asset's inflow or outflow -> rating, most severe first."""


def _fired(inputs: RiskInputs, rule: str, categories: tuple[str, ...], what: str) -> FiredRule | None:
    doc = inputs.exposure
    if not doc:
        return None
    kind = "indirect" if any(doc.get("indirect", {}).values()) else "direct"
    share, where = max_share(doc, categories, kind=kind)
    rating = next((name for name, floor in THRESHOLDS if share >= floor), None)
    if where is None or rating is None:
        return None
    hops = f"within {doc['hops']} hops (haircut)" if kind == "indirect" else "directly"
    verb = "came from" if where["direction"] == "incoming" else "reached"
    return FiredRule(
        rule,
        rating,
        {"share": round(share, 6), "kind": kind, **where, "thresholds": dict(THRESHOLDS)},
        f"{share:.1%} of its {where['direction']} {where['asset']} {verb} {what} {hops}.",
    )


@risk_rule("sanctioned_exposure")
def _sanctioned_exposure(inputs: RiskInputs) -> FiredRule | None:
    return _fired(inputs, "sanctioned_exposure", ("sanctioned",), "listed addresses")


@risk_rule("high_risk_exposure")
def _high_risk_exposure(inputs: RiskInputs) -> FiredRule | None:
    return _fired(inputs, "high_risk_exposure", HIGH_RISK_CATEGORIES, "mixers, scams or hacks")
