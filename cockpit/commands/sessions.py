"""`cockpit sessions [--end NAME]`: who is signed in with a password; sign someone out.

Works on `<database>.sessions.json` directly (cockpit.sessions), so it works while the app
server runs; the user's open tabs ask for the password at their next step.
"""

from __future__ import annotations

import datetime as dt

from cockpit import sessions
from cockpit.client import db_path


def add_arguments(p) -> None:
    p.add_argument("--end", metavar="NAME", help="end every session of NAME (sign out everywhere)")


def run(args) -> int:
    db = db_path(args)
    if args.end:
        ended = sessions.end_all(db, args.end)
        print(f"ended {ended} session{'s' if ended != 1 else ''} of {args.end}")
        return 0 if ended else 1
    for s in sessions.listing(db):
        started, seen = (dt.datetime.fromtimestamp(s[k]).isoformat(" ", "minutes")
                         for k in ("started", "seen"))  # fmt: skip
        print(f"{s['user']}  signed in {started}  last used {seen}")
    return 0
