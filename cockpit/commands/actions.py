"""`cockpit actions`: the actions (overdue first, then open, then done) with their KPI,
owner, due date, meeting and the pinned link of the view each was raised from."""

from cockpit import actions, auth
from cockpit.commands import api_client, open_store, print_json, print_table

FIELDS = ["action_id", "status", "due", "kpi", "owner", "what", "pack_name", "link"]


def add_arguments(p) -> None:
    p.add_argument("--kpi", help="only this KPI's actions")
    p.add_argument("--owner", help="only this owner's actions")
    p.add_argument("--status", choices=list(actions.STATES), action="append",
                   help="only these (repeat; default: all)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    client = api_client(args)
    params = [(k, v) for k, v in (("kpi", args.kpi), ("owner", args.owner)) if v]
    params += [("status", s) for s in args.status or ()]
    if client is not None:
        rows = client.call("GET", "/api/actions", params)
    else:
        store = open_store(args)
        rows = actions.as_json(actions.list_actions(store, auth.LOCAL_ADMIN, kpi=args.kpi,
                                                    owner=args.owner,
                                                    states=tuple(args.status or ()) or None))  # fmt: skip
    if args.json:
        print_json(rows)
    else:
        print_table([{k: r.get(k) for k in FIELDS} for r in rows], FIELDS)
    return 0
