"""`cockpit whatif`: a what-if scenario on the baseline months of a slice."""

from __future__ import annotations

import datetime as dt
import math
import sys

from cockpit.commands import api_client, open_store, print_json, print_table


def add_common(p) -> None:
    """Arguments shared with goalseek: the slice and the baseline."""
    p.add_argument(
        "--baseline-months",
        type=int,
        default=3,
        metavar="N",
        help="trailing months of the baseline (default 3)",
    )
    p.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="DIM=VALUE",
        help="restrict the slice (repeatable)",
    )
    p.add_argument("--asof", type=int, metavar="N", help="pin the numbers to load sequence N")
    p.add_argument("--month", metavar="YYYY-MM", help="last baseline month (default: latest)")
    p.add_argument("--json", action="store_true", help="print JSON")


def add_arguments(p) -> None:
    p.add_argument(
        "--driver",
        action="append",
        default=[],
        metavar="NAME=+15%",
        help="a driver change, e.g. volume=+15%% or agents=+2 (repeatable)",
    )
    add_common(p)


def parse_filters(items: list[str]) -> dict[str, list[str]]:
    """["site=Leeds", "site=Lyon"] -> {"site": ["Leeds", "Lyon"]}."""
    filters: dict[str, list[str]] = {}
    for item in items:
        dim, sep, value = item.partition("=")
        if not sep or not dim.strip():
            raise ValueError(f"expected --filter dim=value, got {item!r}")
        filters.setdefault(dim.strip(), []).append(value.strip())
    return filters


def parse_drivers(items: list[str]) -> dict[str, float]:
    from cockpit.whatif import parse_driver

    return dict(parse_driver(item) for item in items)


def baseline_for(args, store=None):
    """The baseline the common arguments describe (on `store`, else the file opened here)."""
    from cockpit.whatif import build_baseline

    month = dt.date.fromisoformat(args.month + "-01") if args.month else None
    return build_baseline(
        store if store is not None else open_store(args),
        filters=parse_filters(args.filter),
        baseline_months=args.baseline_months,
        as_of=args.asof,
        end_month=month,
    )


def common_params(args) -> list[tuple[str, str]]:
    """The API's query string for the common arguments (GET /api/whatif, /api/goalseek)."""
    params = [("baseline_months", str(args.baseline_months))]
    params += [("asof", str(args.asof))] if args.asof is not None else []
    params += [("month", args.month)] if args.month else []
    return params + [("filter", f) for f in args.filter]


def document(store, args) -> dict:
    """The `whatif --json` document (also GET /api/whatif's): the scenario, the fits, the
    baseline's notes and how each output was worked out."""
    from cockpit.whatif import run_scenario, scenario_report

    drivers = parse_drivers(args.driver)
    baseline = baseline_for(args, store)
    report = scenario_report(baseline, drivers)
    report["notes"] = baseline.notes
    report["explain"] = {o.id: o.explain for o in run_scenario(baseline, drivers)}
    return report


def run(args) -> int:
    from cockpit.client import ClientError

    client = api_client(args)
    try:
        if client is not None:
            params = [("driver", d) for d in args.driver] + common_params(args)
            doc = client.call("GET", "/api/whatif", params)
        else:
            doc = document(None, args)
    except ValueError as exc:
        print(f"whatif: {exc}", file=sys.stderr)
        return 2
    except ClientError as exc:
        if exc.status != 400:
            raise
        print(f"whatif: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print_json(doc)
        return 0
    months = ", ".join(m[:7] for m in doc["baseline_months"]) or "none"
    print(f"baseline months: {months}")
    changed = {k: v for k, v in doc["drivers"].items() if v}
    print("drivers: " + (", ".join(f"{k} {v:+g}" for k, v in changed.items()) or "none"))
    rows = [
        {"output": o["label"], "baseline": _num(o["baseline"]), "scenario": _num(o["scenario"]),
         "change": _num(o["change"]), "how": doc["explain"].get(o["id"], "")}
        for o in doc["outputs"]
    ]  # fmt: skip
    print_table(rows, ["output", "baseline", "scenario", "change", "how"])
    print()
    fits = [
        {"relation": f["relation"], "r2": "" if f["r2"] is None else f"{f['r2']:.2f}",
         "months": f["months"], "used": "yes" if f["used"] else "no", "note": f["note"]}
        for f in doc["fits"]
    ]  # fmt: skip
    print_table(fits, ["relation", "r2", "months", "used", "note"])
    for note in doc["notes"]:
        print(f"note: {note}")
    return 0


def _num(v: float | None) -> str:
    if v is None:
        return "n/a"
    if math.isinf(v):
        return "unbounded"
    return f"{v:,.2f}"
