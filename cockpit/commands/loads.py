"""`cockpit loads`: the loads ledger."""

from cockpit import ledger
from cockpit.commands import api_client, open_store, print_json, print_table

FIELDS = list(ledger.LOAD_FIELDS)


def add_arguments(p) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    client = api_client(args)
    if client is not None:
        rows = client.call("GET", "/api/loads")
    else:
        rows = [{k: r[k] for k in FIELDS} for r in ledger.list_loads(open_store(args))]
    if args.json:
        print_json(rows)
    else:
        print_table(rows, FIELDS)
    return 0
