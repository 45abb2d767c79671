"""The scoring engine: four anomaly tests, the weighted danger score and the risk rating.

:func:`score_tables` is the pure entry point (tables in, :class:`ScoreReport`
out); :mod:`tracing.investigate` gathers the tables from the store. The danger
score is the original system's weighted mean (kept exactly for its clients); the
risk rating (:mod:`tracing.scoring.risk`) is what an investigator reads first.
"""

from dataclasses import dataclass

from tracing.errors import BadParameters
from tracing.labels import LabelIndex
from tracing.model import TransferTable, display_address
from tracing.params import Parameters
from tracing.scoring import exposure_rules  # noqa: F401  (registers the exposure rules)
from tracing.scoring.frequency import frequent_transfers
from tracing.scoring.hiding import hiding_through_intermediaries
from tracing.scoring.relation import relation_to_listed
from tracing.scoring.result import TestResult
from tracing.scoring.risk import RiskInputs, RiskRating, rate
from tracing.scoring.values import unusual_values, zscores

__all__ = [
    "SCORE_BANDS",
    "RiskRating",
    "ScoreReport",
    "TestResult",
    "contributions",
    "danger_score",
    "score_band",
    "score_tables",
    "zscores",
]

TEST_NAMES = ("value", "transfers", "hiding", "relation")


SCORE_BANDS = ((75.0, "severe"), (50.0, "high"), (25.0, "elevated"), (0.0, "low"))
"""Bands of the danger (anomaly) score: the lower edge of each, highest first."""


def score_band(score: float) -> str:
    """The band of a 0-100 danger score.

    >>> score_band(23.7), score_band(25.0)
    ('low', 'elevated')
    """
    return next(name for floor, name in SCORE_BANDS if score >= floor)


def _weight_total(scores: dict[str, float], coefficients: dict[str, float]) -> float:
    total = sum(coefficients[name] for name in scores)
    if total <= 0:
        raise BadParameters("coefficients", "at least one of the four coefficients must be above 0")
    return total


def contributions(scores: dict[str, float], coefficients: dict[str, float]) -> dict[str, float]:
    """What each test adds to the danger score: ``score * coefficient / sum of coefficients``.

    >>> contributions({"value": 100, "transfers": 0}, {"value": 1, "transfers": 3})
    {'value': 25.0, 'transfers': 0.0}
    """
    total = _weight_total(scores, coefficients)
    return {name: scores[name] * coefficients[name] / total for name in scores}


def danger_score(scores: dict[str, float], coefficients: dict[str, float]) -> float:
    """Weighted mean of the test scores (the sum of their :func:`contributions`, up to rounding).

    >>> danger_score({"value": 100, "transfers": 0}, {"value": 1, "transfers": 3})
    25.0
    """
    return sum(scores[name] * coefficients[name] for name in scores) / _weight_total(scores, coefficients)


@dataclass(frozen=True)
class ScoreReport:
    """The risk rating and the danger score of one address, with every test behind them."""

    address: str
    table: TransferTable
    params: Parameters
    tests: dict[str, TestResult]
    final_score: float
    data_source: str
    risk: RiskRating
    exposure: dict | None = None  # see tracing.flow.exposure; None when the flow was not gathered
    sanctions_api: dict | None = None  # the sanctions API's screening status; None when no API is configured

    def contributions(self) -> dict[str, float]:
        """What each test adds to ``final_score`` under the report's coefficients."""
        return contributions({k: t.score for k, t in self.tests.items()}, self.params.coefficients)

    def to_dict(self) -> dict:
        """The JSON document shared by the CLI (--json), the REST API and the reports."""
        return {
            "address": display_address(self.table.chain, self.address),
            "chain": self.table.chain.value,
            "risk": self.risk.to_dict(),
            "final_score": round(self.final_score, 2),
            "tests": {name: test.to_dict() for name, test in self.tests.items()},
            "transfers_analysed": len(self.table),
            "data_source": self.data_source,
            "parameters": self.params.to_dict(),
            **({"exposure": self.exposure} if self.exposure is not None else {}),
            "sanctions_api": self.sanctions_api,
        }


def score_tables(
    address: str,
    context: TransferTable,
    labels: LabelIndex,
    params: Parameters,
    *,
    second_hop: TransferTable | None = None,
    data_source: str = "",
    exposure: dict | None = None,
    sanctions_api: dict | None = None,
) -> ScoreReport:
    """Run the four tests on ``address`` and weigh them.

    Parameters
    ----------
    address : str
        Canonical address.
    context : TransferTable
        The address's transfers plus its neighbourhood (for the hiding test).
    labels : LabelIndex
        Sanctions and entity labels.
    second_hop : TransferTable, optional
        Counterparties' transfers with listed addresses (indirect exposure).
    exposure : dict, optional
        The address's exposure (:func:`tracing.flow.exposure.exposure`): read by the
        relation test's exposure mode and the exposure risk rules, and reported.
    sanctions_api : dict, optional
        The status of the sanctions API's screening (:func:`tracing.screening.screen_with_api`):
        the relation test says when it failed, and the report carries it.
    """
    context = context.sorted()
    code = context.code_of(address)
    mine = (context.src == code) | (context.dst == code)
    own = context if mine.all() else context.take(mine)
    tests = {
        "value": unusual_values(own, params),
        "transfers": frequent_transfers(own, own.code_of(address), params),
        "hiding": hiding_through_intermediaries(context, address, params, labels),
        "relation": relation_to_listed(
            own, address, labels, params, second_hop=second_hop, exposure=exposure, sanctions_api=sanctions_api
        ),
    }
    final = danger_score({k: t.score for k, t in tests.items()}, params.coefficients)
    risk = rate(RiskInputs(address, own, tests, labels, exposure))
    return ScoreReport(address, own, params, tests, final, data_source, risk, exposure, sanctions_api)
