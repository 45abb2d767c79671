"""The shared formatters: amounts with separators, symbol and the asset's precision; times; addresses; z."""

import pytest

from tracing.figures import amount, precision, share, short_address, when, zscore
from tracing.model.transfer import Asset


@pytest.mark.parametrize(
    ("asset", "value", "text"),
    [
        ("BTC", 0.35, "0.35 BTC"),  # no zeros padded to the asset's precision
        ("BTC", "1.23456789", "1.23456789 BTC"),  # every satoshi shown when there are some
        ("TRX", "460", "460.00 TRX"),  # as many decimals as a dollar token, no more
        ("ETH", "0.1234565", "0.123456 ETH"),  # rounded half-even to the precision
        (Asset("NFT", "T1", 0), "3", "3 NFT"),  # an indivisible token has no decimals
        ("BTC", "0.00000546", "0.00000546 BTC"),  # dust is not "0.00 BTC"
        ("USDT", "45997", "45,997.00 USDT"),
        ("USDT", 1234567.891, "1,234,567.89 USDT"),
        ("USDT", "0.000042", "0.000042 USDT"),
        ("ETH", "1500", "1,500.00 ETH"),
        ("USDC", 0, "0.00 USDC"),
        (Asset("XYZ", "0xabc", 2), "12.5", "12.50 XYZ"),  # never more decimals than the asset has
        (Asset("ETH", "native", 18), 1e-12, "0.000000000001 ETH"),
    ],
)
def test_amounts_carry_separators_symbol_and_precision(asset, value, text):
    assert amount(asset, value) == text


def test_precision_follows_the_asset():
    assert precision("BTC") == 8 and precision("usdt") == 2 and precision(Asset("SUN", "T1", 18)) == 6


def test_times_addresses_and_zscores():
    assert when(1753783200) == "2025-07-29 10:00" and when(1753783200, seconds=True) == "2025-07-29 10:00:00"
    assert when(-1) == when(None) == "-"
    assert short_address("0x098B716B8Aaf21512996dC57EB0615e2383E2f96") == "0x098B…2f96"
    assert short_address("short") == "short"
    assert zscore(-0.001) == "0.00" and zscore(2.345678) == "2.35" and zscore(-12) == "-12.00"


def test_shares_never_split_from_their_percent_sign():
    assert share(1.0) == "100.0\u00a0%" and share(0.0001) == "<\u00a00.1\u00a0%"
    assert " " not in share(0.457)
