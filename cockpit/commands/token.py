"""`cockpit token NAME --role analyst`: a new API token (printed once; kept hashed)."""

from __future__ import annotations

import sys

from cockpit import auth, tokens
from cockpit.client import db_path


def add_arguments(p) -> None:
    p.add_argument("name", nargs="?", help="the user the token acts as")
    p.add_argument("--role", choices=auth.ROLES, default="viewer")
    p.add_argument("--revoke", action="store_true", help="revoke NAME's token")
    p.add_argument("--list", action="store_true", help="list who has a token")


def run(args) -> int:
    db = db_path(args)
    if args.list:
        for t in tokens.listing(db):
            print(f"{t['name']}  {t['role']}  {t['created']}")
        return 0
    if not args.name:
        print("error: give a user NAME", file=sys.stderr)
        return 2
    if args.revoke:
        found = tokens.revoke(db, args.name)
        print(f"revoked {args.name}'s token" if found else f"{args.name} has no token")
        return 0 if found else 1
    token = tokens.issue(db, args.name, args.role)
    print(token)
    print(
        f"({auth.a_role(args.role)} token for {args.name}; shown once, kept hashed in "
        f"{tokens.tokens_path(db).name}. Use: Authorization: Bearer <token>, or COCKPIT_TOKEN)",
        file=sys.stderr,
    )
    return 0
