"""Properties of the whole engine on random tables: bounded scores, and no dependence on input order."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracing.labels import Label, LabelIndex
from tracing.model import Chain
from tracing.params import Parameters
from tracing.scoring import score_tables
from tracing.testing import make_table

NAMES = ["A", "B", "C", "D", "L"]
LABELS = LabelIndex([Label(Chain.TRON, "L", "Listed", "sanctioned", "test")])

rows = st.lists(
    st.tuples(
        st.sampled_from([0.0, 1.0, 5.0, 99.5, 100.0, 1e7]) | st.floats(0, 1e9, allow_nan=False),
        st.integers(0, 50_000),
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
    ).filter(lambda r: r[2] != r[3]),
    max_size=40,
)
params = st.builds(
    Parameters,
    minimum_threshold=st.floats(-5, -0.1),
    maximum_threshold=st.floats(0.1, 5),
    time_difference=st.integers(1, 20_000),
    value_method=st.sampled_from(["zscore", "robust"]),
)


def _table(data):
    return make_table(
        [r[0] for r in data],
        times=[1_700_000_000 + r[1] for r in data],
        senders=[r[2] for r in data],
        receivers=[r[3] for r in data],
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows, params, st.randoms(use_true_random=False))
def test_scores_are_bounded_and_order_free(data, p, rnd):
    table = _table(data)
    report = score_tables("A", table, LABELS, p)
    scores = [t.score for t in report.tests.values()] + [report.final_score]
    assert all(0.0 <= s <= 100.0 and not np.isnan(s) for s in scores)
    order = list(range(len(table)))
    rnd.shuffle(order)
    again = score_tables("A", table.take(np.array(order, dtype=np.int64)), LABELS, p)
    assert again.to_dict() == report.to_dict()
