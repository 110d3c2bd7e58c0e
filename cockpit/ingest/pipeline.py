"""The load pipeline: read -> detect -> type -> map -> enrich -> validate -> store.

`prepare_file` does everything except writing, so the Data page can show what will happen
and let the analyst correct it; `commit_file` writes one file's sheets in ONE transaction
(a failure anywhere leaves the database exactly as before). `load_files` is both at once,
for the command line and the demo seed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from cockpit import auth, currency, datasets, ledger
from cockpit.ingest import evidence, months_across, scratch
from cockpit.ingest import mapping as mapping_mod
from cockpit.ingest.detect_sheet import analyse_sheet
from cockpit.ingest.errors import IngestError
from cockpit.ingest.mapping import Mapping
from cockpit.ingest.raw_staging import RawStaging, write_grid
from cockpit.ingest.read import Limits, RawSheet, read_file, read_path
from cockpit.ingest.typed import typed_sheet
from cockpit.queries import ident
from cockpit.store import LATEST, Store, audit, sha256, unregister

REJECTS_SHOWN = 50  # rejects kept in the report; all of them go to the rejects table


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
    duplicate_of: dict | None = None

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


# --------------------------------------------------------------------------------------
# prepare


def prepare_file(
    store: Store,
    data: bytes,
    name: str,
    *,
    options: dict[str | None, SheetOptions] | None = None,
    only_sheet: str | None = None,
    limits: Limits | None = None,
    progress=None,
    staging: RawStaging | None = None,
) -> PreparedFile:
    """Read, detect, type, map and validate one file without writing anything.

    `progress(step)` (optional) hears each step, for a progress display. With `staging`, the
    raw grids start going into an open write transaction as soon as the file is read, for a
    commit_file that follows at once (the load command).
    """
    options = options or {}
    say = progress or (lambda step: None)
    say(f"Reading {name}")
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing releases the GIL: beside the read
        hashing = pool.submit(sha256, data)
        try:
            raws = read_file(data, name, limits=limits or Limits())
        except IngestError as exc:
            raws, error = None, str(exc)
        digest = hashing.result()
    prepared = PreparedFile(name=name, data=data, sha256=digest)
    # Loading another sheet of an already loaded workbook (--sheet) is not a duplicate.
    prepared.duplicate_of = ledger.find_duplicate(store, digest, sheet=only_sheet)
    if raws is None:
        prepared.error = error
        return prepared
    if only_sheet is not None:
        wanted = [r for r in raws if r.sheet == only_sheet]
        if not wanted:
            names = ", ".join(repr(r.sheet) for r in raws)
            prepared.error = f"{name}: there is no sheet {only_sheet!r} (sheets: {names})"
            return prepared
        raws = wanted
    if staging is not None and not prepared.duplicate_of:
        staging.start(raws)
    cur = store.cursor()
    try:
        for raw in raws:
            opts = options.get(raw.sheet) or options.get(None) or SheetOptions()
            say(f"Detecting header, types and dataset of {raw.sheet or name}")
            prepared.sheets.append(_prepare_sheet(store, cur, raw, opts))
        say("Mapping across sheets (lookups, batches)")
        _enrich_across_sheets(store, prepared.sheets)
        for sheet in prepared.sheets:
            if sheet.status == "ready":
                say(f"Checking {sheet.name}: required values, rejects, months already loaded")
                _validate(store, sheet)
    except IngestError as exc:
        prepared.error = str(exc)
    finally:
        cur.close()
    if prepared.sheets and not prepared.error and all(map(_has_no_rows, prepared.sheets)):
        # A header-only export would otherwise land as an empty raw-only "load".
        prepared.error = f"{name}: no data rows to load (only a header or blank rows)"
    return prepared


def _has_no_rows(sheet: PreparedSheet) -> bool:
    return sheet.status == "raw-only" and (sheet.analysis is None or sheet.analysis.data_rows == 0)


def _prepare_sheet(store: Store, cur, raw: RawSheet, opts: SheetOptions) -> PreparedSheet:
    analysis = analyse_sheet(raw, date_order=opts.date_order)
    headers = [c.name for c in analysis.columns]
    fp = mapping_mod.fingerprint(raw.sheet, headers)
    sheet = PreparedSheet(
        raw=raw,
        analysis=analysis,
        mapping=Mapping(None, {}),
        fingerprint=fp,
        status="raw-only",
        messages=list(analysis.messages),
    )
    if analysis.kind != "data" or not analysis.columns:
        sheet.mapping = Mapping(None, {}, reasons=[analysis.kind_reason])
        if analysis.kind == "lookup" and analysis.columns:
            # typed so that it can enrich the sheets that name its codes
            sheet.typed = typed_sheet(cur, raw, analysis).table
        if opts.dataset in (None, "raw"):
            return sheet
    typed = typed_sheet(cur, raw, analysis)
    sheet.typed = typed.table
    sheet.placeholders = {k: v for k, v in typed.placeholders.items() if v}
    sheet.rejects = list(typed.rejects)
    if opts.dataset == "raw":
        sheet.mapping = Mapping(None, {}, reasons=["kept raw only, as chosen"])
        return sheet

    saved = mapping_mod.recall(store, fp) if not opts.dataset else None
    proposal = mapping_mod.from_remembered(saved, analysis.columns) if saved else None
    if (proposal is None or proposal.shape) and opts.dataset in (None, "budget", "targets"):
        wide = months_across.detect(
            typed.table, analysis.columns, sheet=raw.sheet, title=analysis.title, file=raw.file
        )
        if wide is not None and opts.dataset in (None, wide.dataset):
            return _months_across_sheet(sheet, wide, proposal)
    if proposal is None or proposal.shape:
        proposal = mapping_mod.propose(analysis, dataset=opts.dataset)
    if opts.columns:
        try:
            proposal = mapping_mod.apply_overrides(proposal, opts.columns, analysis.columns)
        except ValueError as exc:
            raise IngestError(str(exc), file=raw.file, sheet=raw.sheet) from None
    sheet.mapping = proposal
    if proposal.dataset is None:
        return sheet
    if _month_for_undated(proposal, opts.month or month_in_name(raw.file)):
        # the month was what was missing: the other reasons to hold stay
        proposal.held = [h for h in proposal.held if not h.startswith("missing ")]
        proposal.held += [f"missing {x}" for x in proposal.missing_required]
    missing = proposal.missing_required
    if missing:
        if opts.dataset:
            sheet.status = "rejected"
            sheet.messages.append(
                f"{_where(raw)}: cannot load as {opts.dataset}: missing required column(s) "
                + "; ".join(missing)
            )
        else:
            sheet.status = "held"
        return sheet
    _threshold_from_header(proposal)
    sheet.rows = _canonical_rows(typed.table, proposal, {c.name: c.kind for c in analysis.columns})
    sheet.currency = currency.detect(analysis.columns, proposal.columns)
    decided = bool(opts.dataset or proposal.remembered_from)  # the analyst's say-so
    if not decided:
        proposal.held += evidence.plausible(proposal.dataset, sheet.rows)
    sheet.status = "held" if proposal.held and not decided else "ready"
    return sheet


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}  # fmt: skip
_NAME_MONTH = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)[-_. ]?(?P<m>0[1-9]|1[0-2])(?!\d)"
    r"|(?P<name>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-_. ]*(?P<y2>(?:19|20)\d\d)",
    re.I,
)


def month_in_name(file: str) -> dt.date | None:
    """The month a file's name gives: 'calls_2024-03.csv', 'March 2024.xlsx' -> 2024-03-01."""
    found = _NAME_MONTH.search(Path(file).stem)
    if not found:
        return None
    if found["y"]:
        return dt.date(int(found["y"]), int(found["m"]), 1)
    return dt.date(int(found["y2"]), _MONTHS[found["name"][:3].lower()], 1)


