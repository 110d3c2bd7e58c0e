"""Writing to the store: ledger entries, mapped rows by segment, supersede, undo.

All writers take a cursor already inside a transaction (see Store.transaction), so a
file's sheets, rows, rejects and ledger entries commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cockpit import currency, datasets, queries
from cockpit.store import LATEST, Store, audit, in_row_groups, unregister


@dataclass
class LedgerEntry:
    load_id: int
    seq: int


def new_entry(
    cur,
    *,
    file: str,
    sheet: str | None,
    sha256: str,
    dataset: str | None,
    status: str,
    user: str | None,
    replace: bool = False,
    is_demo: bool = False,
    layout_fp: str | None = None,
    mapping: dict | None = None,
    recipe: dict | None = None,
) -> LedgerEntry:
    """Insert a ledger row (status may be updated later in the same transaction)."""
    load_id = cur.execute("SELECT nextval('load_ids')").fetchone()[0]
    seq = cur.execute("SELECT nextval('version_seq')").fetchone()[0]
    cur.execute(
        """INSERT INTO loads (load_id, seq, file, sheet, sha256, dataset, status, replace,
               layout_fp, mapping, started_at, loaded_at, "user", is_demo, recipe, recipe_version)
           VALUES ($id, $seq, $file, $sheet, $sha, $ds, $status, $replace, $fp, $mapping,
               current_timestamp, current_timestamp, $user, $demo, $recipe, $recipe_version)""",
        {
            "id": load_id,
            "seq": seq,
            "file": file,
            "sheet": sheet,
            "sha": sha256,
            "ds": dataset,
            "status": status,
            "replace": replace,
            "fp": layout_fp,
            "mapping": json.dumps(mapping) if mapping is not None else None,
            "user": user or "local",
            "demo": is_demo,
            "recipe": (recipe or {}).get("name"),
            "recipe_version": (recipe or {}).get("version"),
        },
    )
    return LedgerEntry(load_id, seq)


def finish_entry(cur, load_id: int, *, status: str, rows: int, rejected: int, report: dict) -> None:
    cur.execute(
        """UPDATE loads SET status = $status, rows_loaded = $rows, rows_rejected = $rej,
               report = $report, loaded_at = current_timestamp WHERE load_id = $id""",
        {
            "status": status,
            "rows": rows,
            "rej": rejected,
            "report": json.dumps(report, default=str),
            "id": load_id,
        },
    )


def insert_rows(cur, load_id: int, dataset: str, rows: pa.Table, *, replace: bool) -> dict:
    """Store mapped rows of `dataset` for a load: segments by (month, site), then the rows.

    `rows` holds canonical columns (any subset) plus `_row`. Returns months, sites and the
    number of segments (and of months) superseded when `replace` is true.
    """
    ds = datasets.get(dataset)
    cols = [c for c in ds.column_names if c in rows.column_names]
    month_cols = [c for c in (ds.month_column, ds.month_fallback) if c and c in cols]
    month_expr = (
        f"CAST(date_trunc('month', coalesce({', '.join(month_cols)})) AS DATE)"
        if month_cols
        else "CAST(NULL AS DATE)"
    )
    site_expr = ds.site_column if ds.site_column in cols else "CAST(NULL AS VARCHAR)"
    # Read the registered Arrow twice rather than copy it into a staging table first.
    keyed = f"SELECT *, {month_expr} AS _month, {site_expr} AS _site FROM _incoming"
    col_list = ", ".join(cols)
    src_list = ", ".join(f"s.{c}" for c in cols)
    cur.register("_incoming", in_row_groups(rows))
    try:
        cur.execute(
            f"""INSERT INTO segments
               SELECT nextval('seg_ids'), $id, $ds, _month, _site, n
               FROM (SELECT _month, _site, count(*) AS n FROM ({keyed}) GROUP BY _month, _site)""",
            {"id": load_id, "ds": dataset},
        )
        cur.execute(
            f"""INSERT INTO {ds.name} (_load_id, _seg, _row, _month, {col_list})
                SELECT $id, g.seg_id, s._row, s._month, {src_list}
                FROM ({keyed}) s JOIN segments g
                  ON g.load_id = $id
                 AND g.month IS NOT DISTINCT FROM s._month
                 AND g.site IS NOT DISTINCT FROM s._site""",
            {"id": load_id},
        )
    finally:
        unregister(cur, "_incoming")
    superseded, replaced, replaced_loads = 0, 0, []
    if replace:
        superseded = supersede(cur, load_id, dataset)
        replaced_loads = superseded_by(cur, load_id) if superseded else []
        replaced = cur.execute(
            """SELECT count(DISTINCT s.month) FROM supersessions x JOIN segments s USING (seg_id)
               WHERE x.by_load_id = $id""",
            {"id": load_id},
        ).fetchone()[0]
    summary = cur.execute(
        """SELECT list(DISTINCT month ORDER BY month) FILTER (WHERE month IS NOT NULL),
                  list(DISTINCT site ORDER BY site) FILTER (WHERE site IS NOT NULL)
           FROM segments WHERE load_id = $id""",
        {"id": load_id},
    ).fetchone()
    months, sites = summary[0] or [], summary[1] or []
    cur.execute(
        "UPDATE loads SET months = $m, sites = $s WHERE load_id = $id",
        {"m": months, "s": sites, "id": load_id},
    )
    return {
        "months": months,
        "sites": sites,
        "superseded_segments": superseded,
        "replaced_months": replaced,  # months whose earlier rows this load replaced
        "replaced_loads": replaced_loads,  # whose rows, how many, which months and sites
    }


# A load made with a recipe is a feed: it replaces rows of the same recipe (and rows loaded
# without one), never rows another recipe loaded into the same dataset.
_SAME_FEED = """(nl.recipe IS NULL OR ol.recipe IS NULL OR ol.recipe = nl.recipe)"""


def supersede(cur, load_id: int, dataset: str) -> int:
    """Mark the live segments this load replaces: same dataset and month, same site when
    the new load names one (a load without sites replaces the whole month), and the same
    recipe when both were loaded with one."""
    before = cur.execute("SELECT count(*) FROM supersessions").fetchone()[0]
    cur.execute(
        f"""INSERT INTO supersessions
           SELECT DISTINCT $id, old.seg_id
           FROM visible_segments($latest) old
           JOIN segments new
             ON new.load_id = $id AND new.dataset = old.dataset AND new.month = old.month
            AND (new.site IS NULL OR new.site IS NOT DISTINCT FROM old.site)
           JOIN loads ol ON ol.load_id = old.load_id
           JOIN loads nl ON nl.load_id = $id
           WHERE old.dataset = $ds AND old.load_id <> $id AND {_SAME_FEED}""",
        {"id": load_id, "latest": LATEST, "ds": dataset},
    )
    return cur.execute("SELECT count(*) FROM supersessions").fetchone()[0] - before


def superseded_by(cur, load_id: int) -> list[dict]:
    """Per earlier load whose rows this load replaced: its id, file, recipe, how many rows,
    for which months and sites."""
    rows = cur.execute(
        """SELECT s.load_id, l.file, l.recipe, sum(s.rows) AS rows,
                  list(DISTINCT s.month ORDER BY s.month) FILTER (WHERE s.month IS NOT NULL),
                  list(DISTINCT s.site ORDER BY s.site) FILTER (WHERE s.site IS NOT NULL)
           FROM supersessions x JOIN segments s USING (seg_id) JOIN loads l USING (load_id)
           WHERE x.by_load_id = $id
           GROUP BY s.load_id, l.file, l.recipe ORDER BY s.load_id""",
        {"id": load_id},
    ).fetchall()
    return [
        {"load_id": r[0], "file": r[1], "recipe": r[2], "rows": int(r[3] or 0),
         "months": [m.strftime("%Y-%m") for m in r[4] or []], "sites": list(r[5] or [])}
        for r in rows
    ]  # fmt: skip


def overlapping_rows(cur, load_id: int, dataset: str) -> int:
    """Live rows of `dataset` in the segments this load would replace (same month, and same
    site when it names one): what an append puts its rows beside."""
    row = cur.execute(
        f"""SELECT coalesce(sum(rows), 0) FROM (
               SELECT DISTINCT old.seg_id, old.rows
               FROM visible_segments($latest) old
               JOIN segments new
                 ON new.load_id = $id AND new.dataset = old.dataset AND new.month = old.month
                AND (new.site IS NULL OR new.site IS NOT DISTINCT FROM old.site)
               JOIN loads ol ON ol.load_id = old.load_id
               JOIN loads nl ON nl.load_id = $id
               WHERE old.dataset = $ds AND old.load_id <> $id AND {_SAME_FEED})""",
        {"id": load_id, "latest": LATEST, "ds": dataset},
    ).fetchone()
    return int(row[0])


def overlapping_months(store: Store, dataset: str, months: list[dt.date]) -> list[dt.date]:
    """Months among `months` that already have live rows of `dataset`."""
    if not months:
        return []
    rows = queries.run(
        store, "ledger_overlapping_months", as_of=LATEST, dataset=dataset, months=list(months)
    )
    return rows.column("month").to_pylist()


def live_duplicate(
    src, sha256: str, sheet: str | None, *, as_data: bool = True, recipe: dict | None = None
) -> dict | None:
    """The live load of the same sheet (None: a text file) of the same bytes, if any: not
    undone and none of its rows replaced since. A raw-only copy counts only for a sheet kept
    raw again (`as_data` false); loaded into a dataset, only a copy made with the same
    `recipe` version ({"name", "version"}; None: no recipe) counts. `src`: a Store (a preview)
    or a load's transaction cursor (the decision, with the ledger as that transaction sees it)."""
    params = {"sha256": sha256, "sheet": sheet, "as_data": as_data, "as_of": LATEST,
              "recipe": (recipe or {}).get("name"),
              "recipe_version": (recipe or {}).get("version")}  # fmt: skip
    if isinstance(src, Store):
        rows = queries.run(src, "ledger_duplicate", **params)
    else:
        rows = queries.run_in(src, "ledger_duplicate", **params)
    found = rows.to_pylist()
    return found[0] if found else None


