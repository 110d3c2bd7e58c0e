"""`cockpit user NAME --role ROLE`: print the secrets.toml lines for a password user."""

from __future__ import annotations

import getpass
import sys

from cockpit import auth


def add_arguments(p) -> None:
    p.add_argument("name")
    p.add_argument("--role", choices=auth.ROLES, default="viewer")
    p.add_argument("--password", help="(default: asked for, not echoed)")


def run(args) -> int:
    password = args.password or getpass.getpass(f"Password for {args.name}: ")
    if len(password) < 8:
        print("error: use a password of at least 8 characters", file=sys.stderr)
        return 2
    print(auth.secrets_snippet(args.name, args.role, password))
    return 0