_SECONDS_IN_HEADER = re.compile(
    r"(\d+)\s*(?:s|sec|secs|seconds|segundos|secondes|sekunden)\b", re.I
)


def _threshold_from_header(m: Mapping) -> None:
    """'Service Level (20 Seconds)': the 20 s the service level was measured against."""
    src = m.columns.get("service_level_pct")
    if not src or "threshold_seconds" in m.columns or "threshold_seconds" in m.constants:
        return
    if "threshold_seconds" not in datasets.get(m.dataset).column_names:
        return
    found = _SECONDS_IN_HEADER.search(src)
    if found:
        m.constants["threshold_seconds"] = float(found.group(1))
        m.reasons.append(f"threshold_seconds = {found.group(1)} (from {src!r})")


def _month_for_undated(m: Mapping, month: dt.date | None) -> bool:
    """A file with no date column at all covers the month the analyst (or its name) gives;
    True when that month was given to it."""
    ds = datasets.get(m.dataset)
    col = ds.month_column
    dated = any(ds.column(c).type in (datasets.DATE, datasets.TIMESTAMP) for c in m.columns)
    if month is None or col is None or dated or col in m.constants:
        return False
    m.constants[col] = month
    m.reasons.append(f"{col} = {month:%Y-%m} for every row (the file has no dates)")
    return True


def _months_across_sheet(sheet: PreparedSheet, wide, remembered: Mapping | None) -> PreparedSheet:
    """A sheet with one column per month (budgets, plans, sales targets), already unpivoted."""
    sheet.mapping = Mapping(
        wide.dataset,
        {},
        confidence=1.0,
        reasons=[*wide.reasons, *(f"left out {x}" for x in wide.left_out)],
        shape="months across",
        remembered_from=remembered.remembered_from if remembered else None,
    )
    sheet.rows = wide.rows
    sheet.messages += wide.reasons
    sheet.status = "ready"
    return sheet


def suggestion(file: str, sheet: str | None, m: Mapping) -> str:
    """The load command options that would load a held sheet as proposed."""
    parts = [f"--dataset {m.dataset}"]
    if sheet:
        parts.insert(0, f"--sheet {_quote(sheet)}")
    parts += [f"--map {canon}={_quote(src)}" for canon, src in m.columns.items()]
    ds = datasets.get(m.dataset)
    for group in ds.required:  # what the analyst still has to say
        if any(all(c in m.columns or c in m.constants for c in alt) for alt in group):
            continue
        first = group[0][0]
        parts.append("--month YYYY-MM" if first == ds.month_column else f'--map {first}="…"')
    return f"cockpit load {_quote(file)} " + " ".join(parts)


def _quote(text: str) -> str:
    return text if text.replace("_", "").replace("-", "").isalnum() else '"' + text + '"'


def _where(raw: RawSheet) -> str:
    return f"{raw.file}, sheet {raw.sheet!r}" if raw.sheet else raw.file


