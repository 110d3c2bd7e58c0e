"""Actions in the app: "Raise an action" (the view bar of the scorecard pages, each
breakdown, each agenda item of a meeting) and the Actions page (open actions by KPI and
owner, overdue first; mark done; edit)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cockpit import actions, auth
from cockpit.alerts import rules
from cockpit.kpis.catalogue import CATALOGUE
from cockpit.kpis.registry import is_builtin, lookup
from cockpit.ui.shell import PageContext, public_base_url

DUE_DAYS = 7  # a new action's suggested due date: a week, the next weekly review
STATUS_FILTERS = {"overdue": "Overdue", "open": "Open", "done": "Done"}


def kpi_label(kpi_id: str | None) -> str:
    return lookup(kpi_id).label if kpi_id and is_builtin(kpi_id) else (kpi_id or "")


def raise_button(ctx: PageContext) -> None:
    """The view bar's "Raise an action": a popover with the form, on any KPI of the view."""
    if not auth.can(ctx.user, "actions") or ctx.period is None:
        return
    kpi_ids = [k for k, kpi in CATALOGUE.items() if _on_page(ctx, kpi.group)]
    with st.popover("Raise an action", icon=":material/add_task:", key="raise_action"):
        raise_form(ctx, kpi_ids, key="bar")


def _on_page(ctx: PageContext, group: str) -> bool:
    from cockpit import navigation

    page = navigation.for_group(group)
    return ctx.page == "overview" or (page is not None and page.id == ctx.page)


def raise_form(ctx: PageContext, kpi_ids: list[str], *, key: str, note: str = "",
               pack_id: int | None = None, link: str | None = None) -> None:  # fmt: skip
    """What, owner (blank: the KPI's owner), due date and note; saved with the pinned link of
    this view (`link`) and, in a meeting, its pack."""
    raised = st.session_state.pop(_RAISED, None)
    if raised:  # a toast: the form's popover is closed again after the save
        st.toast(raised, icon=":material/task_alt:")
    link = link or pinned_link(ctx)  # now, in the page's run: it needs the browser URL
    seq = ctx.state.asof if ctx.state.asof is not None else ctx.latest_seq
    with st.form(f"action_form_{key}", clear_on_submit=True, border=False):
        kpi = (
            st.selectbox("KPI", kpi_ids, format_func=kpi_label, key=f"action_kpi_{key}")
            if len(kpi_ids) > 1
            else kpi_ids[0]
        )
        what = st.text_input("What is to be done", key=f"action_what_{key}",
                             placeholder="e.g. Re-plan the Lyon night shift")  # fmt: skip
        c1, c2 = st.columns(2)
        owner = c1.text_input("Owner", key=f"action_owner_{key}",
                              placeholder="blank: the KPI's owner")  # fmt: skip
        due = c2.date_input("Due", value=dt.date.today() + dt.timedelta(days=DUE_DAYS),
                            key=f"action_due_{key}", format="YYYY-MM-DD")  # fmt: skip
        note = st.text_area("Note", value=note, key=f"action_note_{key}", height=68)
        if st.form_submit_button("Raise the action", key=f"action_save_{key}", type="primary"):
            owner = owner.strip() or _kpi_owner(ctx, kpi)
            try:
                actions.raise_action(ctx.store, ctx.user, kpi=kpi, what=what, owner=owner,
                                     due=due, note=note, link=link, seq=seq, pack_id=pack_id)  # fmt: skip
            except (ValueError, auth.PermissionDenied) as exc:
                st.error(str(exc))
            else:
                # The cards count it: the whole page again, saying so once there.
                st.session_state[_RAISED] = (
                    f"Action raised on {kpi_label(kpi)} for {owner}, due {due:%d %b %Y}."
                )
                st.rerun()


_RAISED = "_action_raised"


_FLASH = "_actions_flash"


def flash(text: str) -> None:
    """Say `text` at the top of the next run, and start it (what was drawn is out of date)."""
    st.session_state[_FLASH] = text
    st.rerun()


def show_flash() -> None:
    text = st.session_state.pop(_FLASH, None)
    if text:
        st.success(text, icon=":material/task_alt:")


def pinned_link(ctx: PageContext) -> str:
    """The view's link pinned to the data it shows (as cached.pinned_link, which draws on
    this module's breakdown button: not imported from there)."""
    from dataclasses import replace

    from cockpit import links

    state = ctx.state if ctx.state.asof is not None else replace(ctx.state, asof=ctx.latest_seq)
    return links.to_url(state, public_base_url())


def _kpi_owner(ctx: PageContext, kpi: str) -> str:
    owner = rules.owner_of(rules.owners_by_kpi(ctx.store), kpi, _one_site(ctx))
    return owner["owner"] if owner else ""


def _one_site(ctx: PageContext) -> str | None:
    sites = ctx.filters.get("site") or []
    return sites[0] if len(sites) == 1 else None


def breakdown_raise(ctx: PageContext, kpi_id: str, dimension: str, *, key: str) -> None:
    """A breakdown's "Raise an action" on its KPI, the note saying which breakdown."""
    if not auth.can(ctx.user, "actions"):
        return
    with st.popover("Raise an action", icon=":material/add_task:", type="tertiary",
                    key=f"raise_{key}"):  # fmt: skip
        raise_form(ctx, [kpi_id], key=key,
                   note=f"From {kpi_label(kpi_id)} by {dimension.replace('_', ' ')}.")  # fmt: skip


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
