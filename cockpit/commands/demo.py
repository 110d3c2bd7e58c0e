"""`cockpit demo`: seed the demo data through the same ingest path as any upload (through the
running app's load queue when it runs: POST /api/demo)."""

from cockpit.commands import api_client, open_store

ALREADY = "database already has data; demo not seeded"


def add_arguments(p) -> None:
    p.add_argument("--if-empty", action="store_true", help="only when the database has no loads")


def seed(store, *, if_empty: bool, user: str | None = None) -> dict:
    """Seed the demo (unless `if_empty` and there are loads): the load report's document,
    with `seeded` saying whether it was."""
    from cockpit import queries
    from cockpit.demo import seed_demo

    if if_empty and queries.run(store, "loads_count").column("loads")[0].as_py():
        return {"ok": True, "files": [], "seeded": False, "message": ALREADY}
    return {**seed_demo(store, user=user).to_dict(), "seeded": True}


def run(args) -> int:
    from cockpit.commands.load import follow_job, print_report

    client = api_client(args)
    if client is not None:
        job = client.call("POST", "/api/demo", [("if_empty", "1" if args.if_empty else "0")])
        doc = follow_job(client, job, "demo data")
    else:
        doc = seed(open_store(args), if_empty=args.if_empty)
    if not doc["seeded"]:
        print(doc["message"])
        return 0
    print_report(doc)
    return 0 if doc["ok"] else 1
