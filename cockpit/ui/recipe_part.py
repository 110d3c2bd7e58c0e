"""The Data page's recipes: a checked sheet's recipe as a form with its live preview, "save
recipe and load", and the saved recipes (list, export, import, delete). Logic: screens/recipe_form."""

from __future__ import annotations

import hashlib

import streamlit as st

from cockpit import auth, datasets, recipes
from cockpit.ingest.model import PreparedFile
from cockpit.recipes.model import RecipeError, parse
from cockpit.screens import recipe_form as rf
from cockpit.ui import errors
from cockpit.ui.resources import get_store
from cockpit.ui.shell import PageContext


def _state() -> dict:
    return st.session_state.setdefault("recipe_form", {"toml": {}, "gen": {}})


@st.cache_data(show_spinner=False, max_entries=64)
def _preview(db: str, sha: str, name: str, toml: str, _data: bytes) -> dict:
    # Cached by the recipe's TOML text: a rerun that changed nothing costs nothing.
    return rf.preview_view(get_store(), _data, name, toml)


def recipe_part(ctx: PageContext, prepared: PreparedFile, sheet):
    """The sheet's recipe as a form beside its preview (held sheets open with it shown);
    the load report once "Save recipe and load" loaded the file with it, else None."""
    if not auth.can(ctx.user, "map"):
        return None
    key = f"{prepared.sha256[:16]}_{sheet.raw.sheet or ''}"
    shown = st.toggle(
        "Recipe: say exactly how this sheet loads",
        value=sheet.status == "held",
        key=f"rf_open_{key}",
    )
    if not shown:
        return None
    state = _state()
    if key not in state["toml"]:
        state["toml"][key] = rf.initial(sheet, ctx.store).to_toml()
        state["gen"][key] = 0
    base = parse(state["toml"][key])
    gen = f"{state['gen'][key]}_{key}"
    form, view = st.columns([1, 1], gap="medium")
    with form:
        recipe = _fields(base, rf.headers(sheet), gen)
        problem = rf.check(recipe)
        if problem:
            st.error(problem, icon=":material/block:")
            recipe = base
        toml = recipe.to_toml()
        state["toml"][key] = toml
        _text_view(key, toml)
    with view:
        _preview_part(ctx, prepared, toml)
    return _save_and_load(ctx, prepared, recipe, key, blocked=bool(problem))


def _fields(base, names: list[str], gen: str):
    name = st.text_input(
        "Recipe name",
        value=base.name or "",
        key=f"rf_name_{gen}",
        help="Saved under this name; next month's file of the same layout loads with it.",
    )
    choices = list(datasets.DATASETS)
    dataset = st.selectbox(
        "Dataset",
        choices,
        index=choices.index(base.dataset) if base.dataset in choices else 0,
        format_func=lambda d: datasets.get(d).label,
        key=f"rf_ds_{gen}",
    )
    ds = datasets.get(dataset)
    st.markdown("**Columns** (each from one of your columns, or an expression)")
    picks = [rf.UNUSED, *names, rf.EXPRESSION]
    columns = {}
    for col in ds.columns:
        choice, expr = rf.column_choice(base, col.name, names)
        choice = st.selectbox(
            col.name,
            picks,
            index=picks.index(choice) if choice in picks else 0,
            format_func=lambda c: {"": "— not used —", rf.EXPRESSION: "an expression…"}.get(c, c),
            key=f"rf_col_{col.name}_{gen}",
            help=col.description or None,
        )
        if choice == rf.EXPRESSION:
            expr = st.text_input(
                f"{col.name} =",
                value=expr,
                key=f"rf_expr_{col.name}_{gen}",
                placeholder="\"outcome\" = 'AGENT'",
            )
        columns[col.name] = (choice, expr)
    where = st.text_input(
        "Only rows where (filter)",
        value=base.where or "",
        key=f"rf_where_{gen}",
        placeholder="\"outcome\" <> 'PHANTOM'",
        help="A condition over your columns (names in double quotes); other rows are left out.",
    )
    probe = rf.from_form(base, dataset=dataset, columns=columns)
    month = ""
    if rf.month_column(probe):
        month = st.text_input(
            "Month of this file (it has no dates), YYYY-MM",
            value=rf.month_text(base),
            key=f"rf_month_{gen}",
            placeholder="2024-03",
        )
    header_row = st.number_input(
        "Header row", min_value=1, value=base.header_row or 1, step=1, key=f"rf_head_{gen}"
    )
    unpivot = None
    if base.unpivot is not None or ds.name in ("budget", "targets"):
        unpivot = _unpivot(base, ds, names, gen)
    return rf.from_form(
        base,
        name=name,
        dataset=dataset,
        columns=columns,
        where=where,
        month=month,
        header_row=int(header_row),
        unpivot=unpivot,
    )


