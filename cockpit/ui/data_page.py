"""Streamlit pieces of the Data page: upload and check, load, history, coverage."""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from cockpit import auth, datasets, ledger
from cockpit.charts.data import coverage_grid
from cockpit.ingest.pipeline import (
    PreparedFile,
    SheetOptions,
    prepare_file,
)
from cockpit.screens import dataops, freshness
from cockpit.ui import errors, recipe_part
from cockpit.ui.resources import get_store
from cockpit.ui.shell import PageContext

UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt"]
DATASET_CHOICES = ["(auto)", *datasets.DATASETS, "raw"]


def _state() -> dict:
    return st.session_state.setdefault(
        "data_page", {"prepared": {}, "options": {}, "uploader": 0, "report": None}
    )


def upload_section(ctx: PageContext) -> list[PreparedFile]:
    """The uploader; returns the files prepared (read, detected, mapped, checked)."""
    state = _state()
    can_upload = auth.can(ctx.user, "upload")
    files = st.file_uploader(
        "Drop this month's exports here (several at once is fine)",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"uploader_{state['uploader']}",
        disabled=not can_upload,
        help="Excel (xlsx, xlsm, xls), OpenDocument (ods) or text (csv, tsv, txt) exports.",
    )
    if not can_upload:
        st.caption("Uploading needs the analyst role.")
    if files:
        state["report"] = None  # the last load's report would read as this upload's outcome
    prepared = []
    for f in files or []:
        data = f.getvalue()
        key = hashlib.sha256(data).hexdigest()
        opts = state["options"].get(key, {})
        cache_key = (
            key,
            # default=str: an analyst's month for a dateless file is a date.
            json.dumps({k or "": v.__dict__ for k, v in opts.items()}, sort_keys=True, default=str),
        )
        cached = state["prepared"].get(f.name)
        if cached is None or cached[0] != cache_key:
            with st.status(f"Checking {f.name}…", expanded=False) as status:
                result = prepare_file(ctx.store, data, f.name, options=opts, progress=st.write)
                status.update(label=f"Checked {f.name}", state="complete")
            state["prepared"][f.name] = (cache_key, result)
            cached = state["prepared"][f.name]
        prepared.append(cached[1])
    return prepared


def file_checks(ctx: PageContext, prepared: PreparedFile) -> None:
    """What was detected in one file, sheet by sheet, with the mapping editable in place."""
    st.subheader(f":material/description: {prepared.name}")
    if prepared.error:
        st.error(prepared.error, icon=":material/block:")
        st.caption("Nothing from this file will be stored. Fix the file and upload it again.")
        return
    if prepared.duplicate_of:
        d = prepared.duplicate_of
        when = d["loaded_at"].strftime("%d %b %Y %H:%M")
        st.warning(
            f"Already loaded on {when} as load {d['load_id']}; loading it again adds nothing."
        )
        return
    for sheet in prepared.sheets:
        _sheet_checks(ctx, prepared, sheet)


