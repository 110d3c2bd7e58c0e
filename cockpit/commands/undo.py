"""`cockpit undo LOAD_ID`: mark a load undone (its rows stop counting from now on)."""

import sys

from cockpit import ledger
from cockpit.commands import open_store


def add_arguments(p) -> None:
    p.add_argument("load_id", type=int)


def run(args) -> int:
    try:
        seq = ledger.undo(open_store(args), args.load_id)
    except (KeyError, ValueError) as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 1
    print(f"load {args.load_id} undone (version {seq})")
    return 0