def _canonical_rows(typed: pa.Table, m: Mapping, kinds: dict[str, str] | None = None) -> pa.Table:
    """Rename, cast and (for wide layouts) unpivot the typed sheet into canonical columns.

    `kinds` (source column -> detected kind) tells durations and times of day apart from
    plain numbers, so they come out in the canonical column's unit."""
    ds = datasets.get(m.dataset)
    kinds = kinds or {}
    base = {}
    for canon, src in m.columns.items():
        col, kind = typed.column(src), kinds.get(src)
        if canon in m.combine:
            base[canon] = _date_and_time(typed.column(m.combine[canon]), col)
        elif ds.column(canon).type == datasets.NUMBER and kind in ("time", "duration"):
            base[canon] = _in_unit(col, kind, canon)
        elif ds.column(canon).type == datasets.BOOL and kind == "text":
            base[canon] = _status_flag(col)
        elif ds.column(canon).type == datasets.BOOL and mapping_mod.normalise(src) in (
            mapping_mod.NEGATED
        ):
            base[canon] = pc.invert(_cast(col, datasets.BOOL))  # 'Overdue' yes = SLA missed
        else:
            base[canon] = _cast(col, ds.column(canon).type)
    for canon, unit_col in m.units.items():
        base[canon] = pc.multiply(base[canon], _unit_factor(typed.column(unit_col), canon))
    for canon, due in m.due.items():
        resolved = _stamp(base["resolved_at"])
        base[canon] = pc.less_equal(resolved, _stamp(typed.column(due)))
    for canon, (start, end) in m.span.items():
        span = pc.minutes_between(_stamp(typed.column(start)), _stamp(typed.column(end)))
        base[canon] = pc.cast(span, pa.float64())
    for canon, value in m.constants.items():
        base[canon] = _cast(pa.array([value] * typed.num_rows), ds.column(canon).type)
    base["_row"] = typed.column("_row").cast(pa.int64())
    if m.unpivot is None:
        return pa.table(base)
    parts = []
    if m.unpivot.kind == "causes":
        labels = cause_labels(m.unpivot.columns)
        for col in m.unpivot.columns:
            minutes = _cast(typed.column(col), datasets.NUMBER)
            keep = pc.and_(pc.is_valid(minutes), pc.not_equal(pc.fill_null(minutes, 0.0), 0.0))
            part = dict(base)
            part["cause"] = pa.array([labels[col]] * typed.num_rows, pa.string())
            part["minutes"] = minutes
            parts.append(pa.table(part).filter(keep))
    else:
        for account, pair in m.unpivot.pairs.items():
            part = dict(base)
            part["account"] = pa.array([account] * typed.num_rows, pa.string())
            part["actual"] = _cast(typed.column(pair["actual"]), datasets.NUMBER)
            part["budget"] = (
                _cast(typed.column(pair["budget"]), datasets.NUMBER)
                if "budget" in pair
                else pa.nulls(typed.num_rows, pa.float64())
            )
            if "kind" not in base:
                part["kind"] = pa.array([account_kind(account)] * typed.num_rows, pa.string())
            keep = pc.or_(pc.is_valid(part["actual"]), pc.is_valid(part["budget"]))
            parts.append(pa.table(part).filter(keep))
    return pa.concat_tables(parts) if parts else pa.table(base).slice(0, 0)


def cause_labels(columns: list[str]) -> dict[str, str]:
    """Each cause column's cause: its name, less a super-header all of them share
    ('Downtime factor 7' -> '7', the code a factors lookup names)."""
    common = os.path.commonprefix(columns) if len(columns) > 1 else ""
    common = common[: common.rfind(" ") + 1] if " " in common else ""
    if common and all(c[len(common) :].strip() for c in columns):
        return {c: c[len(common) :].strip() for c in columns}
    return {c: c for c in columns}


_INCOME_WORDS = ("income", "revenue", "sales", "turnover")


def account_kind(account: str) -> str:
    """'income' for accounts named like income (Sales Income, Revenue), else 'cost'."""
    name = account.lower()
    return "income" if any(w in name for w in _INCOME_WORDS) else "cost"


_IN_MINUTES = {"s": 1 / 60, "sec": 1 / 60, "secs": 1 / 60, "second": 1 / 60, "seconds": 1 / 60,
               "min": 1.0, "mins": 1.0, "minute": 1.0, "minutes": 1.0, "m": 1.0,
               "h": 60.0, "hr": 60.0, "hrs": 60.0, "hour": 60.0, "hours": 60.0,
               "d": 1440.0, "day": 1440.0, "days": 1440.0}  # fmt: skip


def _unit_factor(units: pa.ChunkedArray, canon: str) -> pa.ChunkedArray:
    """Per row, what turns a stated duration in its unit ('hours') into the canonical unit;
    an unknown or blank unit leaves the row's value empty rather than guessing minutes."""
    to_canon = 60.0 if canon.endswith("seconds") else 1.0
    keys = pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(units, pa.string())))
    table = pa.array(list(_IN_MINUTES))
    factors = pa.array([v * to_canon for v in _IN_MINUTES.values()], pa.float64())
    return pc.take(factors, pc.index_in(keys, value_set=table))


# A ticket's status as resolved or not, in the words service desks export (others: unknown).
_DONE = ("resolved", "closed", "solved", "done", "complete", "completed", "fixed",
         "resuelto", "cerrado", "résolu", "resolu", "fermé", "ferme", "gelöst",
         "geschlossen", "erledigt", "resolvido", "fechado", "risolto", "chiuso", "opgelost",
         "gesloten")  # fmt: skip
_OPEN = ("open", "new", "in progress", "pending", "on hold", "waiting", "assigned", "reopened",
         "awaiting customer", "awaiting info", "to do", "escalated", "abierto", "nuevo",
         "ouvert", "nouveau", "offen", "neu", "aberto", "aperto", "nieuw")  # fmt: skip


def _status_flag(col) -> pa.ChunkedArray:
    """True for a resolved/closed status, False for an open one, empty for anything else."""
    words = pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(col, pa.string())))
    done = pc.is_in(words, value_set=pa.array(_DONE))
    still = pc.is_in(words, value_set=pa.array(_OPEN))
    return pc.if_else(done, True, pc.if_else(still, False, pa.scalar(None, pa.bool_())))


