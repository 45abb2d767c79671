"""CSV importers on real exports and on every kind of broken file."""

import pytest

from tracing.errors import BadParameters, ImportFormatError
from tracing.model import Chain
from tracing.sources.file_options import import_options
from tracing.sources.files import read_transfers

HEADER = "chain,tx_hash,index,block,timestamp,from,to,asset,contract,decimals,amount\n"
TREASURY = "TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs"
OTHER = "TX5GV4DyfxNB3rPkzZJhmqZ1efVmL4rEqG"
H = "ab12" * 16  # a transaction hash: 64 hex digits
ETH_A, ETH_B = "0x098b716b8aaf21512996dc57eb0615e2383e2f96", "0x" + "1" * 40


def _write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_generic_csv_is_exact_and_multi_chain(tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + f"tron,{H.upper()},0,1,2025-07-29T10:00:00Z,{TREASURY},{OTHER},USDT,TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t,6,1500.25\n"
        + f"ethereum,0x{'CD' * 32},3,2,1753783200,{ETH_A},{ETH_B},ETH,,18,123456789.000000000000000001\n",
    )
    result = read_transfers(path)
    tron, eth = result.tables[Chain.TRON], result.tables[Chain.ETHEREUM]
    assert int(tron.amount[0]) == 1_500_250_000 and tron.timestamp[0] == 1753783200
    assert tron.tx_hash[0] == H
    assert int(eth.amount[0]) == 123456789 * 10**18 + 1 and eth.assets[0].contract == "native"
    assert eth.index[0] == 3


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"tron,{H},0,1,yesterday,{TREASURY},{OTHER},USDT,,6,1", "line 2: timestamp 'yesterday'"),
        (f"tron,{H},0,1,1,{TREASURY}x,{OTHER},USDT,,6,1", "line 2: .*not a valid tron address"),
        (f"tron,{H},0,1,1,{TREASURY},{OTHER},USDT,,6,1.0000001", "line 2: .*more than 6 decimal places"),
        (f"tron,{H},0,1,1,{TREASURY},{OTHER},USDT,,6,-5", "line 2: .*negative"),
        (f"tron,{H},0,1,1,{TREASURY},{OTHER},USDT,,six,1", "line 2: column decimals"),
        (f"dogecoin,{H},0,1,1,{TREASURY},{OTHER},USDT,,6,1", "line 2: unknown chain"),
        (f"tron,,0,1,1,{TREASURY},{OTHER},USDT,,6,1", "line 2: the transaction hash is empty"),
    ],
)
def test_generic_csv_errors_name_the_line(tmp_path, row, message):
    with pytest.raises(ImportFormatError, match=message):
        read_transfers(_write(tmp_path, HEADER + row + "\n"))


def test_unreadable_files(tmp_path):
    with pytest.raises(ImportFormatError, match="no such file"):
        read_transfers(tmp_path / "missing.csv")
    with pytest.raises(ImportFormatError, match="empty"):
        read_transfers(_write(tmp_path, ""))
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ImportFormatError, match="UTF-8"):
        read_transfers(binary)
    with pytest.raises(ImportFormatError, match="header fits no known format"):
        read_transfers(_write(tmp_path, "a,b\n1,2\n"))
    with pytest.raises(ImportFormatError, match="missing column"):
        read_transfers(_write(tmp_path, "a,b\n1,2\n"), "generic-csv")
    with pytest.raises(ImportFormatError, match="unknown format"):
        read_transfers(_write(tmp_path, HEADER), "xlsx")


def test_the_same_transfer_twice_in_one_file_is_one(tmp_path):
    row = f"tron,{H},0,1,1,{TREASURY},{OTHER},USDT,,6,1\n"
    assert len(read_transfers(_write(tmp_path, HEADER + row + row))) == 1


