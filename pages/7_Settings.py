"""Settings: targets and amber bands, currency and exchange rates, SLA days per ship mode or channel."""

from cockpit.ui import settings_page
from cockpit.ui.shell import page_shell

ctx = page_shell("settings")

settings_page.targets_section(ctx)
settings_page.currency_section(ctx)
settings_page.fx_rates_section(ctx)
settings_page.sla_section(ctx)
settings_page.custom_metrics_section(ctx)
settings_page.audit_section(ctx)
settings_page.sessions_section(ctx)
