"""Ingest benchmark: end-to-end `load` against a raw fastexcel read and pandas+openpyxl.

Builds orders workbooks (100k and 500k rows, with a title block and a totals row, as real
exports) and a 1M-row CSV, then in one run times, each in a fresh subprocess so peak memory
(VmHWM) is the case's own:
  load    cockpit's end-to-end load (read, detect, type, map, validate, store, checkpoint)
          into a new db; process start-up (imports) is outside every case's timing
  raw     fastexcel reading the same sheet to Arrow (the floor: nothing can read faster)
  pandas  pandas.read_excel(engine="openpyxl") + insert into DuckDB (the usual path)
and prints medians, the ratios and peak memory. Targets: load <= 1.5x raw, >= 10x faster
than pandas, peak memory <= 2x raw's; the 1M-row CSV loads in under 3 s.

Memory is printed two ways: the process's peak (VmHWM), and what the case itself adds above
the process once its libraries are loaded (peak minus the resident size when the timing
starts). The load's process carries DuckDB with an open database and pandas (about 155 MB
before the first cell is read; the raw read's about 17 MB), so the second is the like-for-like
figure for the work itself.

    python bench/ingest.py [--sizes 100000 500000] [--csv-rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SITES = ["Leeds", "Lyon", "Leipzig"]
REGIONS = ["North", "South", "East", "West"]
MODES = ["Standard", "Express", "Freight"]


def build_xlsx(path: Path, rows: int) -> None:
    """An ERP-style orders export: title block, header, `rows` lines, a totals row."""
    import numpy as np
    from openpyxl import Workbook

    rng = np.random.default_rng(7)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Orders")
    ws.append(["Northwind Components — Sales order lines"])
    ws.append(["Exported 02/11/2026"])
    ws.append([])
    ws.append(
        [
            "Order No",
            "Order Date",
            "Dispatch Date",
            "Promised Date",
            "Plant",
            "Region",
            "Ship Mode",
            "Item",
            "Qty",
            "Net Sales",
            "Cost",
        ]
    )
    start = dt.date(2024, 11, 1)
    days = rng.integers(0, 730, rows)
    ship = rng.integers(0, 6, rows)
    qty = rng.integers(1, 50, rows)
    price = rng.uniform(5, 80, rows).round(2)
    site = rng.integers(0, 3, rows)
    region = rng.integers(0, 4, rows)
    mode = rng.integers(0, 3, rows)
    for i in range(rows):
        d = start + dt.timedelta(days=int(days[i]))
        ws.append(
            [
                f"SO{100000 + i // 3}",
                d,
                d + dt.timedelta(days=int(ship[i])),
                d + dt.timedelta(days=5),
                SITES[site[i]],
                REGIONS[region[i]],
                MODES[mode[i]],
                f"P{i % 40:03d}",
                int(qty[i]),
                float(qty[i] * price[i]),
                float(qty[i] * price[i] * 0.6),
            ]
        )
    ws.append(["Total", None, None, None, None, None, None, None, int(qty.sum()), None, None])
    wb.save(path)


def build_csv(path: Path, rows: int) -> None:
    """A contact-centre style CSV (comma, UTF-8), written with DuckDB for speed."""
    import duckdb

    duckdb.sql(
        f"""COPY (
            SELECT 'T' || i AS "Ticket ID",
                   TIMESTAMP '2024-11-01' + to_seconds(i * 60) AS "Opened",
                   ['Phone','Email','Chat'][1 + i % 3] AS "Channel",
                   'Agent ' || (i % 15) AS "Agent",
                   CASE WHEN i % 10 = 0 THEN 'N' ELSE 'Y' END AS "Answered",
                   (i * 7) % 300 AS "Wait (s)",
                   200 + (i * 13) % 400 AS "Handle Time (s)",
                   1 + i % 5 AS "CSAT"
            FROM range({int(rows)}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')"""
    )


# --------------------------------------------------------------------------------------
# cases, each run in its own process


def case_load(path: str) -> dict:
    # Start-up is outside the timing, as `import fastexcel` is for the raw case: pyarrow
    # imports pandas on first use when it is installed (0.27 s, once per process; the app
    # has it loaded anyway).
    import pandas  # noqa: F401

    from cockpit.ingest.pipeline import load_files
    from cockpit.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.duckdb")
        base = rss_mb()
        t = time.perf_counter()
        report = load_files(store, [path])
        store.close()  # the checkpoint: the load is on disk, not only in the WAL
        elapsed = time.perf_counter() - t
        rows = sum(s.rows_loaded for f in report.files for s in f.sheets)
    return {"seconds": elapsed, "rows": rows, "ok": report.ok, "base_mb": base}


def case_raw(path: str) -> dict:
    import fastexcel

    base = rss_mb()
    t = time.perf_counter()
    reader = fastexcel.read_excel(path)
    table = reader.load_sheet(0, header_row=3).to_arrow()
    return {"seconds": time.perf_counter() - t, "rows": table.num_rows, "ok": True, "base_mb": base}


def case_pandas(path: str) -> dict:
    import duckdb
    import pandas as pd

    base = rss_mb()
    t = time.perf_counter()
    df = pd.read_excel(path, engine="openpyxl", skiprows=3)
    con = duckdb.connect()
    con.register("df", df)
    con.execute("CREATE TABLE orders AS SELECT * FROM df")
    return {"seconds": time.perf_counter() - t, "rows": len(df), "ok": True, "base_mb": base}


def case_stages(path: str) -> dict:
    """The load split into its stages (a diagnostic: where the time goes)."""
    import pandas  # noqa: F401  (start-up, as in case_load)

    from cockpit.ingest import detect_header, detect_sheet, mapping, pipeline, read, typed
    from cockpit.ingest.model import PreparedFile, PreparedSheet
    from cockpit.ingest.prepare import canonical_rows
    from cockpit.ingest.validate import validate_sheet
    from cockpit.store import Store, sha256

    data = Path(path).read_bytes()
    stages: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        stages[name] = stages.get(name, 0.0) + now - t
        t = now

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.duckdb")
        t = time.perf_counter()
        raws = read.read_file(data, Path(path).name)
        lap("read")
        sheets = []
        for raw in raws:
            layout = detect_header.find_layout(raw)
            lap("layout")
            columns = detect_sheet._profiles(raw, layout, None)  # noqa: SLF001
            lap("types")
            analysis = detect_sheet.SheetAnalysis(
                raw.file, raw.sheet, "data", "", layout.title, layout.header_rows,
                layout.data_start, layout.data_stop, layout.excluded_rows, columns,
            )  # fmt: skip
            cur = store.cursor()
            ts = typed.typed_sheet(cur, raw, analysis)
            lap("typing")
            proposal = mapping.propose(analysis)
            rows = canonical_rows(ts.table, proposal)
            sheet = PreparedSheet(
                raw=raw, analysis=analysis, mapping=proposal, fingerprint="bench",
                status="ready", rows=rows, rejects=list(ts.rejects),
            )  # fmt: skip
            lap("mapping")
            validate_sheet(store, sheet)
            lap("validate")
            sheets.append(sheet)
        prepared = PreparedFile(Path(path).name, data, sha256(data), sheets)
        pipeline.commit_file(store, prepared)
        store.close()
        lap("store")
    return {"seconds": sum(stages.values()), "stages": stages, "rows": 0, "ok": True}


CASES = {"load": case_load, "raw": case_raw, "pandas": case_pandas, "stages": case_stages}


def rss_mb() -> float:
    """Resident size now (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(name: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--case", name, "--file", str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(name: str, path: Path, repeat: int) -> dict:
    runs = [run_case(name, path) for _ in range(repeat)]
    return {
        "median": statistics.median(r["seconds"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "op_mb": max(r["peak_mb"] - r.get("base_mb", 0.0) for r in runs),
        "rows": runs[0]["rows"],
        "ok": all(r["ok"] for r in runs),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="*", type=int, default=[100_000, 500_000])
    ap.add_argument("--csv-rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pandas-repeat", type=int, default=1)
    ap.add_argument("--case")
    ap.add_argument("--file")
    args = ap.parse_args()
    if args.case:
        result = CASES[args.case](args.file)
        result["peak_mb"] = peak_rss_mb()
        print(json.dumps(result))
        return

    work = Path(tempfile.mkdtemp(prefix="cockpit-bench-"))
    print(f"ingest benchmark ({os.cpu_count()} cores), files in {work}")
    print(f"{'file':<22}{'case':<8}{'median s':>10}{'peak MB':>10}{'adds MB':>10}{'rows':>10}")
    summary = []
    for size in args.sizes:
        path = work / f"orders_{size}.xlsx"
        t = time.perf_counter()
        build_xlsx(path, size)
        print(
            f"(built {path.name}: {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t:.0f} s)"
        )
        res = {
            "load": measure("load", path, args.repeat),
            "raw": measure("raw", path, args.repeat),
            "pandas": measure("pandas", path, args.pandas_repeat),
        }
        for case, r in res.items():
            print(
                f"{path.name:<22}{case:<8}{r['median']:>10.2f}{r['peak_mb']:>10.0f}"
                f"{r['op_mb']:>10.0f}{r['rows']:>10,}"
            )
        summary.append((size, res))
    csv_path = work / "contacts_1m.csv"
    build_csv(csv_path, args.csv_rows)
    csv = measure("load", csv_path, args.repeat)
    print(
        f"{csv_path.name:<22}{'load':<8}{csv['median']:>10.2f}{csv['peak_mb']:>10.0f}"
        f"{csv['op_mb']:>10.0f}{csv['rows']:>10,}"
    )

    print("\nwhere the time goes (one run each, seconds):")
    for path in [work / f"orders_{size}.xlsx" for size in args.sizes] + [csv_path]:
        stages = run_case("stages", path)["stages"]
        print(f"  {path.name:<22}" + "  ".join(f"{k} {v:.2f}" for k, v in stages.items()))

    print("\nratios (same run):")
    for size, res in summary:
        load, raw, pd_ = res["load"], res["raw"], res["pandas"]
        print(
            f"  {size:>9,} rows: load/raw {load['median'] / raw['median']:.2f}x (target <= 1.5x), "
            f"pandas/load {pd_['median'] / load['median']:.1f}x (target >= 10x), "
            f"memory load/raw {load['op_mb'] / raw['op_mb']:.2f}x added by the work (target <= 2x),"
            f" {load['peak_mb'] / raw['peak_mb']:.2f}x process peak"
        )
    print(f"  1M-row CSV load: {csv['median']:.2f} s (target < 3 s)")


if __name__ == "__main__":
    main()
