"""Store a prepared file: its sheets in ONE transaction (a failure anywhere leaves the
database exactly as before), with the raw grid, the rows, the rejects and the ledger entry
of each; and the reports of what happened, sheet by sheet."""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pyarrow as pa

from cockpit import auth, currency, datasets, ledger
from cockpit.ingest import mapping as mapping_mod
from cockpit.ingest import scratch
from cockpit.ingest.mapping import Mapping
from cockpit.ingest.model import FileReport, PreparedFile, PreparedSheet, SheetReport
from cockpit.ingest.raw_staging import RawStaging, write_grid
from cockpit.store import Store, audit, sha256, unregister

REJECTS_SHOWN = 50  # rejects kept in the report; all of them go to the rejects table


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
    live rows of the months (and sites) they cover, as live at this commit; False appends
    beside them. A dict says it per sheet (None: any other); a sheet it does not name
    replaces. A sheet whose same bytes are live already is a duplicate: not loaded again.
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
    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = staging is not None and staging.active
        with staging.transaction() if ahead else store.transaction() as cur:
            # Duplicates are decided here, in the load's transaction, for the page, the API
            # and the CLI alike (with the app running, one load after another in its queue):
            # with the ledger as it is now, not as it was when the file was checked.
            copies = live_copies(cur, prepared)
            if prepared.sheets and all(copies):
                report.status = "duplicate"
                report.messages.append(f"{prepared.name}: {_already(copies[0])}; nothing loaded")
                report.sheets = [
                    _sheet_report(prepared, s, status="duplicate") for s in prepared.sheets
                ]
                return report
            # The original bytes are written beside the database while the rows go in; the
            # transaction commits only once they are safely kept.
            kept = pool.submit(store.keep_upload, prepared.data, prepared.name, prepared.sha256)
            for s, copy in zip(prepared.sheets, copies, strict=True):
                if copy:  # this sheet is live already: the others load
                    dup = _sheet_report(prepared, s, status="duplicate")
                    dup.messages.append(f"{_already(copy)}; not loaded again")
                    report.sheets.append(dup)
                    continue
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
                    "loads": [r.load_id for r in report.sheets if r.load_id is not None],
                },
            )
            kept.result()
    # Committed: evaluate the alert rules on the new version (never raises; delivery is
    # threaded, so the load never waits on SMTP).
    from cockpit import alerts

    alerts.after_commit(store, [r.load_id for r in report.sheets if r.load_id is not None])
    return report


def live_copies(src, prepared: PreparedFile) -> list[dict | None]:
    """Per sheet, its live load of the same bytes (a duplicate) or None; `src` is the store
    (a preview) or the load's transaction (the decision). See ledger.live_duplicate."""
    return [
        ledger.live_duplicate(
            src, prepared.sha256, s.raw.sheet, as_data=s.status == "ready", recipe=s.mapping.recipe
        )
        for s in prepared.sheets
    ]


def _already(copy: dict) -> str:
    when = copy["loaded_at"].strftime("%Y-%m-%d %H:%M") if copy.get("loaded_at") else "earlier"
    return f"already loaded on {when} as load {copy['load_id']}"


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
    # Replace unless told to append: the default holds for a sheet the page asked nothing
    # about (no overlap when it was checked; there may be one now).
    rep = (
        replace.get(s.raw.sheet, replace.get(None, True)) if isinstance(replace, dict) else replace
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
        recipe=s.mapping.recipe if status == "loaded" else None,
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
        if not s.mapping.recipe:  # a recipe's layout is kept as the recipe (recipes table)
            mapping_mod.remember(
                cur, s.fingerprint, s.mapping, file=prepared.name, load_id=entry.load_id, options={}
            )
        currency.record(cur, entry.load_id, s.mapping.dataset, s.currency)
        if s.currency:  # what the data last said: Settings offers it for files that say none
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
    if info.get("superseded_segments"):  # what this commit replaced, not what the check saw
        sheet_rep.messages.append(f"replaced earlier rows in {info['replaced_months']} month(s)")
        sheet_rep.superseded = [
            {**old, "said": superseded_sentence(old)} for old in info.get("replaced_loads", [])
        ]
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
        shown = ", ".join(f"{k!r} x{v:,}" for k, v in list(ph.items())[:3])
        msgs.append(f"column {col!r}: {total:,} placeholder values read as empty ({shown})")
    if s.status == "raw-only" and status != "rejected" and s.mapping.reasons:
        msgs.append("kept raw only: " + "; ".join(s.mapping.reasons))
    if s.mapping.remembered_from:
        msgs.append(f"same layout as {s.mapping.remembered_from}: mapped automatically")
    held = s.status == "held" and status == "raw-only"
    drift = held and bool((s.mapping.recipe or {}).get("drift"))
    if drift:
        status = "held"
        msgs.append("held for review: " + "; ".join(s.mapping.held) + ". Kept raw only")
    elif held:
        status = "held"
        msgs.append(
            f"held for review: looks like {s.mapping.dataset} but "
            + "; ".join(s.mapping.held)
            + ". Kept raw only; to load it, write its recipe to a file, check it and load"
            + " with it: "
            + explain_command(prepared.name, s.raw.sheet)
        )
    return SheetReport(
        file=prepared.name,
        sheet=s.raw.sheet,
        kind=s.analysis.kind if s.analysis is not None else "unknown",
        dataset=s.mapping.dataset if not held and s.status != "raw-only" else None,
        status=status,
        proposed={
            **s.mapping.to_dict(),
            **({"candidates": s.mapping.candidates} if s.mapping.candidates else {}),
        }
        if held
        else None,
        hold_reasons=list(s.mapping.held) if held else [],
        suggestion=suggestion(prepared.name, s.raw.sheet, s.mapping)
        if held and not drift
        else None,
        recipe=(s.recipe_toml if drift else _proposed_recipe(s)) if held else None,
        rows_rejected=len(s.rejects) if status not in ("raw-only", "held") else 0,
        rejects=s.rejects[:REJECTS_SHOWN] if status not in ("raw-only", "held") else [],
        reject_reasons=dict(reasons),
        months=[m.strftime("%Y-%m") for m in s.months],
        confidence=s.mapping.confidence if s.mapping.dataset else None,
        mapping=dict(s.mapping.columns),
        messages=msgs,
    )


def superseded_sentence(old: dict) -> str:
    """'4 rows of load 3 (calls.csv, recipe 'Bank call log') for 1999-01'."""
    by = f", recipe {old['recipe']!r}" if old["recipe"] else ""
    where = " and ".join(x for x in (", ".join(old["months"]), ", ".join(old["sites"])) if x)
    return f"{old['rows']:,} rows of load {old['load_id']} ({old['file']}{by})" + (
        f" for {where}" if where else ""
    )


def explain_command(file: str, sheet: str | None) -> str:
    """The commands that turn a held sheet's proposal into a recipe file and load with it."""
    only = f" --sheet {_quote(sheet)}" if sheet else ""
    return (
        f"cockpit load {_quote(file)}{only} --explain > recipe.toml; "
        f"cockpit load {_quote(file)} --recipe recipe.toml"
    )


def _proposed_recipe(s: PreparedSheet) -> str | None:
    from cockpit.recipes.propose import propose  # recipes build on the ingest: asked late

    recipe = propose(s)
    return recipe.to_toml() if recipe is not None else None


def _reason_kind(reason: str) -> str:
    return reason.split(":")[0].split("(")[0].strip()[:80]


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
