"""The Actions page: open actions by KPI and owner, overdue first, with filters; marking
done (an action's owner, or an analyst) and editing (analysts and admins)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import actions, auth
from cockpit.ui import cached
from cockpit.ui.raise_action import kpi_label
from cockpit.ui.shell import PageContext

STATUS_FILTERS = {"overdue": "Overdue", "open": "Open", "done": "Done"}
_FLASH = "_actions_flash"


def flash(text: str) -> None:
    """Say `text` at the top of the next run, and start it (what was drawn is out of date)."""
    st.session_state[_FLASH] = text
    st.rerun()


def show_flash() -> None:
    text = st.session_state.pop(_FLASH, None)
    if text:
        st.success(text, icon=":material/task_alt:")


def table(rows: list[dict]) -> pd.DataFrame:
    """Actions as the pages show them: status, due, KPI, what, owner, note, view link."""
    return pd.DataFrame(
        [
            {
                "Status": STATUS_FILTERS[r["status"]]
                + (f" ({r['days_late']} d)" if r["status"] == "overdue" else ""),
                "Due": actions._date(r["due"]),
                "KPI": kpi_label(r["kpi"]),
                "What": r["what"],
                "Owner": r["owner"],
                "Note": r["note"] or "",
                "Meeting": r["pack_name"] or "",
                "Raised by": r["raised_by"] or "",
                "View": r["link"] or "",
            }
            for r in rows
        ],  # fmt: skip
        columns=["Status", "Due", "KPI", "What", "Owner", "Note", "Meeting", "Raised by", "View"],
    )


def show_table(rows: list[dict], *, key: str) -> None:
    st.dataframe(table(rows), hide_index=True, width="stretch", placeholder="—", key=key,
                 column_config={
                     "Due": st.column_config.DateColumn("Due", format="D MMM YYYY"),
                     "View": st.column_config.LinkColumn("View raised from", display_text="open"),
                 })  # fmt: skip


def body(ctx: PageContext) -> None:
    """Filters, the actions (overdue first), then marking done and editing."""
    show_flash()
    every = actions.list_actions(ctx.store, ctx.user)
    if not every and not ctx.store.has_data():
        cached.no_data(ctx)
        return
    if not every:
        st.info("No actions yet. Raise one from a KPI card's view (Raise an action, beside "
                "Share), from a breakdown, or in a meeting.")  # fmt: skip
        return
    c1, c2, c3 = st.columns(3)
    kpis = sorted({r["kpi"] for r in every if r["kpi"]}, key=kpi_label)
    kpi = c1.selectbox("KPI", [None, *kpis], key="actions_kpi",
                       format_func=lambda k: "All KPIs" if k is None else kpi_label(k))  # fmt: skip
    owners = sorted({r["owner"] for r in every}, key=str.casefold)
    owner = c2.selectbox("Owner", [None, *owners], key="actions_owner",
                         format_func=lambda o: "Everyone" if o is None else o)  # fmt: skip
    states = c3.multiselect("Status", list(STATUS_FILTERS), default=["overdue", "open"],
                            format_func=STATUS_FILTERS.get, key="actions_status")  # fmt: skip
    rows = actions.list_actions(ctx.store, ctx.user, kpi=kpi, owner=owner,
                                states=tuple(states) or None)  # fmt: skip
    counts = {s: sum(1 for r in every if r["status"] == s) for s in STATUS_FILTERS}
    st.caption(f"{counts['overdue']} overdue · {counts['open']} open · {counts['done']} done "
               "in all. Overdue: open past its due date.")  # fmt: skip
    if not rows:
        st.info("No actions match these filters.")
    else:
        show_table(rows, key="actions_table")
    _mark_done(ctx, [r for r in every if r["status"] != "done"])
    if auth.can(ctx.user, "actions"):
        _edit(ctx, every)


def _mark_done(ctx: PageContext, open_rows: list[dict]) -> None:
    mine = [r for r in open_rows if actions.may_mark_done(ctx.user, r)]
    if not mine:
        if open_rows:
            st.caption("An action's owner marks it done; analysts and admins may for anyone.")
        return
    st.subheader("Mark done")
    with st.form("action_done_form", border=False):
        chosen = st.selectbox("Action", [r["action_id"] for r in mine], key="done_action",
                              format_func=lambda i: _choice(mine, i))  # fmt: skip
        if st.form_submit_button("Mark done", key="done_save"):
            _do(lambda: actions.set_done(ctx.store, ctx.user, chosen), "Marked done.")


def _edit(ctx: PageContext, rows: list[dict]) -> None:
    with st.expander("Edit an action", icon=":material/edit:"):
        chosen = st.selectbox("Action", [r["action_id"] for r in rows], key="edit_action",
                              format_func=lambda i: _choice(rows, i))  # fmt: skip
        r = next(x for x in rows if x["action_id"] == chosen)
        with st.form(f"action_edit_{chosen}", border=False):
            what = st.text_input("What", value=r["what"], key=f"edit_what_{chosen}")
            c1, c2 = st.columns(2)
            owner = c1.text_input("Owner", value=r["owner"], key=f"edit_owner_{chosen}")
            due = c2.date_input("Due", value=actions._date(r["due"]), key=f"edit_due_{chosen}",
                                format="YYYY-MM-DD")  # fmt: skip
            note = st.text_area("Note", value=r["note"] or "", key=f"edit_note_{chosen}", height=68)
            save, reopen = st.columns(2)
            if save.form_submit_button("Save", key=f"edit_save_{chosen}"):
                _do(lambda: actions.edit(ctx.store, ctx.user, chosen, what=what, owner=owner,
                                         due=due, note=note), "Action saved.")  # fmt: skip
            if r["state"] == "done" and reopen.form_submit_button("Open again",
                                                                  key=f"edit_reopen_{chosen}"):  # fmt: skip
                _do(lambda: actions.set_done(ctx.store, ctx.user, chosen, done=False),
                    "Action open again.")  # fmt: skip


def _choice(rows: list[dict], action_id: int) -> str:
    r = next(x for x in rows if x["action_id"] == action_id)
    return f"#{action_id} {kpi_label(r['kpi'])}: {actions.line(r)}"


def _do(fn, done: str) -> None:
    try:
        fn()
    except (ValueError, KeyError, auth.PermissionDenied) as exc:
        st.error(str(exc))
    else:
        flash(done)
