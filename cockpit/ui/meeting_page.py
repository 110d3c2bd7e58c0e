"""Meeting packs in the app: the Overview's "Start a meeting", and the Meeting page (the
list of packs, or one pack: its agenda, what changed since the last pack, its actions)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cockpit import actions, auth, meetings, navigation
from cockpit.ui import actions_page, cached, raise_action
from cockpit.ui.shell import PageContext, public_base_url

BADGES = {"red": "red", "amber": "orange", "green": "green"}  # Markdown badge colours


def start_button(ctx: PageContext) -> None:
    """The Overview's "Start a meeting": pins the data and opens the new pack's page."""
    if not auth.can(ctx.user, "meetings") or ctx.period is None:
        return
    with st.popover("Start a meeting", icon=":material/groups:", key="start_meeting"):
        name = st.text_input("Meeting", value=meetings.default_name(dt.date.today()),
                             key="meeting_name")  # fmt: skip
        st.caption("Pins the data as it is now; the agenda is this view's red and amber KPIs.")
        if st.button("Start", key="meeting_start", type="primary"):
            try:
                pack_id = meetings.start_meeting(
                    ctx.store, ctx.user, name=name, period=ctx.period, compare=ctx.state.compare,
                    filters=ctx.filters, view_url=cached.pinned_link(ctx),
                )  # fmt: skip
            except (ValueError, auth.PermissionDenied) as exc:
                st.error(str(exc))
                return
            st.switch_page(navigation.page("meeting").file, query_params={"pack": str(pack_id)})


def body(ctx: PageContext) -> None:
    """One pack (`pack=` in the link), else the list of packs."""
    actions_page.show_flash()
    if ctx.state.pack is not None:
        pack_section(ctx, ctx.state.pack)
    else:
        pack_list(ctx)


def pack_list(ctx: PageContext) -> None:
    packs = meetings.list_packs(ctx.store, ctx.user)
    if not packs and not ctx.store.has_data():
        cached.no_data(ctx)
        return
    if not packs:
        st.info("No meetings yet. Start one from the Overview (Start a meeting, beside Share): "
                "it pins the data and lists the red and amber KPIs with their owners.")  # fmt: skip
        return
    st.caption("Each meeting's pack, newest first: the record of what was reviewed and decided.")
    base = public_base_url()
    st.dataframe(
        pd.DataFrame([{
            "Meeting": p["name"], "Held": p["created_at"], "By": p["created_by"] or "",
            "Data": f"load {p['seq']}", "Agenda": f"{p['agenda_items']} KPIs",
            "Actions": f"{p['actions']} raised, {p['actions_done']} done",
            "Pack": meetings.pack_url(p["pack_id"], base),
        } for p in packs]),  # fmt: skip
        hide_index=True, width="stretch", placeholder="—", key="packs_table",
        column_config={
            "Held": st.column_config.DatetimeColumn("Held", format="D MMM YYYY, HH:mm"),
            "Pack": st.column_config.LinkColumn("Pack", display_text="open"),
        },
    )  # fmt: skip


def pack_section(ctx: PageContext, pack_id: int) -> None:
    pack = meetings.pack_view(ctx.store, ctx.user, pack_id)
    when = ctx.store.seq_time(pack["seq"])
    when_text = f"{when:%d %b %Y %H:%M}" if when else "its load"
    view = pack["view"]
    link = meetings.pack_url(pack_id, public_base_url())
    st.subheader(pack["name"])
    st.caption(f"Started by {pack['created_by']} on {pack['created_at']:%d %b %Y %H:%M} · data "
               f"as of load {pack['seq']} · {view.get('basis', '')} · "
               f"{view.get('headline', '')}")  # fmt: skip
    row = st.container(horizontal=True, vertical_alignment="center")
    row.code(link, language=None, width="content")
    row.download_button(
        "Brief", lambda: meetings.brief(pack, link=link, when_text=when_text).encode("utf-8"),
        file_name=f"meeting-pack-{pack_id}.html", mime="text/html", key="pack_brief",
        on_click="ignore", icon=":material/print:", help="The pack on one page, with its actions",
    )  # fmt: skip
    st.markdown(f"#### Agenda: {len(pack['agenda'])} KPIs red or amber, furthest off first")
    if not pack["agenda"]:
        st.info("Every KPI with a target was on target in this view: nothing on the agenda.")
    for n, item in enumerate(pack["agenda"], 1):
        _agenda_item(ctx, pack, n, item, link)
    _changes(pack)
    st.markdown("#### Actions raised in this meeting")
    if pack["actions"]:
        actions_page.show_table(pack["actions"], key="pack_actions")
    else:
        st.caption("None yet: raise them from the agenda items above.")


def _agenda_item(ctx: PageContext, pack: dict, n: int, item: dict, link: str) -> None:
    e = _md
    with st.container(border=True, key=f"agenda_{n}"):
        st.markdown(
            f"**{n}. {e(item['label'])}** "
            f":{BADGES.get(item['status'], 'gray')}-badge[{e(item['status_text'])}] · "
            f"**{e(item['value_text'])}** vs target "
            f"{e(item['target_text'])} · {e(item['distance_text'])}"
        )
        st.caption(f"Owner: {e(item['owner']) or 'none named (Settings → Owners and alerts)'}"
                   f" · What moved: {e(item['moved'])}")  # fmt: skip
        _action_lines("Open actions", item["open_actions"])
        if pack["prev_pack_id"] is not None:
            _action_lines("Last meeting's actions", item["last_actions"])
        if auth.can(ctx.user, "actions"):
            with st.popover("Raise an action", icon=":material/add_task:", type="tertiary",
                            key=f"raise_agenda_{n}"):  # fmt: skip
                raise_action.raise_form(ctx, [item["kpi"]], key=f"agenda_{n}",
                                        pack_id=pack["pack_id"], link=link)  # fmt: skip


def _action_lines(title: str, rows: list[dict]) -> None:
    if not rows:
        st.caption(f"{title}: none")
        return
    lines = "\n".join(f"- {_md(actions.line(a))}" for a in rows)
    st.markdown(f"{title}:\n{lines}")


def _changes(pack: dict) -> None:
    st.markdown("#### What changed since the last pack")
    if pack["prev_pack_id"] is None:
        st.caption("This is the first pack: nothing earlier to compare with.")
        return
    if not pack["changes"]:
        st.caption("No data was loaded between the two packs.")
        return
    for c in pack["changes"]:
        more = f"\n- … and {c['more']} more" if c["more"] else ""
        items = "".join(f"\n- {_md(t)}" for t in c["changes"])
        st.markdown(f"**{_md(c['file'])}** ({_md(c['dataset'])}): {_md(c['summary'])}{items}{more}")


def _md(text) -> str:
    """User text (names, what to do) shown as itself in Markdown, inside a line (a line's
    own start is ours: '**1.', '- ')."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#|<>$~" else ch for ch in str(text or ""))
