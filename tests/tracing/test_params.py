"""The investigation parameters: defaults, coercion from text, and refusals that name the field."""

import pytest

from tracing.errors import BadParameters
from tracing.params import COEFFICIENTS, FIELDS, Parameters


def test_defaults_are_the_original_systems():
    p = Parameters()
    assert (p.minimum_threshold, p.maximum_threshold, p.time_difference) == (-2.0, 3.0, 13000)
    assert p.coefficients == {"value": 0.3, "transfers": 0.4, "hiding": 0.5, "relation": 0.6}
    assert set(FIELDS) == set(p.to_dict())


def test_the_original_request_body_is_accepted_with_strings():
    body = {"minimum_threshold": "-1.5", "maximum_threshold": "2", "time_difference": "600", "value_coefficient": "1"}
    p = Parameters.from_mapping(body)
    assert (p.minimum_threshold, p.maximum_threshold, p.time_difference, p.value_coefficient) == (-1.5, 2.0, 600, 1.0)
    assert p.changed() == {
        "minimum_threshold": -1.5,
        "maximum_threshold": 2.0,
        "time_difference": 600,
        "value_coefficient": 1.0,
    }
    assert Parameters.from_mapping({"address": "T..."}, ignore=("address",)) == Parameters()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"minimum_threshold": 3, "maximum_threshold": 2}, "minimum_threshold"),
        ({"time_difference": 0}, "time_difference"),
        ({"time_difference": "1.5"}, "time_difference"),
        ({"time_difference": "soon"}, "time_difference"),
        ({"value_coefficient": -0.1}, "value_coefficient"),
        ({"hiding_coefficient": "inf"}, "hiding_coefficient"),
        ({"relation_coefficient": True}, "relation_coefficient"),
        (
            dict.fromkeys(
                ("value_coefficient", "transfers_coefficient", "hiding_coefficient", "relation_coefficient"), 0
            ),
            "coefficients",
        ),
        ({"value_method": "median"}, "value_method"),
        ({"hiding_tolerance": 0.9}, "hiding_tolerance"),
        ({"threshold": 1}, "threshold"),
    ],
)
def test_bad_parameters_name_the_field(body, field):
    with pytest.raises(BadParameters) as err:
        Parameters.from_mapping(body)
    assert err.value.field == field
    assert str(err.value).startswith(field)


def test_problems_names_every_bad_field_and_only_those():
    from tracing.flow import TraceParameters

    query = {"hops": "999", "model": "zzz", "since": "yesterday", "min_amount": "5", "focus": "T"}
    problems = TraceParameters.problems(query, ignore=("focus",))
    assert set(problems) == {"hops", "model", "since"} and "from 1 to 20" in problems["hops"]
    assert TraceParameters.problems({"hops": "3", "focus": "T"}, ignore=("focus",)) == {}
    # fields fine alone but not together are reported once; a rule over several fields ends the search
    assert set(TraceParameters.problems({"since": "2025-02-01", "until": "2025-01-01"})) == {"until"}
    assert set(Parameters.problems({**dict.fromkeys(COEFFICIENTS, 0), "bogus": 1})) == {"bogus", "coefficients"}


def test_a_refusal_names_every_bad_field_and_leads_with_the_first():
    with pytest.raises(BadParameters) as err:
        Parameters.from_mapping({"minimum_threshold": "abc", "time_difference": -5, "value_method": "zzz"})
    assert list(err.value.problems) == ["minimum_threshold", "time_difference", "value_method"]
    assert (err.value.field, err.value.reason) == ("minimum_threshold", "must be a number, got 'abc'")
    assert str(err.value).count("; ") == 2 and str(err.value).startswith("minimum_threshold: must be a number")
    with pytest.raises(BadParameters) as one:
        Parameters.from_mapping({"hiding_max_hops": 99})
    assert one.value.problems == {"hiding_max_hops": "must be between 1 and 50, got 99"}
    assert str(one.value) == "hiding_max_hops: must be between 1 and 50, got 99"


def test_rules_over_several_fields_do_not_hide_a_field_wrong_alone():
    problems = Parameters.problems({"maximum_threshold": -5, "relation_mode": "x"})
    assert list(problems) == ["relation_mode", "minimum_threshold"]
    problems = Parameters.problems({**dict.fromkeys(COEFFICIENTS, 0), "value_method": "magic"})
    assert list(problems) == ["value_method", "coefficients"]
