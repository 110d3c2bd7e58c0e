"""`cockpit alerts`: the alerts (newest first) with their KPI, load, values, state and
delivery; `--check` runs the daily stale-data rules (for cron on a headless install)."""

from cockpit import alerts, auth
from cockpit.commands import api_client, open_store, print_json, print_table

FIELDS = ["alert_id", "created_at", "state", "kind", "kpi", "site", "load_id", "before_value",
          "after_value", "delivery", "message"]  # fmt: skip


def add_arguments(p) -> None:
    p.add_argument("--kpi", help="only this KPI's alerts")
    p.add_argument("--state", choices=["fired", "normal", "event"], help="only this state")
    p.add_argument("--check", action="store_true",
                   help="first run the stale-data rules as of today (the server does it daily)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    client = api_client(args)
    params = [(k, v) for k, v in (("kpi", args.kpi), ("state", args.state)) if v]
    if client is not None and not args.check:
        rows = client.call("GET", "/api/alerts", params)
    else:
        store = open_store(args)
        if args.check:
            alerts.daily_check(store)
            alerts.deliver.flush(store)
        rows = alerts.as_json(alerts.list_alerts(store, auth.LOCAL_ADMIN, kpi=args.kpi,
                                                 state=args.state))  # fmt: skip
    if args.json:
        print_json(rows)
    else:
        print_table([{k: r.get(k) for k in FIELDS} for r in rows], FIELDS)
    return 0
