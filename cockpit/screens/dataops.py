"""What the Data page does, without Streamlit: mapping tables for the editor, the checks
shown before loading, the loads history, originals, undo and removing the demo data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from cockpit import auth, datasets, ledger, loadqueue, queries
from cockpit.ingest.pipeline import (
    DISK_ERRORS,
    PreparedFile,
    PreparedSheet,
    commit_file,
    disk_failure,
)
from cockpit.ingest.prepare import has_dates
from cockpit.store import Store

UNMAPPED = "—"


def mapping_table(sheet: PreparedSheet) -> pd.DataFrame:
    """One row per canonical column of the sheet's dataset: required?, source column, type."""
    if not sheet.mapping.dataset:
        return pd.DataFrame(columns=["column", "required", "source", "type"])
    ds = datasets.get(sheet.mapping.dataset)
    required = {c for group in ds.required for alt in group for c in alt}
    rows = []
    for col in ds.columns:
        rows.append(
            {
                "column": col.name,
                "required": "required" if col.name in required else "",
                "source": sheet.mapping.columns.get(col.name, UNMAPPED),
                "type": col.type.lower().replace("varchar", "text").replace("double", "number"),
            }
        )
    return pd.DataFrame(rows)


def hold_summary(sheet: PreparedSheet) -> dict:
    """What the Data page says of a held sheet: the proposal, what is missing, the button."""
    ds = datasets.get(sheet.mapping.dataset)
    missing = list(sheet.mapping.held)
    needs_input = bool(sheet.mapping.missing_required)
    text = (
        f"This sheet looks like **{ds.label}**, but it is not loaded until you confirm: "
        + "; ".join(missing)
        + "."
    )
    if sheet.mapping.candidates:
        text += " Say which dataset it is below."
    elif needs_input:
        text += " Map the missing column(s) below, or choose another dataset."
    else:
        text += " Check the preview and the mapping below, then confirm."
    month_col = ds.month_column
    return {
        "text": text,
        # A file with a date column is dated by its rows: its date column is to be mapped.
        "needs_month": bool(month_col)
        and month_col not in sheet.mapping.columns
        and month_col not in sheet.mapping.constants
        and not (sheet.analysis is not None and has_dates(sheet.analysis.columns)),
        # Two candidates: one button each instead (data_page._held).
        "can_confirm": not needs_input and not sheet.mapping.candidates,
        "button": f"Yes, load it as {ds.label.lower()}",
    }


def candidates_table(sheet: PreparedSheet) -> pd.DataFrame:
    """The two datasets a held sheet fits about as well, side by side: what share of the
    sheet's columns each explains, how much of the dataset it fills, whether the values are
    of each column's nature, the score, and the columns it would take."""
    rows = []
    for c in sheet.mapping.candidates:
        ds = datasets.get(c["dataset"])
        rows.append(
            {
                "dataset": ds.label,
                "explains": f"{c['explained']:.0%} of the columns",
                "fills": f"{c['filled']:.0%} of the dataset",
                "values fit": f"{c['fit']:.0%}",
                "score": f"{c['score']:.2f}",
                "columns": ", ".join(f"{k} ← {v}" for k, v in c["columns"].items()) or UNMAPPED,
            }
        )
    return pd.DataFrame(rows, columns=["dataset", "explains", "fills", "values fit", "score",
                                       "columns"])  # fmt: skip


RATING_SCALES = {"csat": (1, 5), "score": (0, 10)}
# The question each rating answers, in the words a survey uses.
RATING_QUESTIONS = {
    "csat": "Which question asks how satisfied the customer was (a 1–5 rating, for CSAT)?",
    "score": "Which question asks how likely they are to recommend you (0–10, for NPS)?",
}