def _sheet_checks(ctx: PageContext, prepared: PreparedFile, sheet) -> None:
    state = _state()
    a = sheet.analysis
    ds = sheet.mapping.dataset
    label = datasets.DATASETS[ds].label if ds in datasets.DATASETS else ds
    badge = {
        "ready": f"→ **{ds}** ({sheet.mapping.confidence:.0%} sure)",
        "held": f"→ :material/pause_circle: held: looks like **{label}**, waiting for you",
        "raw-only": "→ nothing recognised: kept raw only",
    }.get(sheet.status, "→ ❌ rejected")
    title = f"{'Sheet ' + repr(sheet.raw.sheet) if sheet.raw.sheet else 'Data'} {badge}"
    with st.expander(title, expanded=sheet.status != "raw-only"):
        if sheet.status == "held":
            _held(prepared, sheet)
        if sheet.status == "raw-only":
            st.info(dataops.raw_only_text(sheet), icon=":material/help:")
        if a is not None:
            header = ", ".join(str(r + 1) for r in a.header_rows) or "none"
            st.caption(
                f"Detected: {a.kind} sheet ({a.kind_reason}); header row {header}; "
                + "; ".join(sheet.mapping.reasons[:3])
            )
        if sheet.mapping.remembered_from:
            st.success(
                f"Same layout as {sheet.mapping.remembered_from}: mapped automatically.",
                icon=":material/memory:",
            )
        for m in sheet.messages:
            if sheet.status == "rejected":
                st.error(m)
        _dataset_choice(prepared, sheet)
        if sheet.typed is not None:
            st.markdown("**Preview** (as parsed and typed)")
            st.dataframe(dataops.preview(sheet), width="stretch", placeholder="—")
        if ds:
            _mapping_editor(prepared, sheet)
        if sheet.status == "ready":
            _checks(prepared, sheet)
        if sheet.status in ("ready", "held"):
            report = recipe_part.recipe_part(ctx, prepared, sheet)
            if report is not None:
                _loaded([report])
    state.setdefault("replace", {})


def _held(prepared: PreparedFile, sheet) -> None:
    """A proposal the app is not sure enough of: what is missing, and one click to confirm."""
    hold = dataops.hold_summary(sheet)
    st.warning(hold["text"], icon=":material/pause_circle:")
    if sheet.mapping.candidates:
        st.markdown("**Two datasets fit this sheet about as well** — which is it?")
        st.dataframe(dataops.candidates_table(sheet), hide_index=True, width="stretch",
                     placeholder="—")  # fmt: skip
        for col, c in zip(st.columns(len(sheet.mapping.candidates)), sheet.mapping.candidates,
                          strict=True):  # fmt: skip
            col.button(
                f"It is {datasets.get(c['dataset']).label.lower()}",
                key=f"cand_{c['dataset']}_{prepared.sha256}_{sheet.raw.sheet}",
                on_click=_choose_candidate,
                args=(prepared, sheet, c["dataset"]),
            )
    if hold["needs_month"]:
        month = st.text_input(
            "Which month does this file cover? (YYYY-MM)",
            key=f"month_{prepared.sha256}_{sheet.raw.sheet}",
            placeholder="2024-03",
        )
        chosen = dataops.parse_month(month)
        if month and chosen is None:
            st.error("Write the month as YYYY-MM, for example 2024-03.")
        if chosen is not None:
            opts = _state()["options"].setdefault(prepared.sha256, {})
            current = opts.get(sheet.raw.sheet, SheetOptions())
            opts[sheet.raw.sheet] = SheetOptions(
                dataset=sheet.mapping.dataset,
                columns=dict(current.columns),
                date_order=current.date_order,
                month=chosen,
            )
            st.session_state[f"ds_{prepared.sha256}_{sheet.raw.sheet}"] = sheet.mapping.dataset
            st.rerun()
    for canon, questions in dataops.rating_choices(sheet).items():
        picked = st.selectbox(
            dataops.RATING_QUESTIONS[canon],
            [None, *questions],
            format_func=lambda q: "Choose a question…" if q is None else q,
            key=f"rating_{canon}_{prepared.sha256}_{sheet.raw.sheet}",
        )
        if picked:
            opts = _state()["options"].setdefault(prepared.sha256, {})
            current = opts.get(sheet.raw.sheet, SheetOptions())
            opts[sheet.raw.sheet] = SheetOptions(
                dataset=sheet.mapping.dataset,
                columns={**current.columns, canon: picked},
                date_order=current.date_order,
                month=current.month,
            )
            st.session_state[f"ds_{prepared.sha256}_{sheet.raw.sheet}"] = sheet.mapping.dataset
            st.rerun()
    if hold["can_confirm"]:
        st.button(
            hold["button"],
            key=f"hold_ok_{prepared.sha256}_{sheet.raw.sheet}",
            type="primary",
            on_click=_confirm,
            args=(prepared, sheet),
        )


