"""What every dcc.Upload on the pages shares: its data URL decoded, or one clear error."""

import base64
import binascii

from tracing.errors import ImportFormatError

__all__ = ["upload_bytes"]


def upload_bytes(contents: str, filename: str) -> bytes:
    """The bytes of a dcc.Upload ``contents`` data URL; :class:`ImportFormatError` when it did not arrive whole.

    >>> upload_bytes("data:text/csv;base64,YSxi", "t.csv")
    b'a,b'
    """
    try:
        return base64.b64decode(contents.partition(",")[2], validate=True)
    except (ValueError, binascii.Error):
        raise ImportFormatError(f"{filename}: the upload did not arrive whole; try again") from None
