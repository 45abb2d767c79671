"""The shared formatters: amounts with separators, symbol and the asset's precision; times; addresses; z."""

import pytest

from tracing.figures import amount, precision, short_address, when, zscore
from tracing.model.transfer import Asset


@pytest.mark.parametrize(
    ("asset", "value", "text"),
    [
        ("BTC", 0.35, "0.35000000 BTC"),
        ("BTC", "0.00000546", "0.00000546 BTC"),  # dust is not "0.00 BTC"
        ("USDT", "45997", "45,997.00 USDT"),
        ("USDT", 1234567.891, "1,234,567.89 USDT"),
        ("USDT", "0.000042", "0.000042 USDT"),
        ("ETH", "1500", "1,500.000000 ETH"),
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
