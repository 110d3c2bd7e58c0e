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


# The demo's last weekly review: what was agreed on the two KPIs furthest off target.
MEETING_DAYS_AGO = 7
MEETING_ACTIONS = (  # (agenda item, what, due in days from the meeting, done)
    (0, "Find the cause and agree a recovery plan with the sites", 5, False),
    (1, "Review staffing against the forecast for next month", 14, False),
    (0, "Send the breakdown by site to the leadership team", 2, True),
)


def seed_meeting(store, *, now=None) -> int | None:
    """A past meeting (a week ago) with a few actions, so a new user sees the loop: its pack,
    an action already overdue, one open and one done. Not when a pack exists already."""
    import datetime as dt

    from cockpit import actions, meetings
    from cockpit.kpis import resolve_period

    if meetings.latest_pack(store) is not None or not store.latest_seq():
        return None
    now = now or dt.datetime.now()
    held = (now - dt.timedelta(days=MEETING_DAYS_AGO)).replace(hour=9, minute=0, second=0,
                                                               microsecond=0)  # fmt: skip
    period = resolve_period(store, "month", None, store.latest_seq())
    pack_id = meetings.start_meeting(store, SEEDER, name=meetings.default_name(held.date()),
                                     period=period, now=held)  # fmt: skip
    agenda = meetings.get_pack(store, pack_id)["agenda"]
    link = meetings.pack_url(pack_id)
    for item_no, what, due_days, done in MEETING_ACTIONS:
        if item_no >= len(agenda):
            continue
        item = agenda[item_no]
        action_id = actions.raise_action(
            store, SEEDER, kpi=item["kpi"], what=what, owner=item["owner"] or next((i["owner"] for i in agenda if i["owner"]), "demo"),
            due=held.date() + dt.timedelta(days=due_days), link=link, seq=store.latest_seq(),
            pack_id=pack_id, now=held,
        )  # fmt: skip
        if done:
            actions.set_done(store, SEEDER, action_id, now=held + dt.timedelta(days=1))
    return pack_id


def remove_meeting(store) -> None:
    """The demo's meeting and its actions go with the demo data (removing the demo): they
    are about the demo company, and would count on the real data's cards."""
    from cockpit import queries
    from cockpit.store import audit

    with store.transaction() as cur:
        queries.execute(cur, "demo_meeting_actions_delete", user_name=SEEDER.name)
        queries.execute(cur, "demo_meeting_delete", user_name=SEEDER.name)
        audit(cur, SEEDER.name, "demo_meeting_remove", {})