def rating_choices(sheet: PreparedSheet) -> dict[str, list[str]]:
    """Questions that could be a held survey's rating, per missing rating column: whole-number
    columns whose every answer is on the column's scale (1-5 for csat, 0-10 for score)."""
    if sheet.typed is None or sheet.analysis is None or not sheet.mapping.dataset:
        return {}
    ds = datasets.get(sheet.mapping.dataset)
    out = {}
    for canon, (low, high) in RATING_SCALES.items():
        if canon not in ds.column_names or canon in sheet.mapping.columns:
            continue
        names = []
        for c in sheet.analysis.columns:
            if c.kind != "number":
                continue
            values = [v for v in sheet.typed.column(c.name).to_pylist() if v is not None]
            if values and all(low <= v <= high and v == int(v) for v in values):
                names.append(c.name)
        if names:
            out[canon] = names
    return out


def parse_month(text: str | None) -> dt.date | None:
    """'2024-03' -> 2024-03-01; None for anything else."""
    try:
        return dt.datetime.strptime((text or "").strip(), "%Y-%m").date()
    except ValueError:
        return None


def overrides_from_table(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, str | None]:
    """The analyst's edits of the mapping table as canonical -> source (None = unmapped)."""
    changed = {}
    old = dict(zip(before["column"], before["source"], strict=True))
    for col, src in zip(after["column"], after["source"], strict=True):
        if old.get(col) != src:
            changed[col] = None if src in (None, UNMAPPED, "") else src
    return changed


def source_choices(sheet: PreparedSheet) -> list[str]:
    """The sheet's columns an analyst can map from, with the 'unmapped' choice first."""
    if sheet.analysis is None:
        return [UNMAPPED]
    return [UNMAPPED, *[c.name for c in sheet.analysis.columns]]


def preview(sheet: PreparedSheet, rows: int = 8) -> pd.DataFrame:
    """The first rows as parsed and typed (source column names), for the analyst to eyeball."""
    if sheet.typed is None:
        return sheet.raw.table.slice(0, rows).to_pandas()
    cols = [c for c in sheet.typed.column_names if c != "_row"]
    df = sheet.typed.slice(0, rows).select(["_row", *cols]).to_pandas()
    return df.rename(columns={"_row": "row"}).set_index("row")


def checks(sheet: PreparedSheet) -> dict:
    """The numbers shown before loading: rows to load, rejected, months, overlap, flags."""
    ambiguous = [
        f"{c.name}: {c.ambiguous}"
        for c in (sheet.analysis.columns if sheet.analysis else [])
        if c.ambiguous
    ]
    duplicate = None  # a preview: the Load button decides again, with the ledger as it is then
    if sheet.duplicate_of:
        duplicate = (
            f"This sheet is already loaded (load {sheet.duplicate_of['load_id']}) and still"
            " live: it will not be loaded again; the file's other sheets will."
        )
    return {
        "duplicate": duplicate,
        "rows": sheet.rows.num_rows if sheet.rows is not None else 0,
        "rejected": len(sheet.rejects),
        "months": [m.strftime("%Y-%m") for m in sheet.months],
        "overlap": [m.strftime("%Y-%m") for m in sheet.overlap],
        "placeholders": {
            col: sum(v.values()) for col, v in sheet.placeholders.items() if sum(v.values())
        },
        "ambiguous": ambiguous,
        "warnings": list(sheet.warnings),
        "excluded": [
            f"row {r + 1}: {why}"
            for r, why in (sheet.analysis.excluded_rows if sheet.analysis else [])
        ],
    }


def rejects_frame(rejects: list[dict]) -> pd.DataFrame:
    """Rejected rows as a table: sheet row, column, value, reason."""
    return pd.DataFrame(
        [
            {
                "row": r.get("row"),
                "column": r.get("column"),
                "value": r.get("value"),
                "reason": r.get("reason"),
            }
            for r in rejects
        ],
        columns=["row", "column", "value", "reason"],
    )


