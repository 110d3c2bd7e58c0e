"""`cockpit goalseek`: the driver value that brings an output to a target."""

from __future__ import annotations

import sys

from cockpit.commands import api_client, print_json
from cockpit.commands.whatif import add_common, baseline_for, common_params, parse_drivers


def add_arguments(p) -> None:
    p.add_argument("--output", required=True, metavar="KPI", help="output id, e.g. asa_seconds")
    p.add_argument("--target", required=True, type=float, metavar="X", help="target value")
    p.add_argument("--driver", required=True, metavar="NAME", help="driver to move, e.g. agents")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=+15%",
        help="hold another driver at a value, e.g. volume=+15%% (repeatable)",
    )
    add_common(p)


def document(store, args) -> dict:
    """The `goalseek --json` document (also GET /api/goalseek's)."""
    from cockpit.whatif import goal_seek

    held = parse_drivers(args.set)
    baseline = baseline_for(args, store)
    result = goal_seek(baseline, output=args.output, target=args.target,
                       driver=args.driver, drivers=held)  # fmt: skip
    d = result.as_json()
    return {k: d[k] for k in ("output", "target", "driver", "value", "achieved", "reachable")} | {
        "message": result.message
    }


def run(args) -> int:
    """Exit 0 when the target is reachable in the driver's range, 1 when it is not."""
    from cockpit.client import ClientError

    client = api_client(args)
    try:
        if client is not None:
            params = [("output", args.output), ("target", repr(args.target)),
                      ("driver", args.driver), *(("set", s) for s in args.set)]  # fmt: skip
            doc = client.call("GET", "/api/goalseek", params + common_params(args))
        else:
            doc = document(None, args)
    except (ValueError, KeyError) as exc:
        print(f"goalseek: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    except ClientError as exc:
        if exc.status != 400:
            raise
        print(f"goalseek: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print_json(doc)
    else:
        value = "n/a" if doc["value"] is None else f"{doc['value']:+g}"
        achieved = "n/a" if doc["achieved"] is None else f"{doc['achieved']:,.2f}"
        print(f"{doc['driver']} {value} -> {doc['output']} {achieved} (target {doc['target']:g})")
        print(doc["message"])
    return 0 if doc["reachable"] else 1
