"""The load pipeline: read -> detect -> type -> map -> enrich -> validate -> store.

`prepare_file` does everything except writing, so the Data page can show what will happen
and let the analyst correct it; `commit_file` writes one file's sheets in ONE transaction
(a failure anywhere leaves the database exactly as before). `load_files` is both at once,
for the command line and the demo seed.

Each stage is its own module (see the package's STAGES): model (what the stages hand each
other), prepare (one sheet: detect, type, map, canonical rows), enrich (across the sheets
of a workbook), validate, commit (store and report). This module runs them in that order
and keeps the names the rest of the code imports.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cockpit import auth, ledger
from cockpit.ingest.commit import (
    DISK_ERRORS,
    REJECTS_SHOWN,
    commit_file,
    disk_failure,
    live_copies,
    suggestion,
)
from cockpit.ingest.enrich import enrich_across_sheets
from cockpit.ingest.errors import IngestError
from cockpit.ingest.formulas import restating_sheets
from cockpit.ingest.model import (
    FileReport,
    LoadReport,
    PreparedFile,
    PreparedSheet,
    SheetOptions,
    SheetReport,
)
from cockpit.ingest.prepare import account_kind, cause_labels, month_in_name, prepare_sheet
from cockpit.ingest.raw_staging import RawStaging
from cockpit.ingest.read import Limits, read_file, read_path
from cockpit.ingest.validate import validate_sheet
from cockpit.store import Store, sha256

__all__ = [
    "DISK_ERRORS",
    "REJECTS_SHOWN",
    "FileReport",
    "LoadReport",
    "PreparedFile",
    "PreparedSheet",
    "SheetOptions",
    "SheetReport",
    "account_kind",
    "cause_labels",
    "commit_file",
    "disk_failure",
    "load_files",
    "month_in_name",
    "prepare_file",
    "suggestion",
]


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
    # Every sheet already live: most likely a duplicate, so no raw grid is written ahead.
    likely_duplicate = all(
        ledger.live_duplicate(store, digest, r.sheet, as_data=False) for r in raws
    )
    if staging is not None and not likely_duplicate:
        staging.start(raws)
    restating = restating_sheets(data, name)  # dashboards of formulas over other sheets
    cur = store.cursor()
    try:
        for raw in raws:
            opts = options.get(raw.sheet) or options.get(None) or SheetOptions()
            say(f"Detecting header, types and dataset of {raw.sheet or name}")
            prepared.sheets.append(
                prepare_sheet(store, cur, raw, opts, restates=restating.get(raw.sheet))
            )
        if not any(o.dataset or o.columns for o in options.values()):  # the analyst's word wins
            say("Looking for a saved recipe of the same layout")
            from cockpit.recipes.match import use_saved_recipes  # recipes build on the ingest

            use_saved_recipes(store, cur, prepared.sheets, raws)
        say("Mapping across sheets (lookups, batches)")
        enrich_across_sheets(store, prepared.sheets)
        for sheet in prepared.sheets:
            if sheet.status == "ready":
                say(f"Checking {sheet.name}: required values, rejects, months already loaded")
                validate_sheet(store, sheet)
    except IngestError as exc:
        prepared.error = str(exc)
    finally:
        cur.close()
    if prepared.sheets and not prepared.error and all(map(_has_no_rows, prepared.sheets)):
        # A header-only export would otherwise land as an empty raw-only "load".
        prepared.error = f"{name}: no data rows to load (only a header or blank rows)"
    if prepared.sheets and not prepared.error:
        # What the page shows; commit_file decides again when it stores the file.
        copies = live_copies(store, prepared)
        for sheet, copy in zip(prepared.sheets, copies, strict=True):
            sheet.duplicate_of = copy
        prepared.duplicate_of = copies[0] if all(copies) else None
    return prepared


def _has_no_rows(sheet: PreparedSheet) -> bool:
    return sheet.status == "raw-only" and (sheet.analysis is None or sheet.analysis.data_rows == 0)


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
