"""`python -m cockpit ...`: the same core as the app, for scheduled loads and checks.

Each sub-command lives in cockpit/commands/<name>.py with `add_arguments(parser)` and
`run(args) -> int`; this module only wires them up.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS: dict[str, str] = {
    "demo": "seed the demo data",
    "load": "load spreadsheet exports",
    "recipes": "list, show, export, import or delete import recipes",
    "loads": "list the loads ledger",
    "undo": "undo a load",
    "sql": "run one read-only SELECT",
    "kpis": "compute the KPI scorecard",
    "whatif": "run a what-if scenario",
    "goalseek": "find the driver value that reaches a target",
    "user": "print the secrets.toml lines for a password user, or --unlock a locked name",
    "token": "make (or revoke) an API token for a user and role",
    "sessions": "list password sign-in sessions, or end a user's (sign out everywhere)",
    "alerts": "list the alerts (KPI, load, values, state, delivery); --check the stale-data rules",
    "actions": "list the actions (overdue first): KPI, owner, due date, meeting, pinned link",
    "brief": "the one-page brief of a view as PDF; --send a brief schedule now, list the sends",
}
# Commands that go through the running app server when there is one.
VIA_SERVER = {"load", "loads", "undo", "sql", "kpis", "whatif", "goalseek", "demo", "user",
              "alerts", "actions", "brief"}  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cockpit", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in COMMANDS.items():
        try:
            module = importlib.import_module(f"cockpit.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"cockpit.commands.{name}":
                raise
            continue
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", help="DuckDB file (default: $COCKPIT_DB or data/cockpit.duckdb)")
        if name in VIA_SERVER:
            p.add_argument(
                "--server",
                metavar="URL",
                help="the app server to use (default: $COCKPIT_SERVER, else the one running "
                "on --db, else open the file)",
            )
            p.add_argument("--token", help="API token (default: $COCKPIT_TOKEN)")
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    from cockpit.client import ClientError

    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except ClientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        message = _database_problem(exc)
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        return 3


def _database_problem(exc: Exception) -> str | None:
    """A sentence for a database file that cannot be opened (held, read-only, missing
    folder), or None for anything else (a bug: let it show)."""
    import duckdb

    from cockpit.store import is_lock_error

    if is_lock_error(exc):
        return (
            "another process still holds the database file (a load, or a script that "
            "opened it; the app started with `make run` or `streamlit run app.py` is reached "
            "through its API instead); try again when it is done"
        )
    if isinstance(exc, duckdb.IOException | PermissionError | OSError):
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"cannot open or write the database: {first[:200]}"
    return None


if __name__ == "__main__":
    sys.exit(main())
