"""Settings page sections (edits checked in the core: admins only)."""

from __future__ import annotations

import streamlit as st

from cockpit import auth, settings_view
from cockpit.ui.shell import PageContext


def targets_section(ctx: PageContext) -> None:
    st.subheader("Targets and amber bands")
    st.caption(
        "A monthly plan loaded as the targets dataset wins; these values apply where the plan "
        "has none, then the catalogue default. Amber = how far on the wrong side of the target "
        "still counts as amber."
    )
    table = settings_view.targets_table(ctx.store)
    is_admin = auth.can(ctx.user, "targets")
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        key="targets_editor",
        disabled=["kpi", "label", "group", "better", "default_target"] if is_admin else True,
        column_config={
            "default_target": st.column_config.NumberColumn("Default target", format="%.2f"),
            "target": st.column_config.NumberColumn("Your target", format="%.2f"),
            "amber": st.column_config.NumberColumn("Amber band", format="%.2f", min_value=0),
        },
    )
    if is_admin and st.button("Save targets", type="primary", key="save_targets"):
        try:
            n = settings_view.save_targets(ctx.store, edited, ctx.user)
        except (ValueError, KeyError, auth.PermissionDenied) as exc:
            st.error(str(exc))
        else:
            st.cache_data.clear()
            st.success(f"Saved: {n} KPI targets set here.")
    if not is_admin:
        st.caption("Changing targets needs the admin role.")


def sla_section(ctx: PageContext) -> None:
    st.subheader("Delivery SLA days")
    st.caption(
        "For orders without a promised date: promised = order date + these days "
        "(by ship mode, else channel; * = any other)."
    )
    is_admin = auth.can(ctx.user, "settings")
    edited = st.data_editor(
        settings_view.sla_table(ctx.store),
        hide_index=True,
        num_rows="dynamic" if is_admin else "fixed",
        key="sla_editor",
        disabled=not is_admin,
    )
    if is_admin and st.button("Save SLA days", key="save_sla"):
        try:
            settings_view.save_sla(ctx.store, edited, ctx.user)
        except (ValueError, auth.PermissionDenied) as exc:
            st.error(str(exc))
        else:
            st.cache_data.clear()
            st.success("Saved.")


def custom_metrics_section(ctx: PageContext) -> None:
    """Placeholder until custom metrics land (issue 7)."""