def _unpivot(base, ds, names: list[str], gen: str) -> dict:
    up = base.unpivot
    st.markdown("**Months across the columns** (unpivot)")
    picked = st.multiselect(
        "Month columns",
        names,
        default=[c for c in (up.columns if up else []) if c in names],
        key=f"rf_upcols_{gen}",
    )
    values = [c for c in ds.column_names if ds.column(c).type == datasets.NUMBER]
    value = st.selectbox(
        "Their cells become",
        values,
        index=values.index(up.value) if up and up.value in values else 0,
        key=f"rf_upval_{gen}",
    )
    year = st.number_input(
        "Year (when the headers name none; 0: they do)",
        min_value=0,
        max_value=2099,
        value=(up.year or 0) if up else 0,
        key=f"rf_upyear_{gen}",
    )
    return {"columns": picked, "value": value, "year": int(year) or None}


def _text_view(key: str, toml: str) -> None:
    """The recipe as TOML; an edit here becomes the form (the form's widgets start anew)."""
    digest = hashlib.sha256(toml.encode()).hexdigest()[:12]
    with st.expander("Edit as text (TOML)"):
        text = st.text_area(
            "Recipe", value=toml, height=260, key=f"rf_text_{key}_{digest}",
            label_visibility="collapsed",
        )  # fmt: skip
        if text.strip() == toml.strip():
            return
        try:
            edited = parse(text)
        except RecipeError as exc:
            st.error(str(exc), icon=":material/block:")
            return
        state = _state()
        state["toml"][key] = edited.to_toml()
        state["gen"][key] += 1
        st.rerun()


def _preview_part(ctx: PageContext, prepared: PreparedFile, toml: str) -> None:
    view = _preview(str(ctx.store.path), prepared.sha256, prepared.name, toml, prepared.data)
    if view["error"]:
        st.error(view["error"], icon=":material/block:")
    if view["rows"].empty and not view["error"]:
        st.caption("The recipe gives no rows yet.")
    if not view["rows"].empty:
        st.markdown("**Preview**: the first rows as the dataset will hold them")
        st.dataframe(view["rows"], hide_index=True, width="stretch", placeholder="—")
    dropped = view["dropped"]
    if dropped.empty:
        st.caption("The filter leaves out no rows.")
    else:
        st.markdown(f"**Left out by the filter**: {len(dropped):,} row(s)")
        st.dataframe(dropped, hide_index=True, width="stretch", placeholder="—")
    if view["figures"]:
        months = view["months"]
        span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
        st.markdown(f"**Figures this file gives** ({span})")
        figures = view["figures"]
        for start in range(0, len(figures), 3):
            cells = st.columns(3)
            for cell, fig in zip(cells, figures[start : start + 3], strict=False):
                cell.metric(fig["KPI"], fig["Value"])
    elif not view["error"]:
        st.caption("No KPI figures yet: the rows need a date (or the file's month).")
    if view["rejected"]:
        st.caption(f"{view['rejected']:,} row(s) would be rejected (see the checks above).")


