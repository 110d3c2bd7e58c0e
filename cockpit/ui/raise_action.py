"""Raise an action, wherever a KPI is looked at: beside Share on the scorecard pages (any
KPI of the page), under each breakdown (its KPI), and on a meeting's agenda items (which then
belong to its pack). Saved with the pinned link of the view it was raised from."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from cockpit import actions, auth
from cockpit.alerts import rules
from cockpit.kpis.catalogue import CATALOGUE
from cockpit.kpis.registry import is_builtin, lookup
from cockpit.ui.shell import PageContext, public_base_url

DUE_DAYS = 7  # a new action's suggested due date: a week, the next weekly review


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
    # Not cleared on submit: a refused action keeps what was typed (cleared once saved).
    with st.form(f"action_form_{key}", border=False):
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
            if not owner:
                st.error(f"{kpi_label(kpi)} has no owner yet: name who will do it (owners are "
                         "set in Settings → Owners and alerts).")  # fmt: skip
                return
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
                for field in ("what", "owner", "note"):
                    st.session_state.pop(f"action_{field}_{key}", None)
                st.rerun()


_RAISED = "_action_raised"


def pinned_link(ctx: PageContext) -> str:
    """The view's link pinned to the data it shows (as cached.pinned_link: cached draws this
    module's breakdown button, so it is not imported here)."""
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