def undo(store: Store, load_id: int, *, user: str | None = None) -> int:
    """Mark a load undone as of a new version; its rows stop being visible from then on.

    Returns the new version number. Earlier versions still show the load (as-of reads).
    """
    with store.transaction() as cur:
        row = cur.execute(
            "SELECT status, undone_seq FROM loads WHERE load_id = $id", {"id": load_id}
        ).fetchone()
        if row is None:
            raise KeyError(f"there is no load {load_id}")
        if row[1] is not None:
            raise ValueError(f"load {load_id} was already undone")
        seq = cur.execute("SELECT nextval('version_seq')").fetchone()[0]
        cur.execute(
            """UPDATE loads SET undone_seq = $seq, undone_at = current_timestamp, undone_by = $u
               WHERE load_id = $id""",
            {"seq": seq, "u": user or "local", "id": load_id},
        )
        audit(cur, user, "undo", {"load_id": load_id, "seq": seq})
    return seq


def undo_many(store: Store, load_ids: list[int], *, user: str | None, action: str) -> int:
    """Undo several loads in one new version (removing the demo data); returns the version.
    The caller has checked the role and which loads."""
    with store.transaction() as cur:
        seq = cur.execute("SELECT nextval('version_seq')").fetchone()[0]
        cur.execute(
            """UPDATE loads SET undone_seq = $seq, undone_at = current_timestamp, undone_by = $u
               WHERE list_contains($ids, load_id)""",
            {"seq": seq, "u": user or "local", "ids": list(load_ids)},
        )
        audit(cur, user, action, {"loads": list(load_ids), "seq": seq})
    return seq