@errors.callback("the held sheet's candidate buttons")
def _choose_candidate(prepared: PreparedFile, sheet, dataset: str) -> None:
    """The analyst's pick of one of the two datasets a sheet fits about as well."""
    opts = _state()["options"].setdefault(prepared.sha256, {})
    current = opts.get(sheet.raw.sheet, SheetOptions())
    chosen = next(c for c in sheet.mapping.candidates if c["dataset"] == dataset)
    opts[sheet.raw.sheet] = SheetOptions(
        dataset=dataset,
        columns=dict(chosen["columns"]),
        date_order=current.date_order,
        month=current.month,
    )
    st.session_state[f"ds_{prepared.sha256}_{sheet.raw.sheet}"] = dataset


@errors.callback("the held sheet's confirm button")
def _confirm(prepared: PreparedFile, sheet) -> None:
    """The analyst's yes: load the sheet as proposed (runs before the widgets are drawn, so
    the "Load as" box can show the dataset too)."""
    opts = _state()["options"].setdefault(prepared.sha256, {})
    current = opts.get(sheet.raw.sheet, SheetOptions())
    opts[sheet.raw.sheet] = SheetOptions(
        dataset=sheet.mapping.dataset,
        columns=dict(sheet.mapping.columns),
        date_order=current.date_order,
        month=current.month,
    )
    st.session_state[f"ds_{prepared.sha256}_{sheet.raw.sheet}"] = sheet.mapping.dataset


def _dataset_choice(prepared: PreparedFile, sheet) -> None:
    state = _state()
    opts = state["options"].setdefault(prepared.sha256, {})
    current = opts.get(sheet.raw.sheet, SheetOptions())
    index = DATASET_CHOICES.index(current.dataset) if current.dataset in DATASET_CHOICES else 0
    choice = st.selectbox(
        "Load as",
        DATASET_CHOICES,
        index=index,
        key=f"ds_{prepared.sha256}_{sheet.raw.sheet}",
        format_func=lambda d: {"(auto)": "Detected automatically", "raw": "Keep raw only"}.get(
            d, datasets.DATASETS[d].label if d in datasets.DATASETS else d
        ),
    )
    wanted = None if choice == "(auto)" else choice
    if wanted != current.dataset:
        opts[sheet.raw.sheet] = SheetOptions(dataset=wanted, date_order=current.date_order)
        st.rerun()
    ambiguous = [c for c in (sheet.analysis.columns if sheet.analysis else []) if c.ambiguous]
    if ambiguous:
        st.warning("; ".join(f"{c.name}: {c.ambiguous}" for c in ambiguous))
        order = st.radio(
            "Dates are",
            ["dmy", "mdy"],
            format_func={"dmy": "day first (31/01)", "mdy": "month first (01/31)"}.get,
            index=0 if (current.date_order or ambiguous[0].date_order) == "dmy" else 1,
            horizontal=True,
            key=f"order_{prepared.sha256}_{sheet.raw.sheet}",
        )
        if order != (current.date_order or ambiguous[0].date_order):
            opts[sheet.raw.sheet] = SheetOptions(
                dataset=current.dataset, columns=current.columns, date_order=order
            )
            st.rerun()


