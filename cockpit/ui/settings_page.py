"""Settings page sections (edits checked in the core: admins only)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from cockpit import auth, currency, datasets, login
from cockpit.kpis import custom_metrics
from cockpit.kpis import targets as targets_mod
from cockpit.screens import settings_view
from cockpit.ui.shell import PageContext


def targets_section(ctx: PageContext) -> None:
    st.subheader("Targets and amber bands")
    st.caption(
        "Which target applies, month by month: the uploaded plan (the targets dataset) wins "
        "for every month it covers; your target here applies to the months it does not, then "
        "the catalogue default. 'In effect' shows the company-wide result. Amber = how far on "
        "the wrong side of the target still counts as amber."
    )
    table = settings_view.targets_table(ctx.store)
    is_admin = auth.can(ctx.user, "targets")
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        key="targets_editor",
        disabled=["kpi", "label", "group", "better", "default_target", "in_effect"]
        if is_admin
        else True,
        column_config={
            "kpi": st.column_config.TextColumn("KPI id"),
            "label": st.column_config.TextColumn("KPI"),
            "group": st.column_config.TextColumn("Group"),
            "better": st.column_config.TextColumn("Better when"),
            "default_target": st.column_config.NumberColumn("Default target", format="%.2f"),
            "target": st.column_config.NumberColumn("Your target", format="%.2f"),
            "amber": st.column_config.NumberColumn("Amber band", format="%.2f", min_value=0),
            "in_effect": st.column_config.TextColumn("In effect (company-wide)"),
        },
        placeholder="",
    )
    if is_admin and st.button("Save targets", type="primary", key="save_targets"):
        try:
            n = settings_view.save_targets(ctx.store, edited, ctx.user, shown=table)
        except (ValueError, KeyError, auth.PermissionDenied) as exc:
            st.error(str(exc))
        else:
            st.cache_data.clear()
            st.success(f"Saved: {n} KPI targets set here.")
            overrides = targets_mod.target_overrides(ctx.store)
            for text in settings_view.plan_overrides(ctx.store, overrides):
                st.warning(text)
    if not is_admin:
        st.caption("Changing targets needs the admin role.")


def currency_section(ctx: PageContext) -> None:
    st.subheader("Currency")
    box = settings_view.currency_choice(ctx.store)
    said = (
        f"The latest file that named one said {box['detected']!r}."
        if box["detected"]
        else "No loaded file names a currency."
    )
    st.caption(
        "Each load keeps the currency its file names (a symbol in the amounts, USD or GBP in a "
        "header). Files that name none are recorded in the company currency below, as it is "
        "when they are loaded: changing it later changes no earlier load. Exchange rates "
        f"convert other currencies into it. {said}"
    )
    is_admin = auth.can(ctx.user, "settings")
    picked = st.selectbox(
        "Currency of files that do not say",
        box["choices"],
        index=box["choices"].index(box["current"]) if box["current"] in box["choices"] else 0,
        format_func=lambda c: c.strip() or "not set (no symbol)",
        key="currency_choice",
        disabled=not is_admin,
    )
    if is_admin and picked != box["chosen"] and st.button("Save currency", key="save_currency"):
        try:
            settings_view.save_currency(ctx.store, picked, ctx.user)
        except (ValueError, auth.PermissionDenied) as exc:
            st.error(str(exc))
        else:
            st.cache_data.clear()
            st.rerun()


def fx_rates_section(ctx: PageContext) -> None:
    import pandas as pd

    from cockpit import fx

    st.subheader("Exchange rates")
    company = (ctx.store.get_setting(currency.CHOSEN) or "").strip()
    st.caption(
        "Money in another currency than the company's is never added to it silently: a view "
        "holding both shows no money figures until a rate converts it. One line per currency "
        f"and month: 1 unit of the currency = rate {company or 'company currency'}. Paste "
        "lines from a spreadsheet (currency, month as 2025-01, rate)."
    )
    is_admin = auth.can(ctx.user, "settings")
    table = pd.DataFrame(fx.rates(ctx.store), columns=list(fx.COLUMNS))
    edited = st.data_editor(
        table,
        hide_index=True,
        num_rows="dynamic" if is_admin else "fixed",
        disabled=not is_admin,
        key="fx_rates_editor",
        placeholder="",
        column_config={
            "currency": st.column_config.TextColumn("Currency ($ or USD)"),
            "month": st.column_config.TextColumn("Month (YYYY-MM)"),
            "rate": st.column_config.NumberColumn(f"Rate (in {company or '?'})", format="%.6f"),
        },
    )
    if not is_admin:
        st.caption("Changing exchange rates needs the admin role.")
        return
    upload = st.file_uploader(
        "Or add rates from a CSV file (columns currency, month, rate)", type=["csv"],
        key="fx_rates_upload",
    )  # fmt: skip
    if st.button("Save exchange rates", key="save_fx_rates"):
        try:
            rows = edited.to_dict("records")
            if upload is not None:  # the file's lines win over the table's for the same month
                rows += fx.rows_from_csv(upload.getvalue(), upload.name)
            n = fx.save_rates(ctx.store, rows, ctx.user)
        except (ValueError, auth.PermissionDenied) as exc:
            st.error(str(exc))
        else:
            st.cache_data.clear()
            st.success(f"Saved {n} exchange rate(s).")


def sla_section(ctx: PageContext) -> None:
    st.subheader("Delivery SLA days")
    st.caption(
        "For orders without a promised date: promised = order date + these days "
        "(by ship mode, else channel; * = any other)."
    )
    is_admin = auth.can(ctx.user, "settings")
    shown = settings_view.sla_table(ctx.store)
    edited = st.data_editor(
        shown,
        hide_index=True,
        num_rows="dynamic" if is_admin else "fixed",
        key="sla_editor",
        disabled=not is_admin,
        placeholder="",
    )
    if is_admin and st.button("Save SLA days", key="save_sla"):
        try:
            settings_view.save_sla(ctx.store, edited, ctx.user, shown=shown)
        except (ValueError, auth.PermissionDenied) as exc:
            st.error(str(exc))
        else:
            st.cache_data.clear()
            st.success("Saved.")


def custom_metrics_section(ctx: PageContext) -> None:
    """Analysts define a KPI as a SQL aggregate; it joins the scorecard once validated."""
    st.subheader("Custom metrics")
    st.caption(
        "A metric is an aggregate over one dataset, optionally divided by another "
        "(a ratio of sums), e.g. freight per unit = sum(freight_cost) / sum(quantity). "
        "It is checked and run once before it is saved, and appears on the Overview."
    )
    metrics = custom_metrics.list_metrics(ctx.store)
    if metrics:
        st.dataframe(
            settings_view.metrics_table(metrics), hide_index=True, width="stretch", placeholder="—"
        )
    if not auth.can(ctx.user, "custom_metric"):
        st.caption("Defining metrics needs the analyst role.")
        return
    with st.form("custom_metric"):
        c = st.columns([2, 1, 1])
        label = c[0].text_input("Label", placeholder="Freight per unit")
        dataset = c[1].selectbox("Dataset", list(datasets.DATASETS))
        group = c[2].selectbox("Group", custom_metrics.GROUPS, index=3)
        c = st.columns(2)
        numerator = c[0].text_input("Aggregate", placeholder="sum(freight_cost)")
        denominator = c[1].text_input("Divided by (optional)", placeholder="sum(quantity)")
        c = st.columns(5)
        scale = c[0].number_input("× scale", value=1.0)
        fmt = c[1].selectbox("Format", settings_view.METRIC_FORMATS)
        direction = c[2].selectbox("Better when", ["higher", "lower"])
        target = c[3].number_input("Target", value=None)
        amber = c[4].number_input("Amber band", value=None, min_value=0.0)
        submitted = st.form_submit_button("Check and save", type="primary")
    if submitted:
        metric = custom_metrics.CustomMetric(
            id=custom_metrics.slug(label),
            label=label.strip(),
            dataset=dataset,
            numerator=numerator,
            denominator=denominator.strip() or None,
            scale=scale,
            fmt=fmt,
            direction=direction,
            target=target,
            amber=amber,
            group=group,
        )
        try:
            custom_metrics.save_metric(ctx.store, metric, ctx.user)
        except (custom_metrics.MetricInvalid, auth.PermissionDenied) as exc:
            st.error(f"Not saved: {exc}")
        else:
            st.cache_data.clear()
            st.success(f"Saved {metric.label}; it is on the Overview now.")
    if metrics:
        drop = st.selectbox("Remove a metric", ["—", *[m.id for m in metrics]], key="drop_metric")
        if drop != "—" and st.button("Remove", key="drop_metric_btn"):
            custom_metrics.delete_metric(ctx.store, drop, ctx.user)
            st.cache_data.clear()
            st.rerun()


def login_locks_section(ctx: PageContext) -> None:
    """Names the sign-in brake has locked, each with an Unlock button (admins; audited)."""
    if not auth.can(ctx.user, "users"):
        return
    locked = login.locked_names(ctx.store)
    with st.expander(f"Locked sign-ins ({len(locked)})", icon=":material/lock:"):
        if not locked:
            st.caption("No name is locked. A name locks for 15 min after 10 failed sign-ins.")
        for row in locked:
            until = dt.datetime.fromtimestamp(row["locked_until"]).strftime("%H:%M")
            c = st.columns([3, 1])
            c[0].markdown(
                f"**{row['name']}**: {row['failures']} failed sign-ins, locked until {until}"
            )
            if c[1].button("Unlock", key=f"unlock_{row['name']}"):
                login.unlock(ctx.store, row["name"], user=ctx.user)
                st.toast(f"Unlocked {row['name']}")
                st.rerun()


def audit_section(ctx: PageContext) -> None:
    """Who loaded, undid or changed what (admins)."""
    if not auth.can(ctx.user, "users"):
        return
    with st.expander("Audit log", icon=":material/history:"):
        st.dataframe(
            settings_view.audit_log(ctx.store, ctx.user),
            hide_index=True,
            width="stretch",
            placeholder="—",
        )


def sessions_section(ctx: PageContext) -> None:
    """Who is signed in with a password, and sign someone out everywhere (admins)."""
    if not auth.can(ctx.user, "users"):
        return
    with st.expander("Signed-in sessions", icon=":material/devices:"):
        df = settings_view.signed_in(ctx.store, ctx.user)
        if df.empty:
            st.caption("Nobody is signed in with a password.")
            return
        st.dataframe(
            df,
            hide_index=True,
            placeholder="—",
            column_config={
                "last_used": st.column_config.DatetimeColumn("last used", format="D MMM, HH:mm")
            },
        )
        name = st.selectbox("User", list(df["user"]), key="end_sessions_user")
        if st.button("Sign out everywhere", key="end_sessions"):
            ended = settings_view.end_sessions(ctx.store, name, ctx.user)
            st.toast(f"Signed {name} out ({ended} session{'s' if ended != 1 else ''})")
            st.rerun()
