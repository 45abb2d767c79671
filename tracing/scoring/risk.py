"""The risk rating: documented severity rules over the findings, so an average can never hide one.

The danger score (:func:`tracing.scoring.danger_score`) is a weighted share of
transfers: an address that paid a sanctioned entity once among many ordinary
transfers scores near 0. The risk rating instead takes the *most severe* rule
that fires, and each fired rule carries its evidence and a one-line explanation.
No rule reads the coefficients or the danger score, so re-weighting the tests can
never change the rating.

Rules (name: rating when it fires)

* ``listed``: the address itself is on a sanctions list -> **severe**.
* ``sanctioned_counterparty``: a direct transfer with a listed address -> **high**.
* ``pass_through_chain``: the address's funds ride a pass-through chain through
  at least two intermediaries (mule chains) -> **high**; through one only -> low
  (one forward of a similar amount is common in ordinary use).
* ``high_risk_label``: the address is labelled mixer, scam or hack -> **high**.
* ``high_risk_counterparty``: a direct transfer with an address labelled mixer,
  scam or hack -> **medium**.
* ``burst``: at least 10 transfers in one direction, each within the time window
  of the previous (collection or fan-out) -> **medium**.
* ``indirect_exposure``: counterparties dealt with listed addresses -> low (a lead,
  not a finding).
* ``sanctioned_exposure`` and ``high_risk_exposure`` (:mod:`tracing.scoring.exposure_rules`):
  the share of the address's inflow or outflow that came from or reached listed
  (or mixer, scam, hack) addresses within a few hops under the haircut model.

A new rule is one function decorated with :func:`risk_rule`; it reads
:class:`RiskInputs` and returns a :class:`FiredRule` or ``None``.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tracing.labels import LabelIndex
from tracing.model import TransferTable, display_address
from tracing.scoring.result import TestResult

__all__ = [
    "RATINGS",
    "RULES",
    "FiredRule",
    "RiskInputs",
    "RiskRating",
    "rate",
    "risk_rule",
]

RATINGS = ("low", "medium", "high", "severe")
"""The ratings, least severe first."""

HIGH_RISK_CATEGORIES = ("mixer", "scam", "hack")
MIN_CHAIN_INTERMEDIARIES = 2
MIN_BURST = 10
SHOWN = 5  # evidence items listed per rule; counts cover everything


@dataclass(frozen=True)
class RiskInputs:
    """What a rule may read: the address, its own transfers, the tests' results and the labels."""

    address: str
    table: TransferTable
    tests: dict[str, TestResult]
    labels: LabelIndex
    exposure: dict | None = None  # tracing.flow.exposure's document, when gathered


@dataclass(frozen=True)
class FiredRule:
    """One rule that fired: its name, the rating it demands, its evidence and why."""

    rule: str
    rating: str
    evidence: dict
    explanation: str

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {"rule": self.rule, "rating": self.rating, "evidence": self.evidence, "explanation": self.explanation}


@dataclass(frozen=True)
class RiskRating:
    """The rating (the most severe of the fired rules, ``low`` when none fired) and the fired rules, most severe
    first."""

    rating: str
    rules: tuple[FiredRule, ...]

    def to_dict(self) -> dict:
        """JSON-ready dict: ``{"rating", "rules": [{"rule", "rating", "evidence", "explanation"}]}``."""
        return {"rating": self.rating, "rules": [r.to_dict() for r in self.rules]}


Rule = Callable[[RiskInputs], FiredRule | None]
RULES: dict[str, Rule] = {}
"""Every rule by name, in the order they are documented."""


def risk_rule(name: str) -> Callable[[Rule], Rule]:
    """Register a rule function under ``name``."""

    def register(func: Rule) -> Rule:
        RULES[name] = func
        return func

    return register


def rate(inputs: RiskInputs, rules: dict[str, Rule] | None = None) -> RiskRating:
    """Apply every rule; the rating is the most severe one that fired.

    >>> rate(RiskInputs("a", None, {}, LabelIndex()), rules={}).rating
    'low'
    """
    fired = [f for f in (rule(inputs) for rule in (RULES if rules is None else rules).values()) if f is not None]
    fired.sort(key=lambda f: -RATINGS.index(f.rating))  # stable: documented order within a rating
    return RiskRating(fired[0].rating if fired else "low", tuple(fired))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@risk_rule("listed")
def _listed(inputs: RiskInputs) -> FiredRule | None:
    evidence = inputs.tests["relation"].evidence
    if not evidence.get("listed"):
        return None
    names = sorted({f"{lb['name']} ({lb['source']})" for lb in evidence["listings"]})
    return FiredRule(
        "listed",
        "severe",
        {"listings": evidence["listings"]},
        f"The address itself is on a sanctions list: {'; '.join(names)}.",
    )


@risk_rule("sanctioned_counterparty")
def _sanctioned_counterparty(inputs: RiskInputs) -> FiredRule | None:
    evidence = inputs.tests["relation"].evidence
    direct = evidence.get("direct") or []
    if not direct:
        return None
    names = sorted({d["listings"][0]["name"] for d in direct if d["listings"]})  # one name per address
    return FiredRule(
        "sanctioned_counterparty",
        "high",
        {"transfers": evidence["direct_count"], "counterparties": direct},
        f"{_plural(evidence['direct_count'], 'transfer', 'transfers')} directly with "
        f"{_plural(len(direct), 'listed address', 'listed addresses')}: {', '.join(names)}.",
    )