def _mapping_editor(prepared: PreparedFile, sheet) -> None:
    state = _state()
    st.markdown("**Mapping** (canonical column ← your column); change any source to correct it")
    table = dataops.mapping_table(sheet)
    edited = st.data_editor(
        table,
        key=f"map_{prepared.sha256}_{sheet.raw.sheet}",
        hide_index=True,
        width="stretch",
        disabled=["column", "required", "type"],
        column_config={
            "source": st.column_config.SelectboxColumn(
                "Your column", options=dataops.source_choices(sheet), required=True
            ),
            "column": "Canonical column",
            "required": "",
        },
        placeholder="",
    )
    changes = dataops.overrides_from_table(table, edited)
    if changes:
        opts = state["options"].setdefault(prepared.sha256, {})
        # Keep the dataset as the "Load as" box has it (None = detected): forcing it here made
        # that box reset the options, dropping the edit and rerunning forever.
        current = opts.get(sheet.raw.sheet, SheetOptions())
        merged = {**current.columns, **changes}
        opts[sheet.raw.sheet] = SheetOptions(
            dataset=current.dataset,
            columns=merged,
            date_order=current.date_order,
        )
        st.rerun()
    if sheet.mapping.unpivot is not None:
        up = sheet.mapping.unpivot
        if up.kind == "causes":
            st.info(f"Wide layout: {len(up.columns)} cause columns unpivoted to cause + minutes.")
        else:
            st.info(
                f"Budget/actual pairs for {len(up.pairs)} accounts unpivoted to account, budget, actual."
            )


def _checks(prepared: PreparedFile, sheet) -> None:
    state = _state()
    c = dataops.checks(sheet)
    if c["duplicate"]:
        st.info(c["duplicate"], icon=":material/content_copy:")
    cols = st.columns(4)
    cols[0].metric("Rows to load", f"{c['rows']:,}")
    cols[1].metric("Rows rejected", f"{c['rejected']:,}")
    cols[2].metric("Months", len(c["months"]))
    cols[3].metric("Already loaded", len(c["overlap"]))
    if c["months"]:
        st.caption(f"Months covered: {c['months'][0]} to {c['months'][-1]}")
    for col, n in c["placeholders"].items():
        st.caption(f"Column '{col}': {n:,} placeholder values (like N/A) read as empty")
    for w in c["warnings"]:
        st.warning(w, icon=":material/warning:")
    if c["excluded"]:
        st.caption("Not data (excluded): " + "; ".join(c["excluded"][:5]))
    if c["rejected"]:
        st.dataframe(
            dataops.rejects_frame(sheet.rejects[:5]),
            hide_index=True,
            width="stretch",
            placeholder="—",
        )
        st.download_button(
            "Download all rejected rows (xlsx)",
            dataops.rejects_xlsx(prepared, sheet),
            file_name=f"rejected-{prepared.name}-{sheet.name}.xlsx",
            key=f"rej_{prepared.sha256}_{sheet.raw.sheet}",
        )
    if c["overlap"]:
        choice = st.radio(
            f"{len(c['overlap'])} month(s) already loaded for {sheet.mapping.dataset} "
            f"({c['overlap'][0]} … {c['overlap'][-1]})",
            ["replace", "append"],
            format_func={
                "replace": "Replace those months (re-export)",
                "append": "Append to what is there",
            }.get,
            key=f"replace_{prepared.sha256}_{sheet.raw.sheet}",
            horizontal=True,
        )
        state.setdefault("replace", {}).setdefault(prepared.sha256, {})[sheet.raw.sheet] = (
            choice == "replace"
        )


def load_button(ctx: PageContext, prepared: list[PreparedFile]) -> None:
    """One click loads every ready file (each file is one transaction)."""
    state = _state()
    ready = [p for p in prepared if p.status == "ready" and not p.held]
    if not prepared:
        return
    waiting = [p.name for p in prepared if p.status == "ready" and p.held]
    if waiting:
        st.caption(
            f"{', '.join(waiting)}: a sheet is held — confirm it, load it with its recipe"
            " (“Save recipe and load”), or choose “Keep raw only” in its “Load as” box."
        )
    label = f"Load {len(ready)} file{'s' if len(ready) != 1 else ''}"
    raw_only = bool(ready) and all(dataops.only_raw(p) for p in ready)
    if raw_only:
        # Said before the click: loading these changes no KPI.
        label = f"Keep {len(ready)} file{'s' if len(ready) != 1 else ''} raw only"
        st.caption(
            "Nothing in these files was recognised as one of the cockpit's datasets: loading "
            "keeps a raw copy you can query in the SQL explorer, and changes no KPI."
        )
    kind = "secondary" if raw_only else "primary"
    if st.button(label, type=kind, disabled=not ready, key="load_files"):
        # Through the process's load queue, behind any load sent to the API.
        waiting_note = st.empty()
        reports = dataops.commit_queued(
            ctx.store, ready, state.get("replace", {}), ctx.user, on_wait=waiting_note.info
        )
        waiting_note.empty()
        _loaded(reports)


