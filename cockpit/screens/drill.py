"""Drill-through: the rows behind a KPI in a view (the Rows page and its downloads).

A KPI reads one or more datasets (the catalogue's `datasets`); its rows are that dataset's
live rows dated in the view's months (`_month`, the month a row counts in), through the
same slice macro and filters as the KPI itself, read one page at a time
(queries/drill_<dataset>.sql). Filters on dimensions the dataset does not have cannot
narrow its rows; they are named rather than silently dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from cockpit import datasets, queries
from cockpit.kpis.catalogue import Kpi
from cockpit.store import Store, resolve_as_of

PAGE_SIZE = 200
EXPORT_MAX_ROWS = 100_000  # one xlsx download; past it the page says to narrow the view


@dataclass
class DrillRows:
    """One page of the rows behind a KPI."""

    dataset: str
    rows: pa.Table  # the page, canonical columns
    total: int  # rows in the whole selection
    page: int  # 0-based
    page_size: int
    others: list[str] = field(default_factory=list)  # the KPI's other datasets
    ignored_filters: list[str] = field(default_factory=list)  # dimensions not in the dataset

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def first_row(self) -> int:
        """1-based number of the page's first row (0 when there are none)."""
        return self.page * self.page_size + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        return min(self.total, (self.page + 1) * self.page_size)


def sources(kpi: Kpi) -> list[str]:
    """The datasets whose rows are behind `kpi`, in the catalogue's order ('a|b' gives both)."""
    out: list[str] = []
    for entry in kpi.datasets:
        for name in entry.split("|"):
            if name in datasets.DATASETS and name not in out:
                out.append(name)
    return out


def rows(
    store: Store,
    kpi: Kpi,
    period,
    filters: dict[str, list[str]] | None = None,
    *,
    as_of: int | None = None,
    dataset: str | None = None,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> DrillRows:
    """A page of the rows behind `kpi` for `period` and `filters` at `as_of`.

    Without a `dataset`, the first of the KPI's datasets that has rows in the view (the
    on-time rate reads order lines, else the carrier's delivery summary)."""
    names = sources(kpi)
    if not names:
        raise ValueError(f"{kpi.label} reads no dataset with rows to show")
    if dataset is not None and dataset not in names:
        raise ValueError(f"{kpi.label} does not read {dataset!r}; it reads {', '.join(names)}")
    candidates = [dataset] if dataset else names
    result = None
    for name in candidates:
        result = _page(store, name, period, filters or {}, as_of, page, page_size)
        if result.total:
            break
    if result.total == 0 and dataset is None:
        result = _page(store, names[0], period, filters or {}, as_of, page, page_size)
    result.others = [n for n in names if n != result.dataset]
    return result


def export_table(
    store: Store, kpi: Kpi, period, filters=None, *, as_of=None, dataset=None
) -> DrillRows:
    """Every row behind `kpi` in the view (at most EXPORT_MAX_ROWS), for a download."""
    return rows(
        store, kpi, period, filters, as_of=as_of, dataset=dataset, page=0,
        page_size=EXPORT_MAX_ROWS,
    )  # fmt: skip


def _page(store, name, period, filters, as_of, page, page_size) -> DrillRows:
    ds = datasets.get(name)
    dims = datasets.filter_dimensions(ds)
    params = {d: list(filters[d]) if filters.get(d) else None for d in dims}
    table = queries.run(
        store,
        f"drill_{name}",
        as_of=resolve_as_of(as_of),
        start=period.start,
        end=period.end,
        limit=page_size,
        offset=max(0, page) * page_size,
        **params,
    )
    total = table.column("_rows")[0].as_py() if table.num_rows else 0
    if not table.num_rows and page > 0:
        # Past the last page (the data changed under a bookmark): count without the page.
        probe = queries.run(
            store, f"drill_{name}", as_of=resolve_as_of(as_of), start=period.start,
            end=period.end, limit=1, offset=0, **params,
        )  # fmt: skip
        total = probe.column("_rows")[0].as_py() if probe.num_rows else 0
    return DrillRows(
        dataset=name,
        rows=table.drop_columns(["_rows"]),
        total=int(total),
        page=max(0, page),
        page_size=page_size,
        ignored_filters=sorted(d for d, v in filters.items() if v and d not in dims),
    )


def readable(rows: pa.Table) -> pd.DataFrame:
    """The rows as people read them: a timestamp column whose every value is at midnight
    (a date written as a timestamp) is shown as dates."""
    frame = rows.to_pandas()
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            present = col.dropna()
            if len(present) and (present == present.dt.normalize()).all():
                frame[name] = col.dt.date
    return frame
