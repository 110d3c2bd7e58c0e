"""Validate a ready sheet's canonical rows: reject rows with failed or missing required
values, date rows by a fallback date, derive the columns DESIGN.md defines from others, drop
repeated records, flag impossible values, and find the months it covers."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from cockpit import datasets, ledger
from cockpit.ingest import evidence, scratch
from cockpit.ingest.model import PreparedSheet
from cockpit.queries import ident
from cockpit.store import Store


def validate_sheet(store: Store, sheet: PreparedSheet) -> None:
    """Reject rows with failed or missing required values; flag impossible ones."""
    ds = datasets.get(sheet.mapping.dataset)
    rows = sheet.rows
    mapped_sources = {v: k for k, v in sheet.mapping.columns.items()}
    for canon, sources in sheet.mapping.derived.items():  # a recipe's expressions
        for src in sources:
            mapped_sources.setdefault(src, canon)
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


# A row whose reporting date is blank takes the next date it has (evidence.DATE_FALLBACKS).
DATE_FALLBACKS = evidence.DATE_FALLBACKS


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
            # Said as what was done and why, not as an alarm: a survey of dates and 1-5
            # ratings has many alike answers, and each one counts.
            shown = ", ".join(data_cols[:4]) + (", …" if len(data_cols) > 4 else "")
            out.append(
                f"{dupes:,} rows are alike in every loaded column ({shown}) and all of them "
                "are loaded: with no id column, separate records can look the same. Only if "
                "the export repeats rows by mistake, correct it there and load it again"
            )
    return out
