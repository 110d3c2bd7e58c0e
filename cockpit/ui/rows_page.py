"""The Rows page: the rows behind a KPI in the view, a page at a time, exportable."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from cockpit import datasets
from cockpit.export import safe_csv, xlsx
from cockpit.export.names import view_file_name
from cockpit.kpis.catalogue import CATALOGUE
from cockpit.kpis.registry import lookup
from cockpit.screens import drill
from cockpit.ui import cached, errors
from cockpit.ui.shell import PageContext, url_selectbox

_PAGE = "rows_page"  # session key: the page of rows shown, per KPI and view


def body(ctx: PageContext) -> None:
    """KPI choice, what the rows are, the page of rows with Previous/Next, downloads."""
    custom = cached.kpi_definitions(ctx)
    ids = [*CATALOGUE, *sorted(custom)]
    kpi_id = _kpi_choice(ctx, ids, custom)
    kpi = lookup(kpi_id, custom)
    names = drill.sources(kpi)
    if not names:
        st.info(f"{kpi.label} has no rows of its own to show.")
        return
    dataset = None
    if len(names) > 1:
        dataset = st.segmented_control(
            "Rows of",
            names,
            default=None,
            key=f"rows_ds_{kpi_id}",
            format_func=lambda n: datasets.get(n).label,
        )
    view_id = (kpi_id, dataset, cached.view_cache_key(ctx))
    state = st.session_state.setdefault(_PAGE, {})
    page = state.get(view_id, 0)
    got = drill.rows(
        ctx.store, kpi, ctx.period, ctx.filters, as_of=ctx.as_of_arg, dataset=dataset, page=page
    )
    label = _in_sentence(datasets.get(got.dataset).label)
    st.markdown(
        f"**{got.total:,} {label} rows** behind **{kpi.label}** dated in {ctx.period.label}"
        + (f" · {_filters_text(ctx.filters)}" if ctx.filters else "")
    )
    if got.ignored_filters:
        st.caption(
            f"{datasets.get(got.dataset).label} has no "
            f"{', '.join(d.replace('_', ' ') for d in got.ignored_filters)}: "
            "that filter does not narrow these rows."
        )
    if got.others and dataset is None:
        others = ", ".join(datasets.get(n).label for n in got.others)
        st.caption(f"{kpi.label} also reads {others}: choose it under **Rows of**.")
    if not got.total:
        st.info("No rows in this view. Try a longer period or fewer filters.")
        return
    frame = drill.readable(got.rows)
    st.dataframe(
        frame.rename(columns=xlsx.header_label),
        hide_index=True,
        width="stretch",
        height=520,
        placeholder="—",
    )
    _pager(state, view_id, got)
    _downloads(ctx, kpi, got.dataset, dataset)


def _kpi_choice(ctx: PageContext, ids: list[str], custom: dict) -> str:
    """The KPI whose rows are shown, kept in the link as `kpi` (the first KPI is the
    default and stays out of it, as every default does)."""
    kpi_id = url_selectbox("KPI", ids, "kpi", lambda k: lookup(k, custom).label, ctx.state.kpi)
    ctx.state = replace(ctx.state, kpi=kpi_id if kpi_id != ids[0] else None)
    return kpi_id


def _pager(state: dict, view_id, got: drill.DrillRows) -> None:
    """Previous / where we are / Next; a click moves the page before the next run draws."""
    row = st.container(horizontal=True, vertical_alignment="center")
    row.button(
        "Previous",
        key="rows_prev",
        disabled=got.page == 0,
        icon=":material/chevron_left:",
        on_click=_go,
        args=(state, view_id, got.page - 1),
    )
    row.markdown(
        f"Rows {got.first_row:,}–{got.last_row:,} of {got.total:,} · "
        f"page {got.page + 1} of {got.pages}"
    )
    row.button(
        "Next",
        key="rows_next",
        disabled=got.page + 1 >= got.pages,
        icon=":material/chevron_right:",
        on_click=_go,
        args=(state, view_id, got.page + 1),
    )


@errors.callback("the Rows page")
def _go(state: dict, view_id, page: int) -> None:
    state[view_id] = max(0, page)


def _downloads(ctx: PageContext, kpi, shown: str, dataset: str | None) -> None:
    """CSV and xlsx of every row in the view (up to drill.EXPORT_MAX_ROWS)."""

    def table() -> pd.DataFrame:
        got = drill.export_table(
            ctx.store, kpi, ctx.period, ctx.filters, as_of=ctx.as_of_arg, dataset=dataset
        )
        return drill.readable(got.rows)

    name = view_file_name(
        f"{kpi.id}-rows", ctx.period.label, filters=ctx.filters, ext="xlsx"
    ).removesuffix(".xlsx")
    context = cached.context_lines(ctx)
    title = f"{kpi.label}: {datasets.get(shown).label} rows"
    row = st.container(horizontal=True)
    row.download_button(
        "⬇ csv",
        lambda: safe_csv.to_csv_bytes(table()),
        file_name=f"{name}.csv",
        key="rows_csv",
        on_click="ignore",
        type="tertiary",
        mime="text/csv",
    )
    row.download_button(
        "⬇ xlsx",
        lambda: xlsx.table_to_xlsx(table(), title=title, context=context),
        file_name=f"{name}.xlsx",
        key="rows_xlsx",
        on_click="ignore",
        type="tertiary",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    st.caption(f"Downloads hold every row of the view, up to {drill.EXPORT_MAX_ROWS:,}.")


def _in_sentence(label: str) -> str:
    """A dataset's label inside a sentence: its first letter lower, acronyms kept
    ('Contact-centre statistics (ACD)' -> 'contact-centre statistics (ACD)', not '(acd)')."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def _filters_text(filters: dict) -> str:
    return "; ".join(f"{k.replace('_', ' ')}: {', '.join(v)}" for k, v in filters.items())
