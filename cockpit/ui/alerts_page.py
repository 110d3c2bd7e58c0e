"""The Alerts page (the list, with filters and how each delivery went), the Overview's
"new alerts" line, and the owners/alert rules/delivery section of Settings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import alerts, auth, navigation
from cockpit.alerts import deliver, rules
from cockpit.kpis.catalogue import CATALOGUE, format_value
from cockpit.kpis.registry import is_builtin, lookup
from cockpit.ui import cached
from cockpit.ui.shell import PageContext

STATES = {"fired": "fired", "normal": "back to normal", "event": "event"}


def new_alerts_line(ctx: PageContext) -> None:
    """ "2 new alerts since your last visit" on the Overview, linking to the Alerts page."""
    try:
        n, _ = alerts.new_since_visit(ctx.store, ctx.user.name)
    except Exception:  # noqa: BLE001 - the scorecard shows without this line
        return
    if n:
        page = navigation.page("alerts")
        st.page_link(page.file, label=f"{n} new alert{'s' if n > 1 else ''} since your last "
                     "visit: see the Alerts", icon=page.icon)  # fmt: skip


def body(ctx: PageContext) -> None:
    """Filters, then the alerts newest first; opening the page marks them seen."""
    if not ctx.store.has_data() and not alerts.list_alerts(ctx.store, ctx.user, limit=1):
        cached.no_data(ctx)
        return
    c1, c2, c3 = st.columns(3)
    kpi = c1.selectbox("KPI", [None, *CATALOGUE], format_func=lambda k: "All KPIs" if k is None
                       else lookup(k).label, key="alerts_kpi")  # fmt: skip
    state = c2.selectbox("State", [None, *STATES], key="alerts_state",
                         format_func=lambda s: "Any" if s is None else STATES[s])  # fmt: skip
    kind = c3.selectbox("Rule", [None, *rules.KINDS], key="alerts_kind",
                        format_func=lambda k: "Any" if k is None else rules.KINDS[k])  # fmt: skip
    rows = alerts.list_alerts(ctx.store, ctx.user, kpi=kpi, state=state, kind=kind)
    _, newest = alerts.new_since_visit(ctx.store, ctx.user.name)
    alerts.mark_seen(ctx.store, ctx.user.name, newest)
    if not rows:
        st.info("No alerts yet. An alert fires when a load turns a KPI red (or meets another "
                "rule in Settings → Owners and alerts).")  # fmt: skip
        return
    table = pd.DataFrame([{
        "When": r["created_at"], "State": STATES.get(r["state"], r["state"]),
        "KPI": lookup(r["kpi"]).label if is_builtin(r["kpi"]) else (r["dataset"] or ""),
        "Site": r["site"] or "", "Alert": r["message"], "Load": r["load_id"],
        "Before": _shown(r["kpi"], r["before_value"]), "After": _shown(r["kpi"], r["after_value"]),
        "Delivery": r["delivery"], "Link": r["link"],
    } for r in rows])  # fmt: skip
    st.dataframe(table, hide_index=True, width="stretch", placeholder="—", column_config={
        "Link": st.column_config.LinkColumn("View at that load", display_text="open"),
        "Load": st.column_config.NumberColumn("Load", format="%d"),
    })  # fmt: skip
    failed = [r for r in rows if r["delivery"].startswith("delivery failed")]
    if failed:
        st.warning(f"{len(failed)} alert(s) could not be delivered yet: "
                   + "; ".join(f"#{r['alert_id']}: {', '.join(r['deliveries'])}"
                               for r in failed[:5]))  # fmt: skip


def settings_section(ctx: PageContext) -> None:
    """Owners per KPI (and site), the alert rules, and where alerts are delivered."""
    st.subheader("Owners and alerts")
    may_edit = auth.can(ctx.user, "alert_rules")
    owners = rules.list_owners(ctx.store)
    st.dataframe(
        pd.DataFrame(owners or [], columns=["kpi", "site", "owner", "email"]),
        hide_index=True,
        width="stretch",
        placeholder="—",
        column_config={
            "kpi": st.column_config.TextColumn("KPI"),
            "site": st.column_config.TextColumn("Site (blank: company-wide)"),
            "owner": st.column_config.TextColumn("Owner"),
            "email": st.column_config.TextColumn("E-mail"),
        },
    )
    if may_edit:
        with st.form("owner_form"):
            c1, c2, c3, c4 = st.columns(4)
            kpi = c1.selectbox(
                "KPI", list(CATALOGUE), format_func=lambda k: lookup(k).label, key="owner_kpi"
            )
            site = c2.text_input("Site (blank: company-wide)", key="owner_site")
            owner = c3.text_input("Owner (a cockpit user)", key="owner_name")
            email = c4.text_input("E-mail", key="owner_email")
            save, remove = st.columns(2)
            if save.form_submit_button("Save owner", key="owner_save"):
                _do(lambda: rules.set_owner(ctx.store, kpi, owner, email, ctx.user, site=site),
                    "Owner saved.")  # fmt: skip
            if remove.form_submit_button("Remove owner", key="owner_remove"):
                _do(lambda: rules.remove_owner(ctx.store, kpi, ctx.user, site=site),
                    "Owner removed.")  # fmt: skip
    st.markdown("**Alert rules** (the two `default_` rules hold until saved over)")
    st.dataframe(pd.DataFrame([r.to_dict() for r in rules.list_rules(ctx.store)]),
                 hide_index=True, width="stretch", placeholder="—")  # fmt: skip
    if may_edit:
        _rule_form(ctx)
    else:
        st.caption(f"Editing owners and rules needs the analyst role; "
                   f"{auth.who_may('alert_rules')} may.")  # fmt: skip
    if auth.can(ctx.user, "settings"):
        _delivery_form(ctx)


def _rule_form(ctx: PageContext) -> None:
    with st.form("rule_form"):
        c1, c2, c3 = st.columns(3)
        rule_id = c1.text_input("Rule name", placeholder="ontime_drop")
        kind = c2.selectbox("When", list(rules.KINDS), format_func=rules.KINDS.get)
        kpi = c3.selectbox("KPI", [None, *CATALOGUE],
                           format_func=lambda k: "every KPI" if k is None else lookup(k).label)  # fmt: skip
        c4, c5, c6, c7 = st.columns(4)
        site = c4.text_input("Site (blank: company-wide)")
        threshold = c5.number_input("X", min_value=0.0, value=0.0)
        unit = c6.selectbox("X in", rules.UNITS, format_func={"points": "points", "pct": "%"}.get)
        days = c7.number_input("N days (stale data)", min_value=0, value=3)
        dataset = st.text_input("Dataset (data rules; blank: every dataset)")
        subscribers = st.text_input("Also e-mail (comma-separated)")
        enabled = st.checkbox("Enabled", value=True)
        save, remove = st.columns(2)
        rule = rules.Rule(
            rule_id=rule_id.strip(), kind=kind, kpi=kpi, site=site.strip() or None,
            dataset=dataset.strip() or None, threshold=threshold, unit=unit, days=int(days),
            subscribers=tuple(e.strip() for e in subscribers.split(",") if e.strip()),
            enabled=enabled,
        )  # fmt: skip
        if save.form_submit_button("Save rule"):
            _do(lambda: rules.save_rule(ctx.store, rule, ctx.user), "Rule saved.")
        if remove.form_submit_button("Delete rule"):
            _do(lambda: rules.delete_rule(ctx.store, rule.rule_id, ctx.user), "Rule deleted.")


def _delivery_form(ctx: PageContext) -> None:
    saved = deliver.smtp_config(ctx.store)
    shown = saved.public() if saved else {}
    st.markdown("**Delivery** (e-mail through SMTP with STARTTLS; a webhook for Slack or "
                "Teams). `COCKPIT_SMTP` and `COCKPIT_WEBHOOK` in the environment win.")  # fmt: skip
    with st.form("delivery_form"):
        c1, c2, c3 = st.columns(3)
        host = c1.text_input("SMTP host", value=shown.get("host") or "")
        port = c2.text_input("Port", value=str(shown.get("port") or 587))
        sender = c3.text_input("From", value=shown.get("sender") or "")
        c4, c5 = st.columns(2)
        user = c4.text_input("SMTP user", value=shown.get("user") or "")
        note = "set; blank keeps it" if shown.get("password_set") else "not set"
        password = c5.text_input(f"SMTP password ({note})", type="password", value="")
        webhook = st.text_input("Webhook URL", value=deliver.webhook_url(ctx.store) or "")
        if st.form_submit_button("Save delivery settings"):
            smtp = {"host": host.strip(), "port": port.strip(), "user": user.strip(),
                    "password": password, "sender": sender.strip()}  # fmt: skip
            _do(lambda: deliver.save_settings(ctx.store, ctx.user, smtp=smtp,
                                              webhook=webhook.strip()), "Delivery saved.")  # fmt: skip


def _do(action, done: str) -> None:
    try:
        action()
    except (ValueError, auth.PermissionDenied) as exc:
        st.error(str(exc))
    else:
        st.cache_data.clear()  # the cards name their owners
        st.success(done)


def _shown(kpi_id: str | None, value) -> str | None:
    """A value as the KPI's card shows it ('89.1%', '£9.8k'); a data rule's number as is."""
    if value is None:
        return None
    if is_builtin(kpi_id):
        return format_value(lookup(kpi_id), value)
    return f"{value:,.1f}"