def _stamp(col) -> pa.ChunkedArray:
    return pc.cast(col, pa.timestamp("us")) if not pa.types.is_timestamp(col.type) else col


def _date_and_time(day, clock) -> pa.ChunkedArray:
    """One timestamp from a date column and a time-of-day column (a time alone: its date)."""
    day = pc.cast(pc.cast(day, pa.date32()), pa.timestamp("us"))
    if pa.types.is_timestamp(clock.type):  # a timestamp 1899-12-30 hh:mm: only its time counts
        clock = pc.cast(clock, pa.time64("us"))
    micros = pc.cast(pc.cast(clock, pa.time64("us")), pa.int64())
    return pc.add(day, pc.cast(pc.fill_null(micros, 0), pa.duration("us")))


def _in_unit(col, kind: str, canon: str) -> pa.ChunkedArray:
    """A duration (typed as minutes) or a time of day read as a duration, in the canonical
    column's unit: '0:02:39' is 159 for handle_seconds, 2.65 for minutes."""
    if kind == "time":
        micros = pc.cast(pc.cast(col, pa.time64("us")), pa.int64())
        minutes = pc.divide(pc.cast(micros, pa.float64()), 60_000_000.0)
    else:
        minutes = pc.cast(col, pa.float64())
    return pc.multiply(minutes, 60.0) if canon.endswith("seconds") else minutes


def _cast(arr, duck_type: str):
    # Chunked columns are cast chunk by chunk: combining them first would copy every value.
    t = arr.type
    if duck_type == datasets.TEXT:
        if pa.types.is_floating(t):
            # Excel stores ids as floats: 1001.0 should read "1001", not "1001.0".
            integral = pc.all(pc.equal(pc.floor(arr), arr)).as_py()
            if integral in (True, None):
                return pc.cast(pc.cast(arr, pa.int64(), safe=False), pa.string())
        return pc.cast(arr, pa.string())
    if duck_type == datasets.NUMBER:
        if pa.types.is_duration(t) or pa.types.is_time(t):
            return pc.cast(arr, pa.float64(), safe=False)
        return pc.cast(arr, pa.float64())
    if duck_type == datasets.BOOL:
        return pc.cast(arr, pa.bool_())
    if duck_type == datasets.DATE:
        if pa.types.is_timestamp(t):
            return pc.cast(pc.floor_temporal(arr, unit="day"), pa.date32())
        return pc.cast(arr, pa.date32())
    if duck_type == datasets.TIMESTAMP:
        return pc.cast(arr, pa.timestamp("us"))
    raise ValueError(f"unknown canonical type {duck_type}")


# --------------------------------------------------------------------------------------
# enrichment across the sheets of one workbook


def _enrich_across_sheets(store: Store, sheets: list[PreparedSheet]) -> None:
    """Lookup sheets enrich the rows naming them; downtime by batch takes the batch's date;
    a transactions list beside a budget is that budget's actuals."""
    _actuals_beside_budget(sheets)
    ready = [s for s in sheets if s.status == "ready" and s.rows is not None]
    for lookup in sheets:
        if lookup.status == "ready" or lookup.typed is None or lookup.typed.num_columns < 3:
            continue
        if lookup.analysis is None or lookup.analysis.kind not in ("lookup", "data"):
            continue
        used = [t.name for t in ready if _apply_lookup(lookup, t)]
        if used and lookup.status in ("held", "raw-only"):
            # It was a lookup all along: its values are in the sheets it enriches.
            lookup.status = "raw-only"
            lookup.mapping = Mapping(None, {}, reasons=[f"a lookup for sheet {used[0]!r}"])
    for target in ready:
        if target.mapping.dataset == "downtime":
            _dates_from_batches(store, target, ready)


def _actuals_beside_budget(sheets: list[PreparedSheet]) -> None:
    """A transactions list (date, category, amount) in a workbook with a budget: summed per
    month and category as the budget's actuals, categories matched to its accounts."""
    budgets = [
        s for s in sheets
        if s.status == "ready" and s.mapping.dataset == "budget" and s.rows is not None
        and "account" in s.rows.column_names
    ]  # fmt: skip
    if not budgets:
        return
    budget = budgets[0]
    accounts = sorted(set(pc.unique(budget.rows.column("account")).drop_null().to_pylist()))
    units = pc.unique(budget.rows.column("unit")).drop_null().to_pylist()
    unit = units[0] if len(units) == 1 else budget.name
    for s in sheets:
        if s.status not in ("held", "raw-only") or s.typed is None or s.analysis is None:
            continue
        found = months_across.actuals_from_transactions(s.typed, s.analysis.columns, accounts)
        if found is None:
            continue
        rows, reasons = found
        rows = rows.append_column("unit", pa.array([unit] * rows.num_rows, pa.string()))
        if "_row" not in rows.column_names:
            rows = rows.append_column("_row", pa.array(range(1, rows.num_rows + 1), pa.int64()))
        s.rows, s.status = rows, "ready"
        s.mapping = Mapping(
            "budget", {}, confidence=1.0, shape="transactions",
            reasons=[f"the actuals of the budget in sheet {budget.name!r}", *reasons],
        )  # fmt: skip
        s.messages += s.mapping.reasons


