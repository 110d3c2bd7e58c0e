"""Wide files: a 5,000-column CSV through prepare (read, detect, type, map, profile).

Two files of 5,000 columns x 100 rows: small whole numbers (about 1.3 MB), and a mix of
kinds (numbers with currency and separators, percentages, day-first dates, yes/no, text
with placeholders). Each is prepared in a fresh process (imports outside the timing) and
the seconds are printed per stage, with the outcome (neither fits a dataset: raw only).
Issue 15 measured 178 s for the first; the target is seconds.

    python bench/wide.py [--columns 5000] [--rows 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def numbers_csv(columns: int, rows: int) -> bytes:
    rng = random.Random(1)
    lines = [",".join(f"m{i}" for i in range(columns))]
    lines += [",".join(str(rng.randint(0, 99)) for _ in range(columns)) for _ in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def mixed_csv(columns: int, rows: int) -> bytes:
    rng = random.Random(3)

    def cell(c: int) -> str:
        kind = c % 6
        if kind == 0:
            return str(rng.randint(0, 99))
        if kind == 1:
            return rng.choice(["Leeds", "Lyon", "Oslo", "N/A"])
        if kind == 2:
            return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2024"
        if kind == 3:
            return f"{rng.randint(0, 100)}%"
        if kind == 4:
            return f'"£{rng.randint(1, 9)},{rng.randint(100, 999)}"'
        return rng.choice(["Y", "N"])

    lines = [",".join(f"Metric {i}" for i in range(columns))]
    lines += [",".join(cell(c) for c in range(columns)) for _ in range(rows)]
    return ("\n".join(lines) + "\n").encode()


CHILD = """
import json, sys, time
from cockpit.ingest.pipeline import prepare_file
from cockpit.store import Store
data = open(sys.argv[1], "rb").read()
store = Store.open(":memory:")
marks = []
start = time.perf_counter()
prepared = prepare_file(store, data, "wide.csv",
                        progress=lambda step: marks.append((step, time.perf_counter() - start)))
total = time.perf_counter() - start
(sheet,) = prepared.sheets
print(json.dumps({"total": total, "marks": marks, "status": sheet.status,
                  "columns": len(sheet.analysis.columns), "reasons": sheet.mapping.reasons}))
"""


def run(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True, text=True, check=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--columns", type=int, default=5000)
    ap.add_argument("--rows", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for label, build in (("small numbers", numbers_csv), ("mixed kinds", mixed_csv)):
            path = Path(tmp) / "wide.csv"
            path.write_bytes(build(args.columns, args.rows))
            runs = [run(path) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["total"])
            stages = ", ".join(
                f"{step.split(' of ')[0].split(' (')[0].lower()} from {t:.2f} s"
                for step, t in best["marks"]
            )
            print(
                f"{args.columns:,} columns x {args.rows} rows, {label}"
                f" ({path.stat().st_size / 1024**2:.1f} MB): prepare median"
                f" {statistics.median(r['total'] for r in runs):.2f} s"
                f" (best {best['total']:.2f} s); {best['columns']:,} columns profiled,"
                f" {best['status']} ({'; '.join(best['reasons'])})"
            )
            print(f"    {stages}")


if __name__ == "__main__":
    main()
