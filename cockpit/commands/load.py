"""`cockpit load FILE...`: load spreadsheet exports; exits non-zero if anything is rejected."""

from __future__ import annotations

import argparse
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
    p.add_argument(
        "--month", metavar="YYYY-MM", type=_month,
        help="the month a file without any date column covers",
    )  # fmt: skip
    p.add_argument("--replace", action="store_true", help="replace the months this file covers")
    p.add_argument("--json", action="store_true", help="print the load report as JSON")


def _month(text: str):
    import datetime as dt

    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {text!r}") from None


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
        replace=args.replace,
        dataset=args.dataset,
        sheet=args.sheet,
        columns=parse_maps(args.map),
        month=args.month,
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
