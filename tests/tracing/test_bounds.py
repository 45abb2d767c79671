"""Every input is bounded before it is decoded: long addresses, huge exponents, times past 2^63."""

import contextlib
import time

import pytest

from tracing.cli import main
from tracing.encodings import b58decode
from tracing.errors import BadParameters, InvalidAddress
from tracing.flow.params import parse_time
from tracing.model import detect_chain, normalize_address
from tracing.model.transfer import parse_units
from tracing.params import Parameters
from tracing.sources import demo

THIEF = demo.demo_address(demo.Chain.TRON, "thief")


def quickly(func, *args):
    """Call ``func``; the time it took (it must raise or answer without decoding a huge input)."""
    start = time.perf_counter()
    with contextlib.suppress(ValueError, InvalidAddress, BadParameters):
        func(*args)
    return time.perf_counter() - start


@pytest.mark.parametrize("chain", [None, "tron", "bitcoin", "solana", "ethereum"])
def test_a_huge_address_is_refused_before_decoding(chain):
    text = "T" * 400_000  # base58 decoding is quadratic: this took minutes
    with pytest.raises(InvalidAddress, match="400,000 characters; no address has more than 100"):
        normalize_address(text, chain)
    assert quickly(normalize_address, text, chain) < 0.05
    assert quickly(detect_chain, text) < 0.05


def test_base58_decoding_is_bounded():
    with pytest.raises(ValueError, match="longer than 128"):
        b58decode("2" * 129)
    assert normalize_address(THIEF) == (demo.Chain.TRON, THIEF)  # real addresses still pass


@pytest.mark.parametrize(
    ("text", "decimals", "message"),
    [
        ("1e100000000", 6, "larger than any token amount"),  # ran for minutes
        ("1e-100000000", 6, "more than 6 decimal places"),
        ("1" * 79, 0, "larger than any token amount"),
        ("9" * 101, 0, "longer than 100 characters"),
        (str(2**256), 0, "larger than any token amount"),
    ],
)
def test_amounts_bound_their_digits_and_exponent(text, decimals, message):
    with pytest.raises(ValueError, match=message):
        parse_units(text, decimals)
    assert quickly(parse_units, text, decimals) < 0.05


def test_amounts_at_the_bounds_still_parse():
    assert parse_units(str(2**256 - 1), 0) == 2**256 - 1
    assert parse_units("0e-1000000000", 6) == 0
    assert parse_units("1.5e3", 2) == 150000


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_difference", 1e20),
        ("time_difference", 2**63),
        ("value_coefficient", 1e308),  # the final score was NaN: invalid JSON, a blank page
        ("maximum_threshold", 1e308),
        ("minimum_threshold", "-" + "9" * 400),
        ("time_difference", 10**400),
    ],
)
def test_parameters_out_of_bounds_are_refused(field, value):
    with pytest.raises(BadParameters) as err:
        Parameters.from_mapping({field: value})
    assert err.value.field == field


@pytest.mark.parametrize("value", [2**63, -1, "99999999999999999999", "3000-01-01"])
def test_times_beyond_2242_or_before_1970_are_refused(value):
    with pytest.raises(BadParameters, match="must be a time between 1970"):
        parse_time(value, "since")


def test_cli_refuses_a_huge_time_difference_in_one_line(tmp_path, capsys):
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--database", database, "score", THIEF, "--time-difference", "1e20"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "time_difference" in err and "Traceback" not in err
