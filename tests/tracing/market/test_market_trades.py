"""Trade files: the real CCXT exports, generic CSV and Parquet, and every way a file can be wrong."""

import gzip

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tracing.errors import ImportFormatError
from tracing.market import read_trades
from tracing.market.trades import concat_trades


def test_real_exports_read_with_taker_side_and_millisecond_times(pump_files):
    trades = read_trades(pump_files[0])  # APPC/BTC around 2020-11-18 18:00
    assert trades.pairs == ("APPC/BTC",)
    assert trades.ts[0] == 1605549866174
    assert 0.3 < trades.buy.mean() < 0.8
    with gzip.open(pump_files[0], "rt") as fh:
        assert len(trades) == sum(1 for _ in fh) - 1


def test_generic_csv_with_iso_times_aliases_and_two_pairs(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "pair,datetime,side,price,quantity\n"
        "B/BTC,2024-01-01T00:00:01Z,buy,2.5,4\n"
        "A/BTC,2024-01-01 00:00:02,SELL,1.5,3\n"
    )
    t = read_trades(path)
    assert t.pairs == ("B/BTC", "A/BTC") or t.pairs == ("A/BTC", "B/BTC")
    assert [t.pairs[c] for c in t.pair] == ["B/BTC", "A/BTC"]
    assert t.ts.tolist() == [1704067201000, 1704067202000]  # naive times are UTC
    assert t.buy.tolist() == [True, False]
    assert t.qty.tolist() == [4.0, 3.0]


def test_parquet_reads_like_csv(tmp_path):
    table = pa.table(
        {
            "symbol": ["X/BTC"] * 2,
            "timestamp": [1000, 2000],
            "side": ["buy", "sell"],
            "price": [1.0, 2.0],
            "amount": [3.0, 4.0],
        }
    )
    pq.write_table(table, tmp_path / "t.parquet")
    t = read_trades(tmp_path / "t.parquet")
    assert t.ts.tolist() == [1000, 2000] and t.buy.tolist() == [True, False] and t.price.tolist() == [1.0, 2.0]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("symbol,side,price,amount\nX,buy,1,1\n", "missing column(s) timestamp or datetime"),
        ("symbol,timestamp,side,price\nX,1,buy,1\n", "missing column(s) amount"),
        (
            "symbol,timestamp,side,price,amount\nX,1,buy,1,1\nX,2,hold,1,1\n",
            "line 3: side 'hold' is neither buy nor sell",
        ),
        ("symbol,timestamp,side,price,amount\nX,1,buy,1,1\nX,2,buy,abc,1\n", "line 3: price 'abc' is not a number"),
        (
            "symbol,timestamp,side,price,amount\nX,1,buy,1,1\nX,2,buy,-1,1\n",
            "line 3: price and amount must be positive",
        ),
        ("symbol,timestamp,side,price,amount\nX,1,buy,1,1\nX,2,buy,1\n", "cannot be read as CSV"),
    ],
)
def test_a_wrong_file_is_refused_with_its_line(tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text(body)
    with pytest.raises(ImportFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_trades(path)


def test_missing_and_garbage_files_are_refused(tmp_path):
    with pytest.raises(ImportFormatError, match="no such file"):
        read_trades(tmp_path / "none.csv")
    (tmp_path / "x.parquet").write_bytes(b"not parquet")
    with pytest.raises(ImportFormatError, match="cannot be read as Parquet"):
        read_trades(tmp_path / "x.parquet")
    with pytest.raises(ImportFormatError, match="no trade files"):
        read_trades()


def test_concat_renumbers_pairs_over_the_union(market):
    trades, _ = market
    a, b = trades.take(trades.pair < 20), trades.take(trades.pair >= 10)
    both = concat_trades([a, b])
    names = np.array(both.pairs)[both.pair]
    assert names.tolist() == np.array(trades.pairs)[np.r_[a.pair, b.pair]].tolist()