def restore_many(store: Store, load_ids: list[int], *, user: str | None, action: str) -> int:
    """Put undone loads back as one new version (the undo of removing the demo data); returns
    the version. Each comes back as a new load with a copy of its segments and rows, superseded
    where it was and superseding what it did, so that the versions in between still read
    without it (as-of stays exact). The caller has checked the role, and that nothing was
    loaded or undone since the removal (a load since would not have replaced these rows)."""
    ids = list(load_ids)
    with store.transaction() as cur:
        seq = cur.execute("SELECT nextval('version_seq')").fetchall()[0][0]
        # fetchall: a result left open refuses the register below.
        new = [r[0] for r in cur.execute(
            "SELECT nextval('load_ids') FROM range($n)", {"n": len(ids)}).fetchall()]  # fmt: skip
        cur.register("_restore_ids", pa.table({"old_id": ids, "new_id": new}))
        try:
            cur.execute(
                """INSERT INTO loads SELECT l.* REPLACE (m.new_id AS load_id, $seq AS seq,
                       current_timestamp AS loaded_at, NULL AS undone_at, NULL AS undone_seq,
                       NULL AS undone_by)
                   FROM loads l JOIN _restore_ids m ON l.load_id = m.old_id""",
                {"seq": seq},
            )
            cur.execute(
                """CREATE OR REPLACE TEMP TABLE _restore_segs AS
                   SELECT s.seg_id AS old_seg, nextval('seg_ids') AS new_seg, m.new_id, s.dataset
                   FROM segments s JOIN _restore_ids m ON s.load_id = m.old_id"""
            )
            cur.execute(
                """INSERT INTO segments SELECT s.* REPLACE (r.new_seg AS seg_id, r.new_id AS load_id)
                   FROM segments s JOIN _restore_segs r ON s.seg_id = r.old_seg"""
            )
            names = [
                r[0] for r in cur.execute("SELECT DISTINCT dataset FROM _restore_segs").fetchall()
            ]
            for name in names:
                table = datasets.get(name).name  # a catalogue identifier, never user text
                cur.execute(
                    f"""INSERT INTO {table} SELECT t.* REPLACE (r.new_seg AS _seg, r.new_id AS _load_id)
                        FROM {table} t JOIN _restore_segs r ON t._seg = r.old_seg"""
                )
            cur.execute(
                """INSERT INTO supersessions
                   SELECT coalesce(m.new_id, x.by_load_id), coalesce(r.new_seg, x.seg_id)
                   FROM supersessions x
                   LEFT JOIN _restore_ids m ON x.by_load_id = m.old_id
                   LEFT JOIN _restore_segs r ON x.seg_id = r.old_seg
                   WHERE m.new_id IS NOT NULL OR r.new_seg IS NOT NULL"""
            )
            cur.execute("DROP TABLE _restore_segs")
        finally:
            unregister(cur, "_restore_ids")
        audit(cur, user, action, {"loads": ids, "restored_as": new, "seq": seq})
    return seq


