"""CSV downloads that a spreadsheet opens as data, never as formulas (CSV injection).

A cell starting with = + - @ (or a tab or carriage return, which some spreadsheets skip
before looking) is read by Excel, LibreOffice and Google Sheets as a formula: `=HYPERLINK(..)`
or `+cmd|...` from an uploaded file would run on the reader's machine. Such text cells get a
leading apostrophe (OWASP's advice), so they show as typed. Numbers stay numbers: -5 is a
number column's value, not text, and is written as is.
"""

from __future__ import annotations

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """`value` made safe for a CSV cell: text starting with a trigger gets a leading '."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with every text cell (and header) neutralised."""
    safe = df.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    # CRLF rows (RFC 4180): a cell holding a lone CR is then quoted, not split in two.
    return safe.to_csv(index=False, lineterminator="\r\n").encode()
