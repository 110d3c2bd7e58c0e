"""Recognition tables: real exports sheet by sheet, and generated layouts family by family.

Default: loads each file of ../shared/realdata and data/demo (each into its own new database,
with no choices made, as a new user would) and prints per sheet: dataset, confidence, whether
it was loaded, held for the analyst or kept raw, and rows.

--layouts: renders every dataset's canonical table in every family of variation
(cockpit/testing/layouts.py), --per seeded renderings per family and dataset (--formats in
turn: xlsx, csv and tsv unless told), loads each into a new database and prints per family
how many loaded right (the KPI figures of the canonical table), were held with the right
dataset proposed, were missed (kept raw, rejected) or went wrong (another dataset, or other
figures). Target: 0 wrong, >= 90 % loaded right with no step. The README keeps the latest
tables.

    python bench/recognition.py [--markdown]
    python bench/recognition.py --layouts [--per 6] [--family NAME] [--formats xlsx,xls,ods]
                                          [--markdown]
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


def layouts(per: int, families: list[str], formats: list[str], markdown: bool) -> None:
    """The per-family table of generated layouts (see the module docstring)."""
    from collections import Counter

    from cockpit.testing import layouts as L

    verdicts = [L.RIGHT, L.HELD, L.MISSED, L.WRONG]
    table, examples = [], {}
    start = time.perf_counter()
    for family in families:
        counts: Counter = Counter()
        for ds in L.datasets_for(family):
            for seed in range(per):
                r = L.render(family, ds, formats[seed % len(formats)], seed)
                got = L.judge(r)
                counts[got.verdict] += 1
                if got.verdict != L.RIGHT:
                    examples.setdefault((family, got.verdict, ds), f"{r}: {got.detail}")
        n = sum(counts.values())
        table.append((family, n, *(counts[v] for v in verdicts)))
    took = time.perf_counter() - start
    total = [sum(row[i] for row in table) for i in range(1, 6)]
    table.sort(key=lambda row: (-row[5], row[2] / row[1]))  # worst first
    head = ["family", "renderings", "loaded right", "held, right proposal", "missed", "wrong"]
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|---|" + "---:|" * (len(head) - 1))
        for fam, n, *c in table:
            print(f"| {fam} | {n} | " + " | ".join(_pct(x, n) for x in c) + " |")
        print(
            f"| **all** | {total[0]} | " + " | ".join(_pct(x, total[0]) for x in total[1:]) + " |"
        )
    else:
        print(f"{'family':18} {'n':>4} {'right':>11} {'held':>11} {'missed':>11} {'wrong':>11}")
        for fam, n, *c in table:
            print(f"{fam:18} {n:>4} " + " ".join(f"{_pct(x, n):>11}" for x in c))
        print(
            f"{'all':18} {total[0]:>4} " + " ".join(f"{_pct(x, total[0]):>11}" for x in total[1:])
        )
    print(f"\n{total[0]} renderings in {took:.0f} s; one example of each miss (family, dataset):")
    for (_fam, verdict, _ds), text in sorted(examples.items()):
        print(f"- {verdict:22} {text[:150]}")


def _pct(x: int, n: int) -> str:
    return f"{x} ({x / n:.0%})" if n else "0"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    ap.add_argument("--layouts", action="store_true", help="generated layouts, per family")
    ap.add_argument("--per", type=int, default=6, help="renderings per family and dataset")
    ap.add_argument("--family", action="append", help="only these families (repeatable)")
    ap.add_argument("--formats", default="xlsx,csv,tsv", help="taken in turn (also xls, ods)")
    args = ap.parse_args()
    if args.layouts:
        from cockpit.testing.layouts import FAMILIES

        layouts(args.per, args.family or list(FAMILIES), args.formats.split(","), args.markdown)
        return
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
