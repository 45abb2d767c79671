"""The options of a file import (``asset``, ``contract``, ``decimals``), checked against the file's format.

Exports that do not name their token take them from the user: the CLI's
``--asset/--contract/--decimals`` and the upload form's fields. Each wrong value is a
:class:`~tracing.errors.BadParameters` naming its field, so the form can say it next
to the field; nothing is read or stored before they are right.
"""

from tracing.errors import BadParameters, InvalidAddress
from tracing.model import Chain, checks, normalize_address

__all__ = ["OPTION_FIELDS", "import_options"]

OPTION_FIELDS = ("asset", "contract", "decimals")
_USDT_TRC20 = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"  # a TronScan export's token unless told otherwise
_MAX_DECIMALS = 36


def import_options(fmt: str, **given) -> dict:
    """The options for format ``fmt``, checked and canonical; empty values are left out.

    ``tronscan-csv`` takes all three (a token other than USDT-TRC20 needs both its symbol
    and its contract); ``etherscan-csv`` only ``decimals`` (its rows name the token);
    ``generic-csv`` none (every row names its asset, contract and decimals).

    >>> import_options("tronscan-csv", asset=" USDC ", contract="TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8", decimals="6")
    {'decimals': 6, 'asset': 'USDC', 'contract': 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8'}

    Raises
    ------
    BadParameters
        A value is wrong or does not apply to the format; ``field`` names it.
    """
    given = {k: v.strip() if isinstance(v, str) else v for k, v in given.items() if k in OPTION_FIELDS}
    given = {k: v for k, v in given.items() if v not in (None, "")}
    unused = [
        k for k in OPTION_FIELDS if k in given and (fmt == "generic-csv" or (fmt != "tronscan-csv" and k != "decimals"))
    ]
    if unused:
        where = "every row of a generic CSV" if fmt == "generic-csv" else "every row of an Etherscan export"
        raise BadParameters(unused[0], f"{where} names its token's {unused[0]}: leave this empty")
    options = {}
    if "decimals" in given:
        text = str(given["decimals"])
        if not text.isdigit() or int(text) > _MAX_DECIMALS:
            raise BadParameters("decimals", f"a whole number from 0 to {_MAX_DECIMALS}, got {text[:20]!r}")
        options["decimals"] = int(text)
    if "asset" in given:
        try:
            options["asset"] = checks.symbol(given["asset"])
        except ValueError as err:
            raise BadParameters("asset", str(err)) from None
    if "contract" in given:
        try:
            options["contract"] = normalize_address(str(given["contract"]), Chain.TRON)[1]
        except InvalidAddress as err:
            raise BadParameters("contract", str(err)) from None
    if "asset" in options and "contract" not in options:
        raise BadParameters("contract", "a TronScan export does not name its token: give its contract with its symbol")
    if options.get("contract", _USDT_TRC20) != _USDT_TRC20 and "asset" not in options:
        raise BadParameters("asset", "give the symbol of the token of this contract")
    return options
