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


def missing_months(store: Store, as_of: int | None = None) -> dict[str, list[str]]:
    """Dataset -> months with no live rows inside the loaded range (gaps an analyst should fill)."""
    grid = coverage(store, as_of)
    gaps = grid[grid["status"].isin(["missing", "superseded"])]
    return {d: list(g["month"]) for d, g in gaps.groupby("dataset")}