def _apply_lookup(lookup: PreparedSheet, target: PreparedSheet) -> bool:
    """Add columns the target lacks from a small code -> value sheet whose codes it names;
    True when it added or named anything."""
    before = len(target.messages)
    ds = datasets.get(target.mapping.dataset)
    key_name = lookup.typed.column_names[0]
    keys = _cast(lookup.typed.column(key_name), datasets.TEXT)
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()  # index_in takes a plain array as its value set
    key_list = keys.to_pylist()
    if not key_list or len(set(key_list)) != len(key_list):
        return False
    for col in target.rows.column_names:
        if col.startswith("_") or ds.column(col).type != datasets.TEXT:
            continue
        values = pc.unique(target.rows.column(col).combine_chunks()).drop_null().to_pylist()
        if not values or sum(v in set(key_list) for v in values) < 0.8 * len(values):
            continue
        idx = pc.index_in(target.rows.column(col), value_set=keys)  # before codes become names
        for src in lookup.typed.column_names[1:]:
            if src == "_row":
                continue
            canon = _best_column(ds, src)
            # The key column itself holds codes ('store id' mapped as site): the lookup's
            # name for the same thing ('Ciudad') replaces them, so filters read as people do.
            named = canon == col
            if canon is None or (
                not named
                and canon in target.rows.column_names
                and target.rows.column(canon).null_count == 0
            ):
                continue
            looked = _cast(lookup.typed.column(src), ds.column(canon).type)
            filled = pc.take(looked, idx)
            if named:
                i = target.rows.column_names.index(canon)
                target.rows = target.rows.set_column(
                    i, canon, pc.coalesce(filled, target.rows.column(canon))
                )
                target.messages.append(
                    f"{canon}: codes replaced by {src!r} from sheet {lookup.name!r}"
                )
                continue
            if canon in target.rows.column_names:
                i = target.rows.column_names.index(canon)
                filled = pc.coalesce(target.rows.column(canon), filled)
                target.rows = target.rows.set_column(i, canon, filled)
            else:
                target.rows = target.rows.append_column(canon, filled)
            target.messages.append(f"{canon} taken from sheet {lookup.name!r} by {col}")
    return len(target.messages) > before


def _best_column(ds: datasets.Dataset, header: str) -> str | None:
    best, score = None, 0.0
    for c in ds.columns:
        s = mapping_mod._match_score(header, ds.name, c.name)
        if s > score:
            best, score = c.name, s
    return best if score >= 0.85 else None


def _dates_from_batches(store: Store, target: PreparedSheet, ready: list[PreparedSheet]) -> None:
    rows = target.rows
    if "batch" not in rows.column_names:
        return
    if "date" in rows.column_names and rows.column("date").null_count == 0:
        return
    keys: list = []
    dates: list = []
    extra: dict[str, list] = {"site": [], "line": []}
    for s in ready:
        if s.mapping.dataset == "production" and {"batch", "date"} <= set(s.rows.column_names):
            keys += s.rows.column("batch").to_pylist()
            dates += s.rows.column("date").to_pylist()
            for k in extra:
                extra[k] += (
                    s.rows.column(k).to_pylist()
                    if k in s.rows.column_names
                    else [None] * s.rows.num_rows
                )
    source = "the production sheet"
    if not keys:
        wanted = pc.unique(rows.column("batch").combine_chunks()).drop_null().to_pylist()
        found = store.rows(
            """SELECT batch, min(date) AS date, min(site) AS site, min(line) AS line
               FROM production_asof($latest) WHERE list_contains($batches, batch) GROUP BY batch""",
            {"latest": LATEST, "batches": wanted},
        )
        keys = [r["batch"] for r in found]
        dates = [r["date"] for r in found]
        extra = {k: [r[k] for r in found] for k in extra}
        source = "production already loaded"
    if not keys:
        return
    key_arr = pa.array(keys, pa.string())
    idx = pc.index_in(rows.column("batch"), value_set=key_arr)
    for col, values, typ in [
        ("date", dates, pa.date32()),
        ("site", extra["site"], pa.string()),
        ("line", extra["line"], pa.string()),
    ]:
        filled = pc.take(pa.array(values, typ), idx)
        if col in rows.column_names:
            i = rows.column_names.index(col)
            rows = rows.set_column(i, col, pc.coalesce(rows.column(col), filled))
        else:
            rows = rows.append_column(col, filled)
    target.rows = rows
    target.messages.append(f"dates taken from {source} by batch")


# --------------------------------------------------------------------------------------
# validation


def _validate(store: Store, sheet: PreparedSheet) -> None:
    """Reject rows with failed or missing required values; flag impossible ones."""
    ds = datasets.get(sheet.mapping.dataset)
    rows = sheet.rows
    mapped_sources = {v: k for k, v in sheet.mapping.columns.items()}
    if sheet.mapping.unpivot:
        up = sheet.mapping.unpivot
        for c in up.columns:
            mapped_sources[c] = "minutes"
        for pair in up.pairs.values():
            for part, c in pair.items():
                mapped_sources[c] = part
    # Cells that failed to parse in mapped columns reject their row, with the reason.
    bad: dict[int, dict] = {}
    for r in sheet.rejects:
        if r["column"] in mapped_sources and r["row"] not in bad:
            bad[r["row"]] = {**r, "canonical": mapped_sources[r["column"]]}
    rows = _date_fallback(ds, rows, sheet)
    # Required values missing.
    for group in ds.required:
        present = None
        for alt in group:
            if not all(c in rows.column_names for c in alt):
                continue
            ok = None
            for c in alt:
                v = pc.is_valid(rows.column(c))
                ok = v if ok is None else pc.and_(ok, v)
            present = ok if present is None else pc.or_(present, ok)
        if present is None:
            continue
        missing = rows.column("_row").filter(pc.invert(present)).to_pylist()
        label = " or ".join("+".join(a) for a in group)
        for rn in missing:
            if rn not in bad:
                bad[rn] = {"row": rn, "column": label, "value": None, "reason": f"{label} is empty"}
    sheet.rejects = sorted(bad.values(), key=lambda r: r["row"])
    if bad:
        keep = pc.invert(pc.is_in(rows.column("_row"), value_set=pa.array(list(bad), pa.int64())))
        rows = rows.filter(keep)
    rows = _derive(ds, rows)
    rows = _drop_repeated_records(ds, rows, sheet)
    sheet.rows = rows
    sheet.warnings = [*sheet.warnings, *_flags(ds, rows)]
    month_col = next(
        (
            c
            for c in (ds.month_column, getattr(ds, "month_fallback", None))
            if c in rows.column_names
        ),
        None,
    )
    if month_col is not None:
        col = rows.column(month_col)
        if pa.types.is_timestamp(col.type):
            col = pc.cast(col, pa.date32())
        months = pc.unique(pc.floor_temporal(col, unit="month")).drop_null()
        sheet.months = sorted(months.to_pylist())
    sheet.overlap = ledger.overlapping_months(store, ds.name, sheet.months)


