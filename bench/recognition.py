"""Recognition table: what every real export and every demo file loads as, sheet by sheet.

Loads each file of ../shared/realdata and data/demo (each into its own new database, with no
choices made, as a new user would) and prints per sheet: dataset, confidence, whether it was
loaded, held for the analyst or kept raw, and rows. The README keeps the latest table.

    python bench/recognition.py [--markdown]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cockpit.ingest.pipeline import load_files  # noqa: E402
from cockpit.store import Store  # noqa: E402

SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"}


def corpus() -> list[tuple[str, Path]]:
    """(group, path) for every real export beside the checkout and every demo file."""
    real = ROOT.parent / "shared" / "realdata"
    files = [("real", p) for p in sorted(real.rglob("*")) if p.suffix.lower() in SUFFIXES]
    if not files:
        print(f"!! {real} not found: only the demo files are measured", file=sys.stderr)
    demo = sorted((ROOT / "data" / "demo").glob("*"))
    return files + [("demo", p) for p in demo if p.suffix.lower() in SUFFIXES]


def rows_for(path: Path, tmp: Path) -> list[dict]:
    store = Store.open(str(tmp / f"{path.stem}.duckdb"))
    try:
        start = time.perf_counter()
        report = load_files(store, [str(path)])
        took = time.perf_counter() - start
    finally:
        store.close()
    out = []
    for f in report.files:
        if not f.sheets:
            out.append({"file": path.name, "sheet": "", "dataset": "", "confidence": "",
                        "outcome": f.status, "rows": 0, "seconds": took,
                        "note": "; ".join(f.messages)[:80]})  # fmt: skip
        for s in f.sheets:
            held = s.status == "held"
            out.append(
                {
                    "file": path.name,
                    "sheet": s.sheet or "",
                    "dataset": s.dataset or (s.proposed or {}).get("dataset") or "",
                    "confidence": "" if s.confidence is None else f"{s.confidence:.2f}",
                    "outcome": s.status,
                    "rows": s.rows_loaded,
                    "seconds": took,
                    "note": ("; ".join(s.hold_reasons) if held else "")[:80],
                }
            )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = ap.parse_args()
    cols = ["file", "sheet", "dataset", "confidence", "outcome", "rows", "note"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for group, path in corpus():
            for r in rows_for(path, Path(tmp)):
                rows.append({"group": group, **r})
    if args.markdown:
        print("| " + " | ".join(["", *cols]) + " |")
        print("|" + "---|" * (len(cols) + 1))
        for r in rows:
            print("| " + " | ".join(str(r[c]) for c in ["group", *cols]) + " |")
        return
    for r in rows:
        print(
            f"{r['group']:4} {r['file'][:34]:34} {r['sheet'][:16]:16} {r['dataset']:13} "
            f"{r['confidence']:5} {r['outcome']:9} {r['rows']:>8,}  {r['note']}"
        )


if __name__ == "__main__":
    main()