def _loaded(reports: list) -> None:
    """After a load: its report, a fresh uploader, fresh figures."""
    state = _state()
    state["report"] = reports
    state["prepared"] = {}
    state["options"] = {}
    state["replace"] = {}
    state["uploader"] += 1
    st.cache_data.clear()
    st.rerun()


def last_report(ctx: PageContext | None = None) -> None:
    """The report of the last load, until the next upload, with what each load changed."""
    reports = _state().get("report")
    if not reports:
        return
    st.subheader("Load report")
    for r in reports:
        for level, text in dataops.report_summary(_Report([r])):
            getattr(st, level)(text)
        for s in r.sheets:
            for m in s.messages:
                st.caption(f"{s.sheet or r.file}: {m}")
            if ctx is not None and s.load_id is not None and s.status == "loaded":
                load_changes_section(ctx, int(s.load_id), expanded=True)


@st.cache_data(show_spinner=False, max_entries=128)
def _changes(db: str, load_id: int, undone: bool) -> dict:
    # A load's own before/after never changes (versions are append-only): cached per load.
    from cockpit.kpis.changes import load_changes

    return load_changes(get_store(), load_id)


def load_changes_section(ctx: PageContext, load_id: int, *, expanded: bool = False) -> None:
    """What a load changed on the scorecard: KPI-months old → new, new and removed values,
    target and status changes; restatements and status changes told first."""
    from cockpit.kpis.changes import table_rows

    doc = _changes(str(ctx.store.path), load_id, False)
    with st.expander(f"What load {load_id} changed: {doc['summary']}", expanded=expanded):
        if not doc["changes"]:
            st.caption("No KPI value, target or status changed with this load.")
            return
        told = [c for c in doc["changes"] if c["restated"] or c["status_text"]]
        for c in told[:8]:
            st.markdown(f"- :orange[**{c['text']}**]")
        st.dataframe(
            [
                {("KPI" if k == "kpi" else k.capitalize()): v for k, v in row.items()}
                for row in table_rows(doc["changes"])
            ],
            hide_index=True,
            width="stretch",
            placeholder="—",
        )


class _Report:
    def __init__(self, files):
        self.files = files


def history_section(ctx: PageContext) -> None:
    """Every load with its file, months, rows, status; download the original; undo."""
    st.subheader("Loads history")
    df = dataops.loads_history(ctx.store)
    if df.empty:
        st.caption("Nothing loaded yet.")
        return
    shown = df[[f for f in ledger.LOAD_FIELDS if f != "seq"]]
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "loaded_at": st.column_config.DatetimeColumn("loaded", format="D MMM YYYY, HH:mm"),
            "rows": st.column_config.NumberColumn(format="localized"),
            "load_id": st.column_config.NumberColumn("load", format="%d"),
        },
        placeholder="—",
    )
    live = df[df["status"].isin(["loaded", "raw-only"])]
    cols = st.columns([2, 1, 1])
    chosen = cols[0].selectbox(
        "Load",
        list(df["load_id"]),
        key="history_load",
        format_func=lambda i: _load_label(df, i),
    )
    if chosen is not None and str(df.loc[df["load_id"] == chosen, "status"].iloc[0]) in (
        "loaded",
        "undone",
    ):
        load_changes_section(ctx, int(chosen))
    original = None
    if chosen is not None and auth.can(ctx.user, "download_original"):
        original = dataops.original_file(ctx.store, int(chosen), ctx.user)
    if original:
        cols[1].download_button(
            "Download original", original[1], file_name=original[0], key="download_original"
        )
    undoable = chosen is not None and int(chosen) in set(live["load_id"])
    refusal = dataops.undo_refusal(ctx.store, int(chosen), ctx.user) if undoable else None
    if undoable and refusal and auth.can(ctx.user, "undo_own"):
        # Said before anyone confirms: an analyst sees why another's load is not theirs to undo.
        cols[2].button("Undo load…", key="undo_refused", disabled=True, help=refusal)
        st.caption(refusal)
    elif undoable and not refusal:
        with cols[2].popover("Undo load…"):
            st.write(
                f"Undo load {chosen}? Its rows stop counting; shared links pinned "
                "before now still show them."
            )
            if st.button("Yes, undo it", type="primary", key="confirm_undo"):
                try:
                    seq = dataops.undo_load(ctx.store, int(chosen), ctx.user)
                except auth.PermissionDenied as exc:
                    st.error(str(exc))
                else:
                    st.cache_data.clear()
                    _state()["report"] = None
                    st.toast(f"Load {chosen} undone (version {seq})")
                    st.rerun()
    if auth.can(ctx.user, "delete_any"):
        _demo_removal(ctx)


