"""What the load's stages hand each other: the analyst's options for a sheet, the prepared
file and its sheets (everything but the writing), and the reports of what was stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from cockpit.ingest.mapping import Mapping
from cockpit.ingest.read import RawSheet


@dataclass
class SheetOptions:
    """What the analyst chose for a sheet: a dataset ('raw' keeps it raw only), column
    overrides (canonical -> source header, None to unmap), the date order, or skip."""

    dataset: str | None = None
    columns: dict[str, str | None] = field(default_factory=dict)
    date_order: str | None = None
    replace: bool | None = None
    month: dt.date | None = None  # the month a file without dates covers (analyst's word)


@dataclass
class PreparedSheet:
    raw: RawSheet
    analysis: object | None
    mapping: Mapping
    fingerprint: str
    status: str  # ready | held (a proposal waiting for the analyst) | raw-only | rejected
    rows: pa.Table | None = None  # canonical rows to store, with _row
    rejects: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    placeholders: dict[str, dict[str, int]] = field(default_factory=dict)
    months: list[dt.date] = field(default_factory=list)
    overlap: list[dt.date] = field(default_factory=list)
    typed: pa.Table | None = None  # the typed sheet (source names), for previews
    currency: str | None = None  # the symbol its money columns are written with, if any
    # The live load of this sheet of the same bytes when checked (a preview: the commit
    # decides again, with the ledger as it is then).
    duplicate_of: dict | None = None
    dropped: list[int] = field(default_factory=list)  # rows a recipe's `where` left out
    recipe_toml: str | None = None  # held for a saved recipe's drifted layout: that recipe

    @property
    def name(self) -> str:
        return self.raw.sheet or Path(self.raw.file).name

    @property
    def dataset(self) -> str | None:
        return self.mapping.dataset if self.status == "ready" else None


@dataclass
class PreparedFile:
    name: str
    data: bytes
    sha256: str
    sheets: list[PreparedSheet] = field(default_factory=list)
    error: str | None = None
    duplicate_of: dict | None = None  # every sheet was live when checked (a preview)

    @property
    def held(self) -> bool:
        """A sheet waits for the analyst's confirmation (the Data page loads it after that)."""
        return any(s.status == "held" for s in self.sheets)

    @property
    def status(self) -> str:
        if self.error or any(s.status == "rejected" for s in self.sheets):
            return "rejected"
        if self.duplicate_of:
            return "duplicate"
        return "ready"


@dataclass
class SheetReport:
    file: str
    sheet: str | None
    kind: str
    dataset: str | None
    status: str  # loaded | duplicate | rejected | raw-only | held (kept raw, a proposal waits)
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejects: list[dict] = field(default_factory=list)
    reject_reasons: dict[str, int] = field(default_factory=dict)
    load_id: int | None = None
    months: list[str] = field(default_factory=list)
    confidence: float | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    proposed: dict | None = None  # held: the dataset and mapping that would load it
    hold_reasons: list[str] = field(default_factory=list)  # held: what is missing
    suggestion: str | None = None  # held: the command-line options that would load it
    recipe: str | None = None  # held: the proposed recipe (TOML) to check, edit and load with
    # replaced: per earlier load whose rows this one superseded (load_id, file, recipe, rows,
    # months, sites, said)
    superseded: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class FileReport:
    file: str
    sha256: str
    status: str  # loaded | duplicate | rejected
    messages: list[str] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            **{k: v for k, v in self.__dict__.items() if k != "sheets"},
            "sheets": [s.to_dict() for s in self.sheets],
        }


@dataclass
class LoadReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no file and no sheet was rejected."""
        return all(
            f.status != "rejected" and all(s.status != "rejected" for s in f.sheets)
            for f in self.files
        )

    def to_dict(self) -> dict:
        return {"ok": self.ok, "files": [f.to_dict() for f in self.files]}
