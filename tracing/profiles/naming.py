"""Naming clusters from their centres, by documented rules, with the features that justify each name.

A cluster's centre here is the median of its members' raw features (counts,
shares, days: the units of :data:`tracing.profiles.features.FEATURES`), so
every rule reads as a sentence about behaviour. The first rule that holds
names the cluster (:data:`RULES`, in order); "ordinary wallet" is the
fallback. Two clusters may earn the same name: they differ in other features,
and the second is numbered.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tracing.profiles.features import FEATURE_NAMES

__all__ = ["FALLBACK", "RULES", "Rule", "name_clusters"]


@dataclass(frozen=True)
class Rule:
    """A cluster name, when it applies (``test(centre, population)``), and the features that show it."""

    name: str
    meaning: str
    features: tuple[str, ...]
    test: Callable[[dict, dict], bool]


def _parties(f: dict) -> float:
    return f["counterparties_in"] + f["counterparties_out"]


def _transfers(f: dict) -> float:
    return f["transfers_in"] + f["transfers_out"]


RULES: tuple[Rule, ...] = (
    Rule(
        "sanctions-exposed",
        "most members dealt directly with sanctioned, mixer, scam or hack addresses",
        ("risky_share", "counterparties_in", "counterparties_out"),
        lambda c, p: c["risky_share"] > 0,
    ),
    Rule(
        "exchange / service hub",
        "ten times the typical number of counterparties, active most days, round the clock",
        ("counterparties_in", "counterparties_out", "active_days", "hour_entropy"),
        lambda c, p: _parties(c) >= 10 * max(_parties(p), 1) and c["active_days"] >= 30 and c["hour_entropy"] >= 0.8,
    ),
    Rule(
        "pass-through mule",
        "forwards what it receives: at least half its transfers ride pass-through links",
        ("pass_through_share", "quick_gap_share", "kept_share"),
        lambda c, p: c["pass_through_share"] >= 0.5,
    ),
    Rule(
        "exchange depositor",
        "at least half its transfers are with exchanges",
        ("exchange_share", "transfers_out", "kept_share"),
        lambda c, p: c["exchange_share"] >= 0.5,
    ),
    Rule(
        "burst trader (bot-like)",
        "most consecutive transfers less than an hour apart, many of them",
        ("quick_gap_share", "transfers_in", "transfers_out", "gap_log_median"),
        lambda c, p: c["quick_gap_share"] >= 0.5 and _transfers(c) >= 10,
    ),
    Rule(
        "dormant holder",
        "received and kept (at least 90 % of the value), sent little or nothing, idle for weeks",
        ("kept_share", "transfers_out", "idle_days"),
        lambda c, p: c["kept_share"] >= 0.9 and c["idle_days"] >= 7,
    ),
    Rule(
        "distributor (fan-out)",
        "pays far more addresses than pay it",
        ("fan_balance", "counterparties_out", "counterparties_in"),
        lambda c, p: c["fan_balance"] <= -0.5,
    ),
    Rule(
        "collector (fan-in)",
        "is paid by far more addresses than it pays",
        ("fan_balance", "counterparties_in", "counterparties_out"),
        lambda c, p: c["fan_balance"] >= 0.5,
    ),
    Rule(
        "short-lived address",
        "a couple of transfers within a day",
        ("transfers_in", "transfers_out", "span_days"),
        lambda c, p: _transfers(c) <= 3 and c["span_days"] <= 1,
    ),
)
FALLBACK = Rule(
    "ordinary wallet",
    "none of the rules above: pays and is paid by a handful of peers over weeks, like most addresses",
    ("transfers_in", "transfers_out", "span_days", "value_log_mean"),
    lambda c, p: True,
)


def name_clusters(features: np.ndarray, labels: np.ndarray, k: int) -> list[dict]:
    """Name each of ``k`` clusters from its members' raw ``features`` (rows like :data:`FEATURE_NAMES`).

    Returns one dict per cluster: ``name``, ``meaning``, ``size`` and ``evidence``
    (each justifying feature with the cluster's median and the population's).
    """
    population = dict(zip(FEATURE_NAMES, np.median(features, axis=0)))
    named, seen = [], {}
    for c in range(k):
        members = features[labels == c]
        centre = dict(zip(FEATURE_NAMES, np.median(members, axis=0))) if len(members) else population
        rule = next((r for r in RULES if r.test(centre, population)), FALLBACK)
        seen[rule.name] = seen.get(rule.name, 0) + 1
        evidence = [
            {
                "feature": f,
                "cluster_median": round(float(centre[f]), 4),
                "population_median": round(float(population[f]), 4),
            }
            for f in rule.features
        ]
        name = rule.name if seen[rule.name] == 1 else f"{rule.name} {seen[rule.name]}"
        named.append({"name": name, "meaning": rule.meaning, "size": len(members), "evidence": evidence})
    return named