# A row whose reporting date is blank takes the next date it has, rather than being lost
# (a delivery line with no PO date still has its scheduled and delivered dates); said.
DATE_FALLBACKS = {"orders": ("order_date", ("ship_date", "promised_date", "delivered_date"))}


def _date_fallback(ds: datasets.Dataset, rows: pa.Table, sheet: PreparedSheet) -> pa.Table:
    if ds.name not in DATE_FALLBACKS or rows.num_rows == 0:
        return rows
    target, others = DATE_FALLBACKS[ds.name]
    if target not in rows.column_names:
        return rows
    col = rows.column(target)
    for other in others:
        blank = col.null_count
        if not blank or other not in rows.column_names:
            continue
        alt = rows.column(other)
        if pa.types.is_timestamp(alt.type) != pa.types.is_timestamp(col.type):
            alt = pc.cast(alt, col.type)
        col = pc.coalesce(col, alt)
        filled = blank - col.null_count
        if filled:
            src = sheet.mapping.columns.get(target, target)
            sheet.warnings.append(
                f"{filled:,} rows have no {src!r}: dated by "
                f"{sheet.mapping.columns.get(other, other)!r} instead"
            )
    return rows.set_column(rows.column_names.index(target), target, col)


def _derive(ds: datasets.Dataset, rows: pa.Table) -> pa.Table:
    """Columns DESIGN.md defines from others: cost from profit, planned from start/end,
    months as the first day."""
    names = rows.column_names
    if ds.name == "orders" and "cost" not in names and {"revenue", "profit"} <= set(names):
        rows = rows.append_column(
            "cost", pc.subtract(rows.column("revenue"), rows.column("profit"))
        )
    if (
        ds.name == "production"
        and "planned_minutes" not in names
        and {"start_time", "end_time"} <= set(names)
    ):
        start, end = rows.column("start_time"), rows.column("end_time")
        # A run from 23:10 to 01:40 (times of day on the run's date) ends the next day.
        overnight = pc.fill_null(pc.less(end, start), False)
        end = pc.if_else(overnight, pc.add(end, pa.scalar(dt.timedelta(days=1))), end)
        rows = rows.set_column(rows.column_names.index("end_time"), "end_time", end)
        span = pc.minutes_between(start, end)
        rows = rows.append_column("planned_minutes", pc.cast(span, pa.float64()))
    for col in ("month",):
        if ds.name in ("budget", "targets") and col in names:
            i = names.index(col)
            rows = rows.set_column(i, col, pc.floor_temporal(rows.column(col), unit="month"))
    return rows


# Datasets whose rows are records with an id: an exact repeat of a record (same id, same
# everything) is the export listing it twice, not a second ticket.
RECORD_IDS = {"contacts": "contact_id"}


def _drop_repeated_records(ds: datasets.Dataset, rows: pa.Table, sheet: PreparedSheet) -> pa.Table:
    key = RECORD_IDS.get(ds.name)
    if key not in rows.column_names or rows.num_rows == 0:
        return rows
    data_cols = [c for c in rows.column_names if not c.startswith("_")]
    if not _duplicate_rows(rows.select(data_cols)):
        return rows
    cols, k = ", ".join(map(ident, data_cols)), ident(key)
    con = scratch.cursor()
    try:
        con.register("t", rows)
        kept = con.sql(
            f"SELECT * FROM t WHERE {k} IS NULL OR _row IN"
            f" (SELECT min(_row) FROM t WHERE {k} IS NOT NULL GROUP BY {cols}) ORDER BY _row"
        ).to_arrow_table()
    finally:
        con.close()
    dropped = rows.num_rows - kept.num_rows
    if dropped:
        sheet.warnings.append(
            f"{dropped:,} repeated rows dropped (same {key} and every other value as an "
            "earlier row)"
        )
    return kept.cast(rows.schema)


def _duplicate_rows(table: pa.Table) -> int:
    """Rows identical to an earlier row (DuckDB hashes in parallel; pyarrow's group_by is slower).

    Identical rows hash alike, so all-distinct row hashes prove there are none; only a table
    with a repeated hash (duplicates, or a rare collision) is compared cell by cell.
    """
    cols = ", ".join(map(ident, table.column_names))
    con = scratch.cursor()
    try:
        con.register("t", table)
        total, hashes = con.execute(
            f"SELECT count(*), count(DISTINCT hash({cols})) FROM t"
        ).fetchone()
        if hashes == total:
            return 0
        return con.execute(
            "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM t)) FROM t"
        ).fetchone()[0]
    finally:
        con.close()


