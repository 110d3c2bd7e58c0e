"""`cockpit demo`: seed the demo data through the same ingest path as any upload."""

from cockpit.commands import open_store


def add_arguments(p) -> None:
    p.add_argument("--if-empty", action="store_true", help="only when the database has no loads")


def run(args) -> int:
    from cockpit import queries
    from cockpit.commands.load import print_report
    from cockpit.demo import seed_demo

    store = open_store(args)
    if args.if_empty and queries.run(store, "loads_count").column("loads")[0].as_py():
        print("database already has data; demo not seeded")
        return 0
    report = seed_demo(store)
    print_report(report)
    return 0 if report.ok else 1