def test_one_identity_with_two_amounts_is_reported(tmp_path):
    first, second = (f"tron,{H},0,1,1,{TREASURY},{OTHER},USDT,,6,{amount}\n" for amount in (1, 2))
    with pytest.raises(ImportFormatError, match=r"line 3: transfer .* appears twice with different contents"):
        read_transfers(_write(tmp_path, HEADER + first + second))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"tron,{'ab' * 100},0,1,1,{TREASURY},{OTHER},USDT,,6,1", "not a tron hash: expected 64 hex digits"),
        (f"tron,=HYPERLINK(x),0,1,1,{TREASURY},{OTHER},USDT,,6,1", "not a tron hash"),
        (f"ethereum,{H},0,1,1,{ETH_A},{ETH_B},ETH,,18,1", "not a ethereum hash: expected '0x' and 64 hex"),
        (f"tron,{H},0,1,1,{TREASURY},{OTHER},{'X' * 40},,6,1", "symbol 'XXXX.*' must have 1 to 32 characters"),
        (f"tron,{H},0,1,1,{TREASURY},{OTHER},US\x00DT,,6,1", "holds a control character"),
        (f"tron,{H},3000000000,1,1,{TREASURY},{OTHER},USDT,,6,1", "column index: 3000000000 is larger"),
        (f"tron,{H},0,{2**63},1,{TREASURY},{OTHER},USDT,,6,1", "column block: .* is larger"),
        (f"tron,{H},0,1,{2**63},{TREASURY},{OTHER},USDT,,6,1", "column timestamp: .* is larger"),
        (f"tron,{H},0,1,1,{TREASURY},{OTHER},USDT,,0,{'9' * 101}", "longer than 100 characters"),
        (f"tron,{H},0,1,1,{TREASURY},{OTHER},USDT,,6,1e100000000", "larger than any token amount"),
        (f"tron,{H},0,1,{'1' * 131_072},{TREASURY},{OTHER},USDT,,6,1", "column timestamp: '1111"),
    ],
)
def test_rows_no_store_could_hold_are_refused_with_their_line(tmp_path, row, message):
    with pytest.raises(ImportFormatError, match="line 2: .*" + message):
        read_transfers(_write(tmp_path, HEADER + row + "\n"))


def test_real_tronscan_export(shared_data):
    result = read_transfers(shared_data / "transfers" / "tron-usdt-treasury" / "tron.csv", "tronscan-csv")
    table = result.tables[Chain.TRON]
    assert result.rows == 2000
    assert len(table) + len(result.skipped) == 2000
    assert table.assets[0].decimals == 6 and table.assets[0].symbol == "USDT"
    # Other tokens printed with 8 or 18 decimals are set aside, each with its line and reason.
    assert 0 < len(result.skipped) < 100 and all("decimals" in s for s in result.skipped)
    assert (table.sender == TREASURY).sum() + (table.receiver == TREASURY).sum() >= len(table)


def test_real_etherscan_export_with_thousands_separators(shared_data):
    result = read_transfers(shared_data / "transfers" / "erc20-exports" / "usdc.csv", "etherscan-csv")
    table = result.tables[Chain.ETHEREUM]
    assert len(table) == 5000
    usdc = next(a for a in table.assets if a.symbol == "USDC")
    assert usdc.decimals == 6  # the contract's own decimals, not the file's fraction digits
    row = table.tx_hash.tolist().index("0xf2422d4f829a492ced9474f8b6ba509355a110e2d2383d967b14e2fa044384a2")
    assert int(table.amount[row]) == 459_717_400_000


def test_tronscan_without_a_token_contract_is_refused(tmp_path):
    with pytest.raises(BadParameters, match="give its contract with its symbol") as caught:
        read_transfers(_write(tmp_path, "x\n"), "tronscan-csv", asset="BTT")
    assert caught.value.field == "contract"


@pytest.mark.parametrize(
    ("fmt", "options", "field", "reason"),
    [
        ("tronscan-csv", {"decimals": "six"}, "decimals", "whole number from 0 to 36"),
        ("tronscan-csv", {"decimals": 40}, "decimals", "whole number from 0 to 36"),
        ("tronscan-csv", {"asset": "BTT", "contract": "TNotAnAddress"}, "contract", "not a valid tron address"),
        ("tronscan-csv", {"contract": "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8"}, "asset", "give the symbol"),
        ("tronscan-csv", {"asset": "A\x07", "contract": "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8"}, "asset", "control"),
        ("etherscan-csv", {"contract": "0x" + "a" * 40}, "contract", "Etherscan export names its token"),
        ("generic-csv", {"decimals": 6}, "decimals", "generic CSV names"),
    ],
)
def test_import_options_are_checked_against_the_format(fmt, options, field, reason):
    with pytest.raises(BadParameters, match=reason) as caught:
        import_options(fmt, **options)
    assert caught.value.field == field


def test_a_tronscan_export_of_another_token_takes_its_symbol_contract_and_decimals(tmp_path):
    header = "transaction_id,block,block_ts,from_address,to_address,confirmed,contractRet,quant\n"
    row = f"{'ab' * 32},1,1600000000,{TREASURY},{OTHER},true,SUCCESS,2.500000\n"
    result = read_transfers(
        _write(tmp_path, header + row), asset="USDC", contract="TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8", decimals="6"
    )
    (table,) = result.tables.values()
    assert table.assets[0].symbol == "USDC" and table.assets[0].decimals == 6 and int(table.amount[0]) == 2_500_000
