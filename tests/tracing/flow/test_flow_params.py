"""Trace parameters: defaults, coercion from text, and refusals that name the field."""

import pytest

from tracing.errors import BadParameters
from tracing.flow import TraceParameters


def test_text_values_are_coerced():
    p = TraceParameters.from_mapping(
        {"hops": "4", "min_amount": "1.5", "model": " Poison ", "asset": "usdt", "since": ""}
    )
    assert (p.hops, p.min_amount, p.model, p.asset, p.since) == (4, 1.5, "poison", "USDT", None)
    assert p.changed() == {"hops": 4, "min_amount": 1.5, "model": "poison", "asset": "USDT"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"hops": 0}, "hops"),
        ({"hops": 2.5}, "hops"),
        ({"hops": "many"}, "hops"),
        ({"model": "lifo"}, "model"),
        ({"direction": "sideways"}, "direction"),
        ({"min_amount": -1}, "min_amount"),
        ({"since": "yesterday"}, "since"),
        ({"since": 10, "until": 5}, "until"),
        ({"amount": 0}, "amount"),
        ({"tx": "ab", "amount": 5}, "amount"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_values_are_refused_naming_the_field(values, field):
    with pytest.raises(BadParameters) as err:
        TraceParameters.from_mapping(values)
    assert err.value.field == field