def load_table(
    store: Store,
    dataset: str,
    rows: pa.Table | list[dict],
    *,
    file: str = "fixture",
    sheet: str | None = None,
    replace: bool = False,
    user: str | None = None,
    is_demo: bool = False,
    money_in: str | None = None,
) -> LedgerEntry:
    """Store already-canonical rows as one load (tests, benchmarks, synthetic data).

    The spreadsheet path (ingest.pipeline) ends in the same insert_rows call. `money_in`:
    the currency symbol of its money (default: the company currency, as for a file).
    """
    ds = datasets.get(dataset)
    if isinstance(rows, list):
        types = {c.name: _arrow_type(c.type) for c in ds.columns}
        names = list(dict.fromkeys(k for r in rows for k in r))
        unknown = [n for n in names if n not in types]
        if unknown:
            raise KeyError(f"{dataset} has no column(s) {unknown}")
        rows = pa.table({n: _array([r.get(n) for r in rows], types[n]) for n in names})
    if "_row" not in rows.column_names:
        rows = rows.append_column("_row", pa.array(np.arange(1, rows.num_rows + 1, dtype=np.int64)))
    digest = f"table:{dataset}:{dt.datetime.now().isoformat()}:{id(rows)}"
    with store.transaction() as cur:
        entry = new_entry(
            cur,
            file=file,
            sheet=sheet,
            sha256=digest,
            dataset=dataset,
            status="loading",
            user=user,
            replace=replace,
            is_demo=is_demo,
        )
        info = insert_rows(cur, entry.load_id, dataset, rows, replace=replace)
        currency.record(cur, entry.load_id, dataset, money_in)
        finish_entry(
            cur, entry.load_id, status="loaded", rows=rows.num_rows, rejected=0, report=info
        )
        audit(cur, user, "load", {"load_id": entry.load_id, "dataset": dataset})
    return entry


def _array(values: list, type_: pa.DataType) -> pa.Array:
    if pa.types.is_timestamp(type_):  # a date alone in a timestamp column: its midnight
        values = [dt.datetime.combine(v, dt.time()) if type(v) is dt.date else v for v in values]
    return pa.array(values, type=type_)


def _arrow_type(duck_type: str) -> pa.DataType:
    return {
        datasets.DATE: pa.date32(),
        datasets.TIMESTAMP: pa.timestamp("us"),
        datasets.TEXT: pa.string(),
        datasets.NUMBER: pa.float64(),
        datasets.BOOL: pa.bool_(),
    }[duck_type]


# The ledger as `cockpit loads --json` prints it (a public shape), and the extra columns the
# Data page uses.
LOAD_FIELDS = ("load_id", "seq", "file", "sheet", "dataset", "months", "rows", "rejected",
               "status", "loaded_at", "user", "currency")  # fmt: skip
LOAD_EXTRA_FIELDS = ("sha256", "is_demo", "undone_at", "replace")


def list_loads(store: Store, *, include_rejected: bool = True) -> list[dict]:
    """The ledger, newest first, in the shape of `cockpit loads --json`."""
    rows = queries.run(store, "ledger_loads", include_rejected=include_rejected).to_pylist()
    for r in rows:
        r["months"] = [m.strftime("%Y-%m") for m in r["months"]]
    return rows