def _flags(ds: datasets.Dataset, rows: pa.Table) -> list[str]:
    """Impossible or suspicious values: flagged for the analyst, rows kept."""
    out = []
    names = set(rows.column_names)
    if ds.name == "orders" and {"order_date", "ship_date"} <= names:
        n = pc.sum(pc.less(rows.column("ship_date"), rows.column("order_date"))).as_py() or 0
        if n:
            out.append(f"{n} rows ship before they were ordered")
    for col in (
        "quantity",
        "units",
        "minutes",
        "planned_minutes",
        "wait_seconds",
        "handle_seconds",
    ):
        if col in names:
            n = pc.sum(pc.less(rows.column(col), 0)).as_py() or 0
            if n:
                out.append(f"{n} rows have a negative {col}")
    data_cols = [c for c in rows.column_names if not c.startswith("_")]
    if data_cols and rows.num_rows:
        dupes = _duplicate_rows(rows.select(data_cols))
        if dupes:
            out.append(f"{dupes} duplicate rows (identical in every mapped column)")
    return out


# --------------------------------------------------------------------------------------
# commit


def commit_file(
    store: Store,
    prepared: PreparedFile,
    *,
    replace: bool | dict[str | None, bool] = True,
    user: str | auth.User | None = None,
    is_demo: bool = False,
    staging: RawStaging | None = None,
) -> FileReport:
    """Store one prepared file in a single transaction and report what happened.

    `user` is an auth.User (checked for the upload right) or a trusted command-line name.
    With `staging` (see raw_staging), the transaction it opened, holding the raw grids
    already written, is the one committed; a file that is not stored rolls it back.
    `replace` (the default, the same in the app, the CLI and the API): the rows replace the
    live rows of the months (and sites) they cover; False appends beside them.
    """
    if isinstance(user, auth.User):
        auth.require(user, "upload")
        user = user.name
    report = FileReport(file=prepared.name, sha256=prepared.sha256, status="loaded")
    if prepared.error:
        report.status = "rejected"
        report.messages.append(prepared.error)
        report.sheets = [_sheet_report(prepared, s, status="rejected") for s in prepared.sheets]
        return report
    if prepared.duplicate_of:
        d = prepared.duplicate_of
        when = d["loaded_at"].strftime("%Y-%m-%d %H:%M") if d.get("loaded_at") else "earlier"
        report.status = "duplicate"
        report.messages.append(
            f"{prepared.name}: already loaded on {when} as load {d['load_id']}; nothing loaded"
        )
        report.sheets = [_sheet_report(prepared, s, status="duplicate") for s in prepared.sheets]
        return report
    rejected = [s for s in prepared.sheets if s.status == "rejected"]
    if rejected:
        report.status = "rejected"
        for s in rejected:
            report.messages += s.messages
        report.sheets = [
            _sheet_report(prepared, s, status="rejected" if s in rejected else "not loaded")
            for s in prepared.sheets
        ]
        return report
    # The original bytes are written beside the database while the rows go in; the
    # transaction commits only once they are safely kept.
    with ThreadPoolExecutor(max_workers=1) as pool:
        kept = pool.submit(store.keep_upload, prepared.data, prepared.name, prepared.sha256)
        ahead = staging is not None and staging.active
        with staging.transaction() if ahead else store.transaction() as cur:
            for s in prepared.sheets:
                report.sheets.append(
                    _commit_sheet(cur, prepared, s, replace, user, is_demo, staging)
                )
            audit(
                cur,
                user,
                "load",
                {
                    "file": prepared.name,
                    "sha256": prepared.sha256,
                    "loads": [r.load_id for r in report.sheets],
                },
            )
            kept.result()
    return report


DISK_ERRORS = (OSError, duckdb.IOException)


def disk_failure(name: str, data: bytes, exc: Exception) -> FileReport:
    """The report of a file whose commit failed on the disk (nothing was stored)."""
    what = "storing the file; nothing was loaded"
    if isinstance(exc, OSError):
        message = scratch.os_error_message(exc, what)
    elif "space" in str(exc).lower():
        message = f"the disk is full while {what}"
    else:
        message = f"a disk error while {what}: {str(exc).splitlines()[0][:120]}"
    return FileReport(
        file=name, sha256=sha256(data), status="rejected", messages=[f"{name}: {message}"]
    )


