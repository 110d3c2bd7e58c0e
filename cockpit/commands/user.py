"""`cockpit user NAME --role ROLE`: print the secrets.toml lines for a password user.
`cockpit user NAME --unlock`: lift the sign-in lock on NAME (through the running app server
when there is one, with its local admin token; else on the database file)."""

from __future__ import annotations

import getpass
import sys
import urllib.parse

from cockpit import auth


def add_arguments(p) -> None:
    p.add_argument("name")
    p.add_argument("--role", choices=auth.ROLES, default="viewer")
    p.add_argument("--password", help="(default: asked for, not echoed)")
    p.add_argument(
        "--unlock",
        action="store_true",
        help="lift the lock after too many failed sign-ins for NAME (audited)",
    )


def run(args) -> int:
    if args.unlock:
        return _unlock(args)
    password = args.password or getpass.getpass(f"Password for {args.name}: ")
    if len(password) < 8:
        print("error: use a password of at least 8 characters", file=sys.stderr)
        return 2
    print(auth.secrets_snippet(args.name, args.role, password))
    return 0


def _unlock(args) -> int:
    from cockpit import login
    from cockpit.commands import api_client, open_store

    client = api_client(args)
    if client is not None:
        path = f"/api/users/{urllib.parse.quote(args.name, safe='')}/unlock"
        found = client.call("POST", path)["unlocked"]
    else:
        found = login.unlock(open_store(args), args.name, user=auth.User("local-cli", "admin"))
    print(f"unlocked {args.name}" if found else f"{args.name} had no failed sign-ins to forget")
    return 0
