"""`cockpit load FILE...`: load spreadsheet exports; exits non-zero if anything is rejected."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cockpit.client import ClientError
from cockpit.commands import api_client, open_store, print_json
from cockpit.ingest.errors import IngestError


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
    p.add_argument(
        "--recipe", metavar="PATH|NAME",
        help="load with this recipe (a TOML file, saved as a new version if it changed, or "
        "the name of a saved one)",
    )  # fmt: skip
    p.add_argument(
        "--explain", action="store_true",
        help="print the recipe detection proposes for each sheet (TOML); load nothing",
    )  # fmt: skip


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

    if args.explain:
        return _explain(args)
    if args.recipe:
        return _run_recipe(args)
    client = api_client(args)
    if client is not None:
        return _run_via_server(client, args)
    from cockpit.alerts import deliver

    store = open_store(args)
    report = load_files(
        store,
        args.files,
        replace=not args.append,
        dataset=args.dataset,
        sheet=args.sheet,
        columns=parse_maps(args.map),
        month=args.month,
    )
    # The loads are committed; give their alerts a first try before this process ends
    # (a failure waits for its retry: the next run, or the app server).
    deliver.flush(store)
    return _finish(args, report.to_dict())


def _recipe_of(store, ref: str):
    """(recipe, version): a recipe file (version None: saved when it loads) or a saved name."""
    from cockpit import recipes
    from cockpit.commands.recipes import read_recipe

    if Path(ref).is_file():
        return read_recipe(ref), None
    return recipes.get(store, ref)


def _run_recipe(args) -> int:
    from cockpit import recipes
    from cockpit.ingest.model import FileReport, LoadReport
    from cockpit.ingest.read import read_path

    store = open_store(args)
    try:
        recipe, version = _recipe_of(store, args.recipe)
    except (recipes.RecipeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.sheet:
        recipe.sheet = args.sheet
    report = LoadReport()
    for path in args.files:
        name = Path(path).name
        try:
            data = read_path(path)
        except IngestError as exc:
            report.files.append(FileReport(name, "", "rejected", [str(exc)]))
            continue
        report.files.append(
            recipes.load(store, data, name, recipe, version=version, replace=not args.append)
        )
    return _finish(args, report.to_dict())


def _explain(args) -> int:
    """Print the recipe detection proposes for each sheet; nothing is loaded."""
    from cockpit import recipes
    from cockpit.ingest.pipeline import SheetOptions, prepare_file
    from cockpit.ingest.read import read_path
    from cockpit.recipes import propose

    store = open_store(args)
    opts = {
        None: SheetOptions(dataset=args.dataset, columns=parse_maps(args.map), month=args.month)
    }
    status = 0
    for path in args.files:
        prepared = prepare_file(store, read_path(path), Path(path).name, options=opts,
                                only_sheet=args.sheet)  # fmt: skip
        if prepared.error:
            print(f"# {prepared.name}: {prepared.error}")
            status = 1
            continue
        for sheet in prepared.sheets:
            recipe = propose(sheet) if sheet.status in ("ready", "held") else None
            where = (
                f"{prepared.name}, sheet {sheet.raw.sheet!r}" if sheet.raw.sheet else prepared.name
            )
            saved = sheet.mapping.recipe
            if saved:  # the layout of a saved recipe (or nearly): that recipe is what runs
                held = "; ".join(sheet.mapping.held) if sheet.status == "held" else ""
                said = f"held: {held}" if held else "the layout of a saved recipe"
                toml = recipes.get(store, saved["name"], saved["version"])[0].to_toml()
                print(f"# {where}: {said} ({saved['name']!r} version {saved['version']})")
                print(toml)
                continue
            if recipe is None:
                reasons = "; ".join(sheet.mapping.reasons[:2]) or sheet.status
                print(f"# {where}: no recipe proposed ({reasons})\n")
                continue
            said = "held: " + "; ".join(sheet.mapping.held) if sheet.status == "held" else "ready"
            print(f"# {where}: {said}")
            print(recipe.to_toml())
    return status


def _finish(args, doc: dict) -> int:
    if args.json:
        print_json(doc)
    else:
        print_report(doc)
    return 0 if doc["ok"] else 1


def _run_via_server(client, args) -> int:
    """Send each file to the app server's load queue, in order, and wait for its report."""
    from cockpit.ingest.errors import IngestError
    from cockpit.ingest.read import read_path

    files, ok = [], True
    for path in args.files:
        name = Path(path).name
        try:
            data = read_path(path)  # the size is checked before reading
        except IngestError as exc:
            files.append({"file": name, "sha256": "", "status": "rejected",
                          "messages": [str(exc)], "sheets": []})  # fmt: skip
            ok = False
            continue
        params = [("file", name), ("append", "1" if args.append else "0")]
        params += [("dataset", args.dataset)] if args.dataset else []
        params += [("sheet", args.sheet)] if args.sheet else []
        params += [("month", f"{args.month:%Y-%m}")] if args.month else []
        params += [("map", f"{k}={v}") for k, v in parse_maps(args.map).items()]
        job = client.call("POST", "/api/loads", params, body=data)
        report = follow_job(client, job, name)
        files += report["files"]
        ok = ok and report["ok"]
    return _finish(args, {"ok": ok, "files": files})


def follow_job(client, job: dict, name: str) -> dict:
    """Wait for a job of the app's load queue (saying so once while it waits); its report."""
    said = False
    while job["state"] in ("queued", "running"):
        if job["state"] == "queued" and job.get("ahead") and not said:
            print(f"{name}: waiting, {job['ahead']} load(s) ahead in the app's queue",
                  file=sys.stderr, flush=True)  # fmt: skip
            said = True
        time.sleep(0.3)
        job = client.call("GET", f"/api/jobs/{job['job']}")
    if job["state"] == "failed":
        raise ClientError(f"{name}: the load failed on the server: {job.get('error')}")
    return job["report"]


def print_report(report) -> None:
    """Print a load report (a LoadReport or its JSON document)."""
    doc = report if isinstance(report, dict) else report.to_dict()
    for f in doc["files"]:
        print(f"{f['file']}: {f['status']}")
        for m in f["messages"]:
            print(f"  ! {m}")
        for s in f["sheets"]:
            where = f"sheet {s['sheet']!r}" if s["sheet"] else "data"
            target = s["dataset"] or "raw only"
            load = f" (load {s['load_id']})" if s["load_id"] else ""
            print(
                f"  {where}: {s['status']} -> {target}; {s['rows_loaded']} rows loaded,"
                f" {s['rows_rejected']} rejected{load}"
            )
            for reason, n in s["reject_reasons"].items():
                print(f"    rejected x{n}: {reason}")
            for m in s["messages"]:
                print(f"    - {m}")
            for old in s.get("superseded") or []:
                print(f"    - superseded {old['said']}")
    sys.stdout.flush()