def _commit_sheet(
    cur, prepared, s: PreparedSheet, replace, user, is_demo, staging: RawStaging | None
) -> SheetReport:
    rep = (
        isinstance(replace, dict)
        and replace.get(s.raw.sheet, replace.get(None, False))
        or (replace is True)
    )
    status = "loaded" if s.status == "ready" else "raw-only"
    entry = ledger.new_entry(
        cur,
        file=prepared.name,
        sheet=s.raw.sheet,
        sha256=prepared.sha256,
        dataset=s.mapping.dataset if status == "loaded" else None,
        status="loading",
        user=user,
        replace=bool(rep) and status == "loaded",
        is_demo=is_demo,
        layout_fp=s.fingerprint,
        mapping=s.mapping.to_dict(),
    )
    raw_table = f"raw_{int(entry.load_id)}"
    if staging is None or not staging.take(cur, s.raw, raw_table):
        write_grid(cur, s.raw.table, raw_table)
    cur.execute(
        "UPDATE loads SET raw_table = $t WHERE load_id = $id", {"t": raw_table, "id": entry.load_id}
    )
    info = {}
    rows = 0
    if status == "loaded":
        info = ledger.insert_rows(cur, entry.load_id, s.mapping.dataset, s.rows, replace=bool(rep))
        rows = s.rows.num_rows
        mapping_mod.remember(
            cur, s.fingerprint, s.mapping, file=prepared.name, load_id=entry.load_id, options={}
        )
        if s.currency:
            cur.execute(
                "INSERT OR REPLACE INTO settings VALUES ($k, $v)",
                {"k": currency.DETECTED, "v": json.dumps(s.currency)},
            )
    if s.rejects:
        rej = pa.table(
            {
                "load_id": pa.array([entry.load_id] * len(s.rejects), pa.int64()),
                "row_number": pa.array([r["row"] for r in s.rejects], pa.int64()),
                "column_name": pa.array([r.get("column") for r in s.rejects], pa.string()),
                "reason": pa.array([r["reason"] for r in s.rejects], pa.string()),
                "raw": pa.array(
                    [json.dumps({"value": r.get("value")}, default=str) for r in s.rejects],
                    pa.string(),
                ),
            }
        )
        cur.register("_rej", rej)
        try:
            cur.execute(
                "INSERT INTO rejects SELECT load_id, row_number, column_name, reason, raw FROM _rej"
            )
        finally:
            unregister(cur, "_rej")
    sheet_rep = _sheet_report(prepared, s, status=status)
    sheet_rep.load_id = entry.load_id
    sheet_rep.rows_loaded = rows
    if info.get("superseded_segments"):
        sheet_rep.messages.append(
            f"replaced earlier rows in {len(s.overlap) or len(info['months'])} month(s)"
        )
    elif status == "loaded" and not rep:
        beside = ledger.overlapping_rows(cur, entry.load_id, s.mapping.dataset)
        if beside:
            sheet_rep.messages.append(
                f"appended: {beside:,} rows already loaded for the same months and sites"
                " stay beside these (replacing them is the default)"
            )
    ledger.finish_entry(
        cur,
        entry.load_id,
        status=status,
        rows=rows,
        rejected=len(s.rejects) if status == "loaded" else 0,
        report=sheet_rep.to_dict(),
    )
    return sheet_rep


def _sheet_report(prepared: PreparedFile, s: PreparedSheet, *, status: str) -> SheetReport:
    reasons = (
        Counter(_reason_kind(r["reason"]) for r in s.rejects)
        if status not in ("raw-only", "held")
        else Counter()
    )
    msgs = list(s.messages) + list(s.warnings)
    for col, ph in s.placeholders.items():
        total = sum(ph.values())
        shown = ", ".join(f"{k!r} x{v}" for k, v in list(ph.items())[:3])
        msgs.append(f"column {col!r}: {total} placeholder values read as empty ({shown})")
    if s.status == "raw-only" and status != "rejected" and s.mapping.reasons:
        msgs.append("kept raw only: " + "; ".join(s.mapping.reasons))
    if s.mapping.remembered_from:
        msgs.append(f"same layout as {s.mapping.remembered_from}: mapped automatically")
    held = s.status == "held" and status == "raw-only"
    if held:
        status = "held"
        msgs.append(
            f"held for review: looks like {s.mapping.dataset} but "
            + "; ".join(s.mapping.held)
            + ". Kept raw only; to load it: "
            + suggestion(prepared.name, s.raw.sheet, s.mapping)
        )
    return SheetReport(
        file=prepared.name,
        sheet=s.raw.sheet,
        kind=s.analysis.kind if s.analysis is not None else "unknown",
        dataset=s.mapping.dataset if not held and s.status != "raw-only" else None,
        status=status,
        proposed=s.mapping.to_dict() if held else None,
        hold_reasons=list(s.mapping.held) if held else [],
        suggestion=suggestion(prepared.name, s.raw.sheet, s.mapping) if held else None,
        rows_rejected=len(s.rejects) if status not in ("raw-only", "held") else 0,
        rejects=s.rejects[:REJECTS_SHOWN] if status not in ("raw-only", "held") else [],
        reject_reasons=dict(reasons),
        months=[m.strftime("%Y-%m") for m in s.months],
        confidence=s.mapping.confidence if s.mapping.dataset else None,
        mapping=dict(s.mapping.columns),
        messages=msgs,
    )


def _reason_kind(reason: str) -> str:
    return reason.split(":")[0].split("(")[0].strip()[:80]


# --------------------------------------------------------------------------------------
# one call: files in, report out


def load_files(
    store: Store,
    files: list[tuple[str, bytes]] | list[Path] | list[str],
    *,
    replace: bool = True,
    user: str | auth.User | None = None,
    is_demo: bool = False,
    dataset: str | None = None,
    sheet: str | None = None,
    columns: dict[str, str] | None = None,
    limits: Limits | None = None,
    month: dt.date | None = None,
) -> LoadReport:
    """Load files (paths or (name, bytes)) end to end; each file is its own transaction."""
    report = LoadReport()
    opts = {None: SheetOptions(dataset=dataset, columns=dict(columns or {}), month=month)}
    for f in files:
        if isinstance(f, tuple):
            name, data = f
        else:
            path = Path(f)
            name = path.name
            try:
                data = read_path(path, limits)  # the size is checked before reading
            except IngestError as exc:
                report.files.append(
                    FileReport(file=name, sha256="", status="rejected", messages=[str(exc)])
                )
                continue
        staging = RawStaging(store)
        try:
            prepared = prepare_file(
                store, data, name, options=opts, only_sheet=sheet, limits=limits, staging=staging
            )
            report.files.append(
                commit_file(
                    store, prepared, replace=replace, user=user, is_demo=is_demo, staging=staging
                )
            )
        except IngestError as exc:
            report.files.append(
                FileReport(file=name, sha256=sha256(data), status="rejected", messages=[str(exc)])
            )
        except DISK_ERRORS as exc:  # disk full, read-only data directory
            report.files.append(disk_failure(name, data, exc))
        finally:
            staging.close()  # rolls back grids of a file that was not stored
    return report
