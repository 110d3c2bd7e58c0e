"""What detection says of a column (ColumnProfile) and of a sheet (SheetAnalysis), shared by
the detectors and by the typing that follows them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Header words that make a column's numbers or text dates rather than amounts.
DATE_NAME = re.compile(
    r"date|\bday\b|month|period|\bdt\b|\bwhen\b|created|opened|closed|resolved|shipped"
    r"|delivered|posted|\bon\b|timestamp",
    re.I,
)
# Compact dates (250115) are read only under a header like these (ids and amounts look alike).
COMPACT_DATE_NAME = re.compile(DATE_NAME.pattern + r"|interval|\bstart|\bweek\b", re.I)


@dataclass
class ColumnProfile:
    index: int
    name: str
    kind: str  # date | timestamp | time | duration | number | percent | bool | text | empty
    evidence: str
    date_order: str | None = None
    ambiguous: str | None = None
    placeholders: dict[str, int] = field(default_factory=dict)
    null_count: int = 0
    sample: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)  # strptime formats for text dates/times
    serial: bool = False  # Excel serial day numbers
    epoch1904: bool = False  # serials counted from 1904-01-01 (a workbook's 1904 date system)
    marker: bool = False  # an 'x'-or-blank yes/no column: blank is false
    bad_count: int = 0  # values that are neither the kind nor a placeholder (rejected later)
    bad_sample: list[str] = field(default_factory=list)
    distinct: int = 0  # distinct non-blank values
    fast_length: int | None = None  # values of this length try fast_format first: the format
    fast_format: str | None = None  # the full list picks for the column's commonest length
    clean: bool = False  # every value has the plain form (clean_columns): no trim, no failures
    # A text column most of whose values read as another kind (too few for the whole column):
    # that kind's profile (kind, date_order, formats, serial, epoch1904), so that a column
    # mapped to a date or a number reads its good values and rejects the rest.
    near: dict | None = None
    # The column's decimal separator, when its own values or the file's convention decide it
    # (None: the sheet's); and why the sheet must be held when nothing decides it ('1.010').
    decimal_comma: bool | None = None
    number_ambiguous: str | None = None


@dataclass
class SheetAnalysis:
    file: str
    sheet: str | None
    kind: str  # data | lookup | notes | pivot | empty
    kind_reason: str
    title: str | None
    header_rows: list[int]
    data_start: int
    data_stop: int
    excluded_rows: list[tuple[int, str]]
    columns: list[ColumnProfile]
    messages: list[str] = field(default_factory=list)

    @property
    def data_rows(self) -> int:
        """Rows kept as data (the range less the excluded rows)."""
        inside = sum(1 for r, _ in self.excluded_rows if self.data_start <= r < self.data_stop)
        return self.data_stop - self.data_start - inside
