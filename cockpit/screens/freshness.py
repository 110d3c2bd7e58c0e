"""What data is there: latest month per dataset and the months x datasets coverage grid."""

from __future__ import annotations

import pandas as pd

from cockpit import datasets, queries
from cockpit.store import Store, resolve_as_of


def latest_months(store: Store, as_of: int | None = None) -> list[dict]:
    """Per dataset with data: label, latest month ('Oct 2026'), months loaded, partial flag."""
    rows = queries.run(store, "freshness_latest", as_of=resolve_as_of(as_of))
    out = []
    for r in rows.to_pylist():
        label = datasets.get(r["dataset"]).label
        latest = pd.Timestamp(r["latest"] + "-01").strftime("%b %Y")
        out.append({**r, "label": label, "latest": latest, "partial": bool(r["partial"])})
    return out


def coverage(store: Store, as_of: int | None = None) -> pd.DataFrame:
    """dataset, month ('YYYY-MM'), rows, status (loaded|partial|superseded|missing)."""
    table = queries.run(store, "coverage_grid", as_of=resolve_as_of(as_of))
    return table.to_pandas()


def gap_text(months: list[str], *, most: int = 5) -> str:
    """Months with no data in runs: ['2001-02', …, '2011-12', '2024-03'] ->
    'Feb 2001 – Dec 2011 (131 months), Mar 2024'; past `most` runs, the rest are counted."""
    runs: list[list[pd.Period]] = []
    for m in sorted(pd.Period(x, "M") for x in months):
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    parts = [
        f"{r[0]:%b %Y}" if len(r) == 1 else f"{r[0]:%b %Y} – {r[-1]:%b %Y} ({len(r)} months)"
        for r in runs[:most]
    ]
    rest = runs[most:]
    if rest:
        n = sum(len(r) for r in rest)
        parts.append(f"and {len(rest)} more gap{'s' if len(rest) > 1 else ''} ({n} months)")
    return ", ".join(parts)


def missing_months(store: Store, as_of: int | None = None) -> dict[str, list[str]]:
    """Dataset -> months with no live rows inside the loaded range (gaps an analyst should fill)."""
    grid = coverage(store, as_of)
    gaps = grid[grid["status"].isin(["missing", "superseded"])]
    return {d: list(g["month"]) for d, g in gaps.groupby("dataset")}
