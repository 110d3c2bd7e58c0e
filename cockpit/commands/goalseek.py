"""`cockpit goalseek`: the driver value that brings an output to a target."""

from __future__ import annotations

import sys

from cockpit.commands import print_json
from cockpit.commands.whatif import add_common, baseline_for, parse_drivers


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


def run(args) -> int:
    """Exit 0 when the target is reachable in the driver's range, 1 when it is not."""
    from cockpit.whatif import goal_seek

    try:
        held = parse_drivers(args.set)
        baseline = baseline_for(args)
        result = goal_seek(baseline, output=args.output, target=args.target,
                           driver=args.driver, drivers=held)  # fmt: skip
    except (ValueError, KeyError) as exc:
        print(f"goalseek: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    if args.json:
        d = result.as_json()
        print_json({k: d[k] for k in ("output", "target", "driver", "value", "achieved",
                                      "reachable")} | {"message": result.message})  # fmt: skip
    else:
        value = "n/a" if result.value is None else f"{result.value:+g}"
        achieved = "n/a" if result.achieved is None else f"{result.achieved:,.2f}"
        print(f"{result.driver} {value} -> {result.output} {achieved} (target {result.target:g})")
        print(result.message)
    return 0 if result.reachable else 1
