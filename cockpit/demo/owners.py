"""The demo company's KPI owners and alert rules, so the first run shows alerts."""

from __future__ import annotations

from cockpit import alerts, auth
from cockpit.alerts import rules

SEEDER = auth.User("demo", "admin")
# (KPI, site, owner, e-mail): the demo's managers (example.com addresses: never delivered).
OWNERS = (
    ("on_time_pct", "", "Priya Shah", "priya.shah@example.com"),
    ("oee_pct", "", "Tom Berg", "tom.berg@example.com"),
    ("budget_variance", "", "Ana Ruiz", "ana.ruiz@example.com"),
    ("budget_variance_pct", "", "Ana Ruiz", "ana.ruiz@example.com"),
    ("csat_pct", "", "Lena Fox", "lena.fox@example.com"),
    ("abandon_pct", "", "Lena Fox", "lena.fox@example.com"),
    ("nps", "", "Lena Fox", "lena.fox@example.com"),
)
RULES = (rules.Rule("ontime_drop", "move", kpi="on_time_pct", threshold=2.0),)


def seed_owners_and_alerts(store, report) -> None:
    """Owners and a rule where none are set yet; then the demo's alerts, evaluated once."""
    if not rules.list_owners(store):
        for kpi, site, owner, email in OWNERS:
            rules.set_owner(store, kpi, owner, email, SEEDER, site=site)
    saved = {r.rule_id for r in rules.list_rules(store)}
    for rule in RULES:
        if rule.rule_id not in saved:
            rules.save_rule(store, rule, SEEDER)
    load_ids = [s.load_id for f in report.files for s in f.sheets if s.load_id is not None]
    alerts.after_demo(store, load_ids)
