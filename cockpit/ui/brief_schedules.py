"""Settings: the brief on a schedule (admins add, change, remove and send; everyone who may
read sees the schedules and every send). The core (cockpit.briefs.schedule) checks roles."""

from __future__ import annotations

import streamlit as st

from cockpit import auth
from cockpit.briefs import cron, schedule
from cockpit.screens import settings_view
from cockpit.ui.shell import PageContext

CADENCES = {
    "weekly": cron.describe(cron.WEEKLY),
    "monthly": cron.describe(cron.MONTHLY),
    "cron": "A cron expression",
}


def settings_section(ctx: PageContext) -> None:
    st.subheader("Brief on a schedule")
    st.caption(
        "The one-page brief of a view, as a PDF, e-mailed with its link pinned to the data it "
        "shows. A schedule missed while the server was down is sent once when it is back. "
        "E-mail goes through the SMTP server of Owners and alerts. Times are in each "
        "schedule's time zone; the tables show UTC."
    )
    # Filled after the form: a schedule saved in this run is in the table at once.
    slot = st.container()
    if auth.can(ctx.user, "settings"):
        _schedule_form(ctx)
        _send_or_remove(ctx)
    else:
        st.caption(f"Managing schedules needs the admin role; {auth.who_may('settings')} may.")
    with slot:
        st.dataframe(
            settings_view.brief_schedules_table(ctx.store, ctx.user),
            hide_index=True,
            width="stretch",
            placeholder="—",
            column_config={
                "name": st.column_config.TextColumn("Schedule"),
                "when": st.column_config.TextColumn("When"),
                "timezone": st.column_config.TextColumn("Time zone"),
                "view": st.column_config.TextColumn("View"),
                "recipients": st.column_config.TextColumn("Recipients"),
                "last_slot": st.column_config.TextColumn(
                    "Last slot", help="Sent, or past when the schedule was saved"
                ),
                "next_slot": st.column_config.TextColumn("Next"),
            },
        )
    with st.expander("Sends", icon=":material/outgoing_mail:"):
        st.dataframe(
            settings_view.brief_sends_table(ctx.store, ctx.user),
            hide_index=True,
            width="stretch",
            placeholder="—",
            column_config={
                "at": st.column_config.TextColumn("Sent at"),
                "schedule": st.column_config.TextColumn("Schedule"),
                "slot": st.column_config.TextColumn("For the slot"),
                "trigger": st.column_config.TextColumn("By"),
                "recipients": st.column_config.TextColumn("Recipients"),
                "status": st.column_config.TextColumn("Status"),
                "error": st.column_config.TextColumn("Error"),
                "link": st.column_config.LinkColumn("Pinned link"),
            },
        )


def _schedule_form(ctx: PageContext) -> None:
    with st.form("brief_schedule_form"):
        c1, c2, c3 = st.columns([2, 2, 1])
        name = c1.text_input("Schedule name", placeholder="Monday pack", key="brief_name")
        cadence = c2.selectbox("When", list(CADENCES), format_func=CADENCES.get,
                               key="brief_cadence")  # fmt: skip
        timezone = c3.text_input("Time zone", value="UTC", key="brief_tz")
        expression = st.text_input(
            "Cron expression (with 'A cron expression': minute hour day month weekday)",
            placeholder="30 6 * * 1-5", key="brief_cron",
        )  # fmt: skip
        view = st.text_input(
            "View (a link from Share on any page; blank: the Overview as it opens)",
            placeholder="http://localhost:8501/?period=quarter&f_site=Leeds", key="brief_view",
        )  # fmt: skip
        recipients = st.text_area("Recipients (e-mail addresses, comma or line separated)",
                                  key="brief_recipients", height=68)  # fmt: skip
        enabled = st.checkbox("Enabled", value=True, key="brief_enabled")
        if st.form_submit_button("Save schedule", type="primary", key="brief_save"):
            when = expression if cadence == "cron" else cadence
            try:
                saved = schedule.save(ctx.store, ctx.user, name=name, when=when, view_url=view,
                                      recipients=recipients, timezone=timezone.strip() or "UTC",
                                      enabled=enabled)  # fmt: skip
            except (ValueError, auth.PermissionDenied) as exc:
                st.error(f"Not saved: {exc}")
            else:
                upcoming = saved.next_slot(schedule.utc_now())
                st.success(f"Saved {saved.name}; next send {settings_view.utc_text(upcoming)}.")


def _send_or_remove(ctx: PageContext) -> None:
    names = [s.name for s in schedule.list_schedules(ctx.store)]
    if not names:
        return
    c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    name = c1.selectbox("Schedule", names, key="brief_pick")
    if c2.button("Send now", key="brief_send_now", icon=":material/send:"):
        with st.spinner("Rendering the brief and sending it…"):
            try:
                done = schedule.send_now(ctx.store, ctx.user, name, trigger="settings")
            except (ValueError, KeyError, auth.PermissionDenied) as exc:
                st.error(str(exc))
            else:
                if done["status"] == "sent":
                    st.success(f"Sent {name} ({done['pdf_bytes']:,} bytes of PDF).")
                else:
                    st.error(f"Not sent: {done['error']}")
    if c3.button("Remove", key="brief_remove"):
        try:
            schedule.delete(ctx.store, ctx.user, name)
        except auth.PermissionDenied as exc:
            st.error(str(exc))
        else:
            st.rerun()
