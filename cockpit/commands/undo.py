"""`cockpit undo LOAD_ID`: mark a load undone (its rows stop counting from now on)."""

import sys

from cockpit import ledger
from cockpit.commands import api_client, open_store


def add_arguments(p) -> None:
    p.add_argument("load_id", type=int)


def run(args) -> int:
    from cockpit.client import ClientError

    client = api_client(args)
    try:
        if client is not None:
            seq = client.call("POST", f"/api/loads/{args.load_id}/undo")["version"]
        else:
            seq = ledger.undo(open_store(args), args.load_id)
    except (KeyError, ValueError, ClientError) as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 1
    print(f"load {args.load_id} undone (version {seq})")
    return 0
