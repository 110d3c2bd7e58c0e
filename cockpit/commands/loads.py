"""`cockpit loads`: the loads ledger; `--changes N`: what load N changed on the scorecard."""

from cockpit import ledger
from cockpit.commands import api_client, open_store, print_json, print_table

FIELDS = list(ledger.LOAD_FIELDS)


def add_arguments(p) -> None:
    p.add_argument(
        "--changes", type=int, metavar="LOAD_ID",
        help="each KPI and month whose value this load moved: old -> new, restated months",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    client = api_client(args)
    if args.changes is not None:
        if client is not None:
            changes = client.call("GET", "/api/loads", [("changes", str(args.changes))])
            return _print_changes(args, changes)
        return _changes(open_store(args), args)
    if client is not None:
        rows = client.call("GET", "/api/loads")
    else:
        rows = [{k: r[k] for k in FIELDS} for r in ledger.list_loads(open_store(args))]
    if args.json:
        print_json(rows)
    else:
        print_table([_readable(r) for r in rows], FIELDS)
    return 0


def _readable(row: dict) -> dict:
    """A ledger row for the terminal: months as a span ('2001-02 – 2015-12 (177)', not 177
    months side by side on every line) and the load time to the minute."""
    months = row.get("months") or []
    if len(months) > 1:
        months = f"{months[0]} – {months[-1]} ({len(months)})"
    loaded = row.get("loaded_at")
    if isinstance(loaded, str):  # ISO text from the app's API
        loaded = loaded[:16].replace("T", " ")
    return {**row, "months": months, "loaded_at": loaded}


def _changes(store, args) -> int:
    from cockpit.kpis.changes import load_changes

    try:
        doc = load_changes(store, args.changes)
    except KeyError as exc:
        print(f"error: {exc.args[0]}")
        return 2
    return _print_changes(args, doc)


def _print_changes(args, doc: dict) -> int:
    if args.json:
        print_json(doc)
        return 0
    print(doc["summary"])
    from cockpit.kpis.changes import table_rows

    rows = table_rows(doc["changes"])
    if rows:
        print_table(rows, list(rows[0]))
    return 0