def _save_and_load(ctx: PageContext, prepared: PreparedFile, recipe, key: str, *, blocked: bool):
    # Blocked while the form says something the recipe cannot hold (its message is shown).
    if not st.button(
        "Save recipe and load", type="primary", key=f"rf_save_{key}", disabled=blocked
    ):
        return None
    waiting = st.empty()
    try:
        report = rf.save_and_load(
            ctx.store, prepared.data, prepared.name, recipe, ctx.user, on_wait=waiting.info
        )
    except (RecipeError, auth.PermissionDenied) as exc:
        waiting.empty()
        st.error(str(exc), icon=":material/block:")
        return None
    waiting.empty()
    if report.status == "rejected":  # nothing stored: the form stays as the analyst left it
        for text in [*report.messages, *(m for sh in report.sheets for m in sh.messages)]:
            st.error(text, icon=":material/block:")
        return None
    _state()["toml"].pop(key, None)
    return report


def recipes_section(ctx: PageContext) -> None:
    """The saved recipes (analysts and admins): list, export, import; delete for admins."""
    if not auth.can(ctx.user, "map"):
        return
    st.subheader("Recipes")
    table = rf.saved_table(ctx.store)
    if table.empty:
        st.caption("No saved recipes yet: save one from a sheet's Recipe form above.")
    else:
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                "Saved at": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
                "Last used": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
            },
            placeholder="—",
        )
        cols = st.columns([2, 1, 1], vertical_alignment="bottom")
        name = cols[0].selectbox("Recipe", list(table["Recipe"]), key="rf_saved_pick")
        recipe, version = recipes.get(ctx.store, name)
        cols[1].download_button(
            "Export as TOML",
            recipe.to_toml(),
            file_name=f"{name}.toml",
            mime="application/toml",
            key="rf_export",
        )
        _history_and_rename(ctx, name)
        if auth.can(ctx.user, "delete_any"):
            with cols[2].popover("Delete…"):
                st.write(f"Delete recipe {name!r}? Loads made with it keep naming its versions.")
                st.button(
                    "Yes, delete it", type="primary", key="rf_delete",
                    on_click=_delete, args=(ctx, name),
                )  # fmt: skip
    said = _state().pop("said", None)
    if said:
        st.success(said, icon=":material/check:")
    refused = _state().pop("said_error", None)
    if refused:
        st.error(refused, icon=":material/block:")
    # Drawn only when asked for: the page's one uploader stays the exports' uploader.
    if not st.toggle("Import a recipe (TOML)", key="rf_import_open"):
        return
    upload = st.file_uploader("Recipe file (TOML)", type=["toml"], key="rf_import_file")
    if upload is not None and st.button("Import recipe", key="rf_import"):
        try:
            text = upload.getvalue().decode("utf-8")
            _state()["said"] = rf.import_toml(ctx.store, text, upload.name, ctx.user)
        except (RecipeError, UnicodeDecodeError, auth.PermissionDenied) as exc:
            st.error(str(exc), icon=":material/block:")
        else:
            st.rerun()


def _history_and_rename(ctx: PageContext, name: str) -> None:
    """The chosen recipe's versions, each with what it changed, and a new name for it."""
    with st.expander(f"Versions of {name!r}", key="rf_history_open"):
        for v in recipes.history(ctx.store, name):
            when = v["created_at"].strftime("%d %b %Y %H:%M") if v["created_at"] else "—"
            st.markdown(f"**Version {v['version']}** · {v['created_by'] or '—'} · {when}")
            if v["diff"]:
                st.code(v["diff"], language="diff")
            else:
                st.caption("The first version.")
    row = st.columns([2, 1], vertical_alignment="bottom")
    new = row[0].text_input("Rename to", key="rf_rename_to", placeholder=name)
    row[1].button("Rename", key="rf_rename", on_click=_rename, args=(ctx, name, new),
                  disabled=not new or new == name)  # fmt: skip


@errors.callback("renaming a recipe")
def _rename(ctx: PageContext, name: str, new: str) -> None:
    try:
        recipes.rename(ctx.store, name, new, ctx.user)
    except RecipeError as exc:
        _state()["said_error"] = str(exc)
        return
    _state()["said"] = f"Renamed recipe {name!r} to {new.strip()!r}; its loads follow."
    st.session_state.pop("rf_rename_to", None)
    st.session_state["rf_saved_pick"] = new.strip()


@errors.callback("deleting a recipe")
def _delete(ctx: PageContext, name: str) -> None:
    recipes.delete(ctx.store, name, ctx.user)
    _state()["said"] = f"Deleted recipe {name!r}."
