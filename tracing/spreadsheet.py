"""CSV cells a spreadsheet will not run: text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is a formula to Excel and LibreOffice (``=HYPERLINK(...)`` in an imported
hash or symbol would run on the investigator's machine), so it gets a leading ``'``.

>>> safe_cell("=HYPERLINK(\\"http://evil.example\\")"), safe_cell("1500.25"), safe_cell(-3)
('\\'=HYPERLINK("http://evil.example")', '1500.25', -3)
"""

from collections.abc import Iterable, Mapping

__all__ = ["FORMULA_STARTS", "safe_cell", "safe_records"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` unchanged unless it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_records(records: Iterable[Mapping]) -> Iterable[dict]:
    """Each record with every cell made safe (for ``csv.DictWriter.writerows``)."""
    return ({key: safe_cell(value) for key, value in record.items()} for record in records)
