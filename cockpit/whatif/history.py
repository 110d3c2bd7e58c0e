"""The monthly history of a slice: one query, then small in-memory frames for the model."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import pandas as pd

from cockpit import datasets, queries
from cockpit.store import LATEST

QUERY = "whatif_monthly"


@functools.cache
def filter_dimensions() -> tuple[str, ...]:
    """The filter dimensions the history query binds (read from its SQL); any other catalogue
    dimension is accepted but does not narrow the what-if datasets (the baseline says so)."""
    params = queries.parameters(queries.sql_text(QUERY))
    return tuple(p for p in params if p in datasets.FILTER_DIMENSIONS)


def catalogue_dimensions() -> set[str]:
    """Every text column of a canonical dataset: the names a filter may use."""
    return {
        c.name for ds in datasets.DATASETS.values() for c in ds.columns if c.type == datasets.TEXT
    }


def split_filters(
    filters: Mapping[str, Iterable[str]] | None,
) -> tuple[dict[str, list[str] | None], list[str]]:
    """Query parameters for `filters`, and the dimensions that do not apply to the what-if.

    Raises ValueError for a dimension that is not in the catalogue.
    """
    known = catalogue_dimensions()
    params: dict[str, list[str] | None] = dict.fromkeys(filter_dimensions())
    ignored = []
    for dim, values in (filters or {}).items():
        if dim not in known:
            raise ValueError(f"unknown filter dimension {dim!r}")
        values = [values] if isinstance(values, str) else [str(v) for v in values]
        if not values:
            continue
        if dim in params:
            params[dim] = sorted(set(values) | set(params[dim] or []))
        else:
            ignored.append(dim)
    return params, ignored


def monthly_history(
    store,
    *,
    filters: Mapping[str, Iterable[str]] | None = None,
    as_of: int | None = None,
    threshold_seconds: float = 60.0,
) -> pd.DataFrame:
    """One row per month of the slice with the sums of queries/whatif_monthly.sql."""
    params, _ = split_filters(filters)
    table = queries.run(
        store,
        QUERY,
        as_of=LATEST if as_of is None else int(as_of),
        threshold_seconds=float(threshold_seconds),
        **params,
    )
    frame = table.to_pandas()
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    numeric = [c for c in frame.columns if c != "month"]
    frame[numeric] = frame[numeric].astype("float64")
    return frame.reset_index(drop=True)
