"""Settings: targets and amber bands, currency and exchange rates, SLA days per ship mode or
channel, custom metrics, owners and alerts, the brief on a schedule; for admins the locked
sign-ins and the audit log."""

from cockpit.ui import alerts_page, brief_schedules, settings_page
from cockpit.ui.shell import page_body, page_shell

ctx = page_shell("settings")

with page_body(ctx):
    settings_page.targets_section(ctx)
    settings_page.currency_section(ctx)
    settings_page.fx_rates_section(ctx)
    settings_page.sla_section(ctx)
    settings_page.custom_metrics_section(ctx)
    alerts_page.settings_section(ctx)
    brief_schedules.settings_section(ctx)
    settings_page.login_locks_section(ctx)
    settings_page.audit_section(ctx)
    settings_page.sessions_section(ctx)
