"""`cockpit sql "SELECT ..."`: one read-only SELECT, with the SQL explorer's guard."""

from __future__ import annotations

import sys

from cockpit.commands import api_client, open_store, print_json, print_table


def add_arguments(p) -> None:
    p.add_argument("query", help="one SELECT (or WITH ... SELECT) statement")
    p.add_argument("--json", action="store_true", help="print a JSON list of row objects")
    p.add_argument("--max-rows", type=int, default=10_000, help="row cap (default 10000)")
    p.add_argument("--timeout", type=float, default=30.0, help="time limit in seconds")


def run(args) -> int:
    from cockpit.client import ClientError
    from cockpit.sqlguard import QueryRefused, run_readonly

    client = api_client(args)
    try:
        if client is not None:
            doc = {"query": args.query, "max_rows": args.max_rows, "timeout": args.timeout}
            out = client.call("POST", "/api/sql", doc=doc)
            rows, columns, truncated = out["rows"], out["columns"], out["truncated"]
        else:
            result = run_readonly(
                open_store(args), args.query, max_rows=args.max_rows, timeout_s=args.timeout
            )
            rows, columns = result.table.to_pylist(), result.table.column_names
            truncated = result.truncated
    except (QueryRefused, ClientError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print_json(rows)
    else:
        print_table(rows, columns)
    if truncated:
        print(f"(stopped at {args.max_rows} rows)", file=sys.stderr)
    return 0