def rejects_xlsx(prepared: PreparedFile, sheet: PreparedSheet) -> bytes:
    """All rejected rows of a sheet as a formatted workbook (for fixing at the source)."""
    from cockpit.export.xlsx import table_to_xlsx

    return table_to_xlsx(
        rejects_frame(sheet.rejects),
        title=f"Rejected rows — {prepared.name}",
        context=[
            ("Sheet", sheet.name),
            ("Dataset", sheet.mapping.dataset or "—"),
            ("Checked", dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        ],
        sheet="Rejected rows",
    )


WAITING_MESSAGE = "Waiting for another load to finish ({ahead} ahead)…"


def commit_queued(
    store: Store,
    prepared: list[PreparedFile],
    replace: dict[str, dict],
    user: auth.User | None,
    *,
    on_wait=None,
    poll_s: float = 0.5,
) -> list:
    """Commit the Data page's ready files through the process's load queue (the one POST
    /api/loads uses), so they never run beside another load; one job, the files in order.

    While loads are ahead of it, `on_wait(message)` hears "Waiting for another load to
    finish (N ahead)…" (again when N changes). Returns the files' load reports."""

    def run() -> dict:
        reports = []
        for p in prepared:
            try:
                reports.append(commit_file(store, p, replace=replace.get(p.sha256, {}), user=user))
            except DISK_ERRORS as exc:  # disk full, read-only folder: nothing was stored
                reports.append(disk_failure(p.name, p.data, exc))
        return {"reports": reports}

    return run_queued(", ".join(p.name for p in prepared), run, on_wait, poll_s)["reports"]


def run_queued(describe: str, run, on_wait=None, poll_s: float = 0.2) -> dict:
    """Run `run` in the process's load queue (behind any load waiting there), telling
    `on_wait` how many loads are ahead while it waits; its result, or its error raised."""
    q = loadqueue.shared()
    job = q.submit(describe, run)
    said = 0
    while True:
        ahead = q.ahead(job) if job.state == "queued" else 0
        if ahead and ahead != said and on_wait is not None:
            on_wait(WAITING_MESSAGE.format(ahead=ahead))
        said = ahead
        if job.done.wait(poll_s):
            break
    if job.state == "failed":
        raise RuntimeError(job.error)
    return job.result


def loads_history(store: Store) -> pd.DataFrame:
    """The ledger for the history table, newest first."""
    rows = ledger.list_loads(store)
    df = pd.DataFrame(rows, columns=[*ledger.LOAD_FIELDS, *ledger.LOAD_EXTRA_FIELDS])
    if not df.empty:
        df["months"] = df["months"].map(_month_span)
        df["dataset"] = df["dataset"].fillna("—")  # raw-only loads map to no dataset
        df["sheet"] = df["sheet"].fillna("—")  # a csv has no sheets
    return df


def _month_span(months: list[str]) -> str:
    if not months:
        return ""
    if len(months) == 1:
        return months[0]
    return f"{months[0]} – {months[-1]} ({len(months)})"


def original_file(store: Store, load_id: int, user: auth.User) -> tuple[str, bytes] | None:
    """The bytes the analyst uploaded for a load, and its original name (analysts and up:
    an original holds every column, including the ones no dataset maps)."""
    auth.require(user, "download_original")
    row = queries.run(store, "load_original", load_id=load_id).to_pylist()
    if not row:
        return None
    path = store.upload_path(row[0]["sha256"])
    if path is None:
        return None
    return row[0]["file"], Path(path).read_bytes()


def _undo_action(store: Store, load_id: int, user: auth.User) -> tuple[str, str | None]:
    """The action undoing load `load_id` is for `user` (their own or anyone's), and who
    loaded it."""
    rows = queries.run(store, "load_owner", load_id=load_id).to_pylist()
    if not rows:
        raise KeyError(f"there is no load {load_id}")
    owner = rows[0]["user"]
    return ("undo_own" if owner == user.name else "undo_any"), owner


def undo_refusal(store: Store, load_id: int, user: auth.User) -> str | None:
    """Why `user` may not undo load `load_id`, said before they try; None when they may.
    (undo_load checks again: this is for the page, not the rule.)"""
    action, owner = _undo_action(store, load_id, user)
    if auth.can(user, action):
        return None
    if action == "undo_any" and auth.can(user, "undo_own"):
        whose = f"was loaded by {owner}" if owner else "is not yours"
        return f"Load {load_id} {whose}; undoing someone else's load needs an admin."
    try:
        auth.require(user, action)
    except auth.PermissionDenied as exc:
        return str(exc)
    return None


def undo_load(store: Store, load_id: int, user: auth.User) -> int:
    """Undo a load: analysts their own, admins anyone's (checked here, not only in the UI)."""
    action, _ = _undo_action(store, load_id, user)
    auth.require(user, action)
    return ledger.undo(store, load_id, user=user.name)


def demo_loads(store: Store) -> list[int]:
    """Live demo loads (removable once real data arrives)."""
    return queries.run(store, "loads_demo_live").column("load_id").to_pylist()


def has_real_data(store: Store) -> bool:
    return queries.run(store, "loads_real_count").column("n")[0].as_py() > 0


def demo_rows(store: Store) -> int:
    """Rows of the live demo loads (what removing the demo takes away)."""
    return sum(queries.run(store, "loads_demo_live").column("rows_loaded").to_pylist())


def remove_demo(store: Store, user: auth.User) -> int:
    """Undo every demo load in one version; returns how many loads were removed."""
    auth.require(user, "delete_any")
    ids = demo_loads(store)
    if not ids:
        return 0
    ledger.undo_many(store, ids, user=user.name, action="remove_demo")
    from cockpit.demo.owners import remove_meeting

    remove_meeting(store)  # its meeting and actions were about the demo company
    return len(ids)


def demo_removal(store: Store) -> dict | None:
    """The last removal of the demo data, while it can still be undone (it is the newest
    version: nothing loaded or undone since): its version and loads."""
    rows = queries.run(store, "demo_removal_last").to_pylist()
    if not rows or rows[0]["seq"] != store.latest_seq():
        return None
    return {"seq": rows[0]["seq"], "loads": list(rows[0]["loads"]), "rows": rows[0]["rows"]}


def restore_demo(store: Store, user: auth.User) -> int:
    """Undo the removal of the demo data (admins): the demo loads come back as they were.
    Refused once anything was loaded or undone since, whose numbers would then mix."""
    auth.require(user, "delete_any")
    removal = demo_removal(store)
    if removal is None:
        raise ValueError(
            "The demo data cannot be put back: data was loaded or undone since it was removed. "
            "Load the demo again from an empty database instead."
        )
    restored = ledger.restore_many(store, removal["loads"], user=user.name,
                                   action="restore_demo")  # fmt: skip
    from cockpit.demo.owners import seed_meeting

    seed_meeting(store)  # its past meeting again, pinned to the data put back
    return restored


def report_summary(report) -> list[tuple[str, str]]:
    """(level, text) lines for a commit report: success, warning or error per file/sheet."""
    out = []
    for f in report.files:
        if f.status == "rejected":
            out.append(("error", " ".join(f.messages) or f"{f.file}: rejected"))
            continue
        if f.status == "duplicate":
            out.append(("warning", " ".join(f.messages)))
            continue
        for s in f.sheets:
            where = f"{f.file}" + (f" › {s.sheet}" if s.sheet else "")
            if s.status == "duplicate":  # live already; the file's other sheets loaded
                out.append(("warning", f"{where}: {s.messages[-1]}"))
            elif s.status == "loaded":
                text = (
                    f"{where}: {s.rows_loaded:,} rows loaded into **{s.dataset}** "
                    f"(load {s.load_id}, months {_month_span(s.months)})"
                )
                if s.rows_rejected:
                    text += f"; {s.rows_rejected:,} rows rejected"
                out.append(("success", text))
            else:
                out.append(("info", f"{where}: kept raw only (load {s.load_id})"))
    return out


def report_json(report) -> str:
    return json.dumps(report.to_dict(), indent=2, default=str)


def only_raw(prepared: PreparedFile) -> bool:
    """Whether loading the file would keep raw copies only (no sheet maps to a dataset)."""
    return all(s.status in ("raw-only", "rejected") for s in prepared.sheets)


def raw_only_text(sheet: PreparedSheet) -> str:
    """Why a sheet is kept raw only, and what that means, in words."""
    why = "; ".join(sheet.mapping.reasons[:2]) or "no dataset of the cockpit fits its columns"
    return (
        f"Nothing here was recognised as one of the cockpit's datasets ({why}). Loading keeps "
        "a raw copy you can query in the SQL explorer; no KPI changes. If it is a dataset, "
        "choose it under “Load as”."
    )
