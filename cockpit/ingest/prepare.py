"""Prepare one sheet: detect its layout and types, map it to a dataset (or to months across
the columns) and turn it into canonical rows; or hold it for the analyst, or keep it raw.

Nothing here looks at the other sheets of the workbook (enrich does) or writes anything.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from cockpit import currency, datasets
from cockpit.ingest import evidence, months_across
from cockpit.ingest import mapping as mapping_mod
from cockpit.ingest.detect_sheet import analyse_sheet
from cockpit.ingest.detect_types import date_formats
from cockpit.ingest.errors import IngestError
from cockpit.ingest.mapping import Mapping
from cockpit.ingest.model import PreparedSheet, SheetOptions
from cockpit.ingest.read import RawSheet
from cockpit.ingest.typed import typed_sheet
from cockpit.store import Store


def prepare_sheet(
    store: Store, cur, raw: RawSheet, opts: SheetOptions, *, restates: str | None = None
) -> PreparedSheet:
    """`restates`: why the sheet is formulas restating other sheets (formulas.py): then it is
    kept raw unless the analyst names a dataset."""
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
    if restates and not opts.dataset:
        sheet.mapping = Mapping(None, {}, reasons=[restates])
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
        proposal = mapping_mod.propose(analysis, dataset=opts.dataset, table=typed.table)
    if opts.columns:
        try:
            proposal = mapping_mod.apply_overrides(proposal, opts.columns, analysis.columns)
        except ValueError as exc:
            raise IngestError(str(exc), file=raw.file, sheet=raw.sheet) from None
    sheet.mapping = proposal
    if proposal.dataset is None:
        return sheet
    if _month_for_undated(proposal, opts.month or month_in_name(raw.file), analysis.columns):
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
    kinds = _read_as_mapped(cur, raw, analysis, proposal, typed, opts.date_order)
    sheet.typed, sheet.rejects = typed.table, list(typed.rejects)
    sheet.rows = canonical_rows(typed.table, proposal, kinds)
    sheet.currency = currency.detect(analysis.columns, proposal.columns)
    decided = bool(opts.dataset or proposal.remembered_from)  # the analyst's say-so
    if not decided:
        proposal.held += evidence.plausible(proposal.dataset, sheet.rows)
        proposal.held += _ambiguous_numbers(analysis, proposal)
    sheet.status = "held" if proposal.held and not decided else "ready"
    return sheet


def _ambiguous_numbers(analysis, proposal: Mapping) -> list[str]:
    """Mapped columns whose numbers may be thousands or decimals ('1.010'): never guessed."""
    used = set(proposal.columns.values())
    return [
        f"column {c.name!r}: {c.number_ambiguous}"
        for c in analysis.columns
        if c.number_ambiguous and c.name in used
    ]


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


DATE_KINDS = ("date", "timestamp")


def has_dates(profiles) -> bool:
    """The sheet has a column of dates (or one most of whose values are dates): then it is
    dated by its rows, never stamped with one month for the whole file."""
    return any(p.kind in DATE_KINDS or (p.near or {}).get("kind") in DATE_KINDS for p in profiles)


def _month_for_undated(m: Mapping, month: dt.date | None, profiles) -> bool:
    """A file with no date column at all covers the month the analyst (or its name) gives;
    True when that month was given to it."""
    ds = datasets.get(m.dataset)
    col = ds.month_column
    dated = has_dates(profiles) or any(
        ds.column(c).type in (datasets.DATE, datasets.TIMESTAMP) for c in m.columns
    )
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


_READ_AS = {datasets.DATE: "date", datasets.TIMESTAMP: "timestamp", datasets.NUMBER: "number"}


def _read_as_mapped(cur, raw, analysis, m: Mapping, typed, date_order) -> dict[str, str]:
    """Columns mapped to a date, timestamp or number that were typed as something else (text
    with too many bad values, or the analyst's pick of another column) are read again as the
    canonical type: good values load, each bad one rejects its row with the reason, where the
    cast used to fail the whole sheet. Updates `typed`; returns each column's kind as read."""
    kinds = {c.name: c.kind for c in analysis.columns}
    by_name = {c.name: c for c in analysis.columns}
    again = {}
    for canon, src in m.columns.items():
        want = _READ_AS.get(datasets.get(m.dataset).column(canon).type)
        p = by_name.get(src)
        if want is None or p is None or canon in m.combine or src in again:
            continue
        fits = mapping_mod.COMPATIBLE[datasets.get(m.dataset).column(canon).type]
        if p.kind in fits:
            continue
        near = p.near if p.near and p.near["kind"] in fits else None
        if near is None:
            order = date_order or "dmy"
            near = {"kind": want, "date_order": order if want != "number" else None,
                    "formats": date_formats(order) if want != "number" else [],
                    "serial": False, "epoch1904": False}  # fmt: skip
        again[src] = replace(p, **near, clean=False, fast_length=None, fast_format=None,
                             marker=False, near=None, evidence=f"read as {near['kind']}")  # fmt: skip
    if not again:
        return kinds
    redone = typed_sheet(cur, raw, replace(analysis, columns=list(again.values())))
    table = typed.table
    for name, p in again.items():
        table = table.set_column(table.column_names.index(name), name, redone.table[name])
        kinds[name] = p.kind
    typed.table = table
    typed.rejects = sorted(
        [r for r in typed.rejects if r["column"] not in again] + redone.rejects,
        key=lambda r: r["row"],
    )
    return kinds


def _where(raw: RawSheet) -> str:
    return f"{raw.file}, sheet {raw.sheet!r}" if raw.sheet else raw.file


def canonical_rows(typed: pa.Table, m: Mapping, kinds: dict[str, str] | None = None) -> pa.Table:
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
            base[canon] = pc.invert(cast(col, datasets.BOOL))  # 'Overdue' yes = SLA missed
        else:
            base[canon] = cast(col, ds.column(canon).type)
    for canon, unit_col in m.units.items():
        base[canon] = pc.multiply(base[canon], _unit_factor(typed.column(unit_col), canon))
    for canon, due in m.due.items():
        resolved = _stamp(base["resolved_at"])
        base[canon] = pc.less_equal(resolved, _stamp(typed.column(due)))
    for canon, (start, end) in m.span.items():
        span = pc.minutes_between(_stamp(typed.column(start)), _stamp(typed.column(end)))
        base[canon] = pc.cast(span, pa.float64())
    for canon, value in m.constants.items():
        base[canon] = cast(pa.array([value] * typed.num_rows), ds.column(canon).type)
    base["_row"] = typed.column("_row").cast(pa.int64())
    if m.unpivot is None:
        return pa.table(base)
    parts = []
    if m.unpivot.kind == "causes":
        labels = cause_labels(m.unpivot.columns)
        for col in m.unpivot.columns:
            minutes = cast(typed.column(col), datasets.NUMBER)
            keep = pc.and_(pc.is_valid(minutes), pc.not_equal(pc.fill_null(minutes, 0.0), 0.0))
            part = dict(base)
            part["cause"] = pa.array([labels[col]] * typed.num_rows, pa.string())
            part["minutes"] = minutes
            parts.append(pa.table(part).filter(keep))
    else:
        for account, pair in m.unpivot.pairs.items():
            part = dict(base)
            part["account"] = pa.array([account] * typed.num_rows, pa.string())
            part["actual"] = cast(typed.column(pair["actual"]), datasets.NUMBER)
            part["budget"] = (
                cast(typed.column(pair["budget"]), datasets.NUMBER)
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


def cast(arr, duck_type: str):
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
