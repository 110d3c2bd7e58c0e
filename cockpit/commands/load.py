"""`cockpit load FILE...`: load spreadsheet exports; exits non-zero if anything is rejected."""

from __future__ import annotations

import sys

from cockpit.commands import open_store, print_json


def add_arguments(p) -> None:
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dataset", help="load every sheet as this dataset")
    p.add_argument("--sheet", help="load only this sheet of a workbook")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar='canonical="Source column"',
        help="map a canonical column to a source column (repeatable)",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--replace",
        dest="append",
        action="store_false",
        help="replace the live rows of the months (and sites) the file covers (the default)",
    )
    mode.add_argument(
        "--append",
        dest="append",
        action="store_true",
        help="add the rows beside what is loaded for those months (says how many overlap)",
    )
    p.set_defaults(append=False)
    p.add_argument("--json", action="store_true", help="print the load report as JSON")


def parse_maps(items: list[str]) -> dict[str, str]:
    """['order_id=Order No'] -> {'order_id': 'Order No'}."""
    out = {}
    for item in items:
        canon, sep, src = item.partition("=")
        if not sep or not canon.strip():
            raise SystemExit(f'error: --map expects canonical="Source column", got {item!r}')
        out[canon.strip()] = src.strip().strip('"')
    return out


def run(args) -> int:
    from cockpit.ingest.pipeline import load_files

    report = load_files(
        open_store(args),
        args.files,
        replace=not args.append,
        dataset=args.dataset,
        sheet=args.sheet,
        columns=parse_maps(args.map),
    )
    if args.json:
        print_json(report.to_dict())
    else:
        print_report(report)
    return 0 if report.ok else 1


def print_report(report) -> None:
    for f in report.files:
        print(f"{f.file}: {f.status}")
        for m in f.messages:
            print(f"  ! {m}")
        for s in f.sheets:
            where = f"sheet {s.sheet!r}" if s.sheet else "data"
            target = s.dataset or "raw only"
            print(
                f"  {where}: {s.status} -> {target}; {s.rows_loaded} rows loaded,"
                f" {s.rows_rejected} rejected" + (f" (load {s.load_id})" if s.load_id else "")
            )
            for reason, n in s.reject_reasons.items():
                print(f"    rejected x{n}: {reason}")
            for m in s.messages:
                print(f"    - {m}")
    sys.stdout.flush()