@risk_rule("pass_through_chain")
def _pass_through_chain(inputs: RiskInputs) -> FiredRule | None:
    evidence = inputs.tests["hiding"].evidence
    chains = evidence.get("chains") or []
    if not chains:
        return None
    long = [c for c in chains if len(c["intermediaries"]) >= MIN_CHAIN_INTERMEDIARIES]
    most = max(len(c["intermediaries"]) for c in chains)
    shown = [
        {k: c[k] for k in ("origin", "intermediaries", "destination", "asset", "amount_sent", "amount_arrived")}
        for c in (long or chains)[:SHOWN]
    ]
    summary = {"chains": evidence["chain_count"], "longest_intermediaries": most, "examples": shown}
    if long:
        window = inputs.tests["hiding"].parameters["time_difference"]
        return FiredRule(
            "pass_through_chain",
            "high",
            {**summary, "long_chains": len(long)},
            f"Funds rode {_plural(len(long), 'pass-through chain', 'pass-through chains')} with at least "
            f"{MIN_CHAIN_INTERMEDIARIES} intermediaries each (up to {most}), each forwarding the same amount within "
            f"{window:,} s: the pattern of money mules.",
        )
    return FiredRule(
        "pass_through_chain",
        "low",
        summary,
        f"{_plural(len(chains), 'amount was', 'amounts were')} forwarded once through a single intermediary; "
        f"common in ordinary use, so it does not raise the rating.",
    )


def _labelled_counterparties(inputs: RiskInputs, categories: tuple[str, ...]) -> list[dict]:
    """Counterparties of the address labelled with one of ``categories``, with their transfer counts."""
    table, chain = inputs.table, inputs.table.chain
    flagged = np.unique(np.concatenate([inputs.labels.addresses(chain, c) for c in categories]))
    if not len(table) or not len(flagged):
        return []
    code = table.code_of(inputs.address)
    other = np.where(table.src == code, table.dst, table.src)
    hit = np.isin(table.addresses, flagged)
    if code >= 0:
        hit[code] = False  # the address is not its own counterparty
    codes, counts = np.unique(other[hit[other]], return_counts=True)
    out = []
    for c, n in zip(codes.tolist(), counts.tolist(), strict=True):
        address = str(table.addresses[c])
        labels = [lb for lb in inputs.labels.of(chain, address) if lb.category in categories]
        out.append(
            {"address": display_address(chain, address), "transfers": n, "labels": [lb.to_dict() for lb in labels]}
        )
    return out


@risk_rule("high_risk_label")
def _high_risk_label(inputs: RiskInputs) -> FiredRule | None:
    chain = inputs.table.chain
    own = [lb for lb in inputs.labels.of(chain, inputs.address) if lb.category in HIGH_RISK_CATEGORIES]
    if not own:
        return None
    names = sorted({f"{lb.name} ({lb.category})" for lb in own})
    return FiredRule(
        "high_risk_label",
        "high",
        {"labels": [lb.to_dict() for lb in own]},
        f"The address is labelled {', '.join(names)}.",
    )


@risk_rule("high_risk_counterparty")
def _high_risk_counterparty(inputs: RiskInputs) -> FiredRule | None:
    parties = _labelled_counterparties(inputs, HIGH_RISK_CATEGORIES)
    if not parties:
        return None
    names = sorted({f"{lb['name']} ({lb['category']})" for p in parties for lb in p["labels"]})
    count = sum(p["transfers"] for p in parties)
    return FiredRule(
        "high_risk_counterparty",
        "medium",
        {"transfers": count, "counterparties": parties[:SHOWN]},
        f"{_plural(count, 'transfer', 'transfers')} directly with {', '.join(names)}.",
    )


@risk_rule("burst")
def _burst(inputs: RiskInputs) -> FiredRule | None:
    test = inputs.tests["transfers"]
    bursts = test.evidence.get("bursts") or []
    if not bursts or bursts[0]["transfers"] < MIN_BURST:
        return None
    largest = bursts[0]
    hours = max((largest["end"] - largest["start"]) / 3600, 1 / 60)
    direction = {"in": "incoming", "out": "outgoing"}[largest["direction"]]
    window = test.parameters["time_difference"]
    return FiredRule(
        "burst",
        "medium",
        {"largest": largest, "time_difference": window},
        f"{largest['transfers']} {direction} transfers within {hours:.1f} h, each less than {window:,} s after "
        "the previous one (collection or fan-out).",
    )


@risk_rule("indirect_exposure")
def _indirect_exposure(inputs: RiskInputs) -> FiredRule | None:
    indirect = inputs.tests["relation"].evidence.get("indirect") or []
    if not indirect:
        return None
    return FiredRule(
        "indirect_exposure",
        "low",
        {"counterparties": indirect[:SHOWN], "count": len(indirect)},
        f"{_plural(len(indirect), 'counterparty', 'counterparties')} dealt with listed addresses: "
        "a lead to follow, not a finding.",
    )