def _demo_removal(ctx: PageContext) -> None:
    """Remove the demo data once real data is in: asked first (what goes), undoable after."""
    removed = dataops.demo_removal(ctx.store)
    if removed is not None:
        st.success(
            f"Removed the demo data: {len(removed['loads'])} loads, {removed['rows']:,} rows.",
            icon=":material/delete:",
        )
        if st.button("Undo: put the demo data back", key="undo_remove_demo"):
            try:
                dataops.restore_demo(ctx.store, ctx.user)
            except ValueError as exc:
                st.error(str(exc))
            else:
                st.cache_data.clear()
                st.toast("The demo data is back")
                st.rerun()
    ids = dataops.demo_loads(ctx.store)
    if not ids or not dataops.has_real_data(ctx.store):
        return
    with st.popover("Remove demo data…"):
        st.markdown(
            f"Remove the demo data ({len(ids)} loads, {dataops.demo_rows(ctx.store):,} rows)? "
            "It stops counting on every page; links pinned before now still show it. "
            "You can undo this right after."
        )
        if st.button(
            f"Yes, remove the {len(ids)} demo loads", type="primary", key="confirm_remove_demo"
        ):
            dataops.remove_demo(ctx.store, ctx.user)
            st.cache_data.clear()
            st.rerun()


def _load_label(df, load_id) -> str:
    r = df[df["load_id"] == load_id].iloc[0]
    # A csv's sheet is shown as "—" in the table; in the label it is simply left out.
    sheet = f" › {r['sheet']}" if r["sheet"] and r["sheet"] != "—" else ""
    return f"#{load_id} {r['file']}{sheet} ({r['status']})"


def coverage_section(ctx: PageContext) -> None:
    """Months x datasets: loaded, partial, superseded, missing."""
    st.subheader("Coverage")
    grid = freshness.coverage(ctx.store, ctx.as_of_arg)
    if grid.empty:
        st.caption("No months loaded yet.")
        return
    st.altair_chart(coverage_grid(grid), width="stretch")
    gaps = freshness.missing_months(ctx.store, ctx.as_of_arg)
    for ds, months in gaps.items():
        st.caption(f"⚠️ {datasets.get(ds).label}: no data for {freshness.gap_text(months)}")


def empty_state(ctx: PageContext) -> None:
    """First start: say what to do, and offer the demo data."""
    st.info("No data yet. Upload your monthly exports above, or load the demo company to explore.")
    if auth.can(ctx.user, "upload") and st.button("Load the demo data", key="seed_demo"):
        from cockpit.demo import seed_demo

        with st.spinner("Loading the demo exports through the normal upload path…"):
            report = seed_demo(ctx.store)
        _state()["report"] = report.files
        st.cache_data.clear()
        st.rerun()
