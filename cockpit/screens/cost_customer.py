"""Cost and Customer page data that is not a single KPI: budget vs actual by month and
the distribution of resolution times."""

from __future__ import annotations

import pandas as pd

from cockpit import currency, queries
from cockpit.store import resolve_as_of


def _filters(filters: dict | None, names: tuple[str, ...]) -> dict:
    filters = filters or {}
    return {n: (list(filters[n]) if filters.get(n) else None) for n in names}


def budget_vs_actual(
    store, *, months: list, filters: dict | None = None, as_of: int | None = None
) -> pd.DataFrame:
    """month, budget, actual, variance for cost lines over `months`."""
    table = queries.run(
        store,
        "budget_vs_actual_monthly",
        as_of=resolve_as_of(as_of),
        start=min(months),
        end=max(months),
        **_filters(filters, ("unit", "account")),
    )
    return currency.unmixed(store, table.to_pandas(), as_of, filters)


def resolution_hours(
    store, *, months: list, filters: dict | None = None, as_of: int | None = None
) -> pd.DataFrame:
    """hours from contact to resolution for resolved contacts in `months` (sampled to 50k)."""
    table = queries.run(
        store,
        "contacts_resolution_hours",
        as_of=resolve_as_of(as_of),
        months=list(months),
        **_filters(filters, ("channel", "agent", "topic")),
    )
    return table.to_pandas()
