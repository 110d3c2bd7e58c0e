"""The monthly history of a slice, read from the scorecard's own KPI definitions.

Every column is the numerator or denominator of a catalogue KPI (queries/kpis.toml), taken
from the same monthly components the scorecard sums (queries/kpi_<family>_monthly.sql), so
the what-if's baseline on-time %, cost, answer time or CSAT is the scorecard's figure for the
same months: one definition per metric. Only the agents seen per month, a driver input that
is no KPI, has a query of its own (queries/whatif_agents.sql).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import pandas as pd

from cockpit import currency, datasets, queries
from cockpit.kpis.engine import FAMILIES, Components, component_value, fetch_components
from cockpit.kpis.periods import data_months
from cockpit.kpis.registry import lookup
from cockpit.store import resolve_as_of

AGENTS_QUERY = "whatif_agents"

# History column -> (KPI id, side): the side of that KPI's ratio the column is.
KPI_COLUMNS: dict[str, tuple[str, str]] = {
    "orders": ("orders", "numerator"),
    "units": ("units", "numerator"),
    "revenue": ("revenue", "numerator"),
    "order_cost": ("cost_per_unit", "numerator"),
    "costed_revenue": ("gross_margin_pct", "denominator"),
    "on_time_orders": ("on_time_pct", "numerator"),
    "on_time_known": ("on_time_pct", "denominator"),
    "planned_minutes": ("utilisation_pct", "denominator"),
    "run_minutes": ("utilisation_pct", "numerator"),
    "good_units": ("quality_pct", "numerator"),
    "quality_units": ("quality_pct", "denominator"),
    "operating_cost": ("operating_cost", "numerator"),
    "contacts": ("contacts_per_1000_orders", "numerator"),
    "wait_sum": ("asa_seconds", "numerator"),
    "wait_n": ("asa_seconds", "denominator"),
    "within_threshold": ("service_level_pct", "numerator"),
    "service_n": ("service_level_pct", "denominator"),
    "handle_sum": ("aht_seconds", "numerator"),
    "handle_n": ("aht_seconds", "denominator"),
    "csat_top": ("csat_pct", "numerator"),
    "csat_n": ("csat_pct", "denominator"),
}
# Order lines: the volume of last resort when lines carry neither units nor orders.
ORDER_LINES = "orders.rows"


def _components(column: str):
    kpi_id, side = KPI_COLUMNS[column]
    return getattr(lookup(kpi_id), side)


def _families() -> list[str]:
    names = [ORDER_LINES, *(_components(c) for c in KPI_COLUMNS)]
    flat = [n for x in names for n in (x if isinstance(x, tuple) else (x,))]
    return list(dict.fromkeys(n.split(".", 1)[0] for n in flat))


@functools.cache
def filter_dimensions() -> tuple[str, ...]:
    """The filter dimensions some history dataset has; any other catalogue dimension is
    accepted but does not narrow the what-if datasets (the baseline says so). Each filter
    narrows the datasets that have that column."""
    dims = {d for f in _families() for d in FAMILIES[f].dimensions}
    dims |= set(queries.parameters(queries.sql_text(AGENTS_QUERY)))
    return tuple(d for d in datasets.FILTER_DIMENSIONS if d in dims)


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
) -> pd.DataFrame:
    """One row per month with data in the slice: the KPI components of KPI_COLUMNS, order
    lines, downtime (planned - run) and scrap (units - good) minutes and units, agents."""
    as_of = resolve_as_of(as_of)
    params, _ = split_filters(filters)
    active = {d: v for d, v in params.items() if v}
    columns = ["month", "order_lines", *KPI_COLUMNS, "downtime_minutes", "scrap_units", "agents"]
    months = sorted({m for rows in data_months(store, as_of).values() for m in rows if m})
    if not months:
        return pd.DataFrame(columns=columns)
    comps = Components(
        fetch_components(
            store, _families(), start=months[0], end=months[-1], filters=active, as_of=as_of
        )
    )
    agents = {
        r["month"]: r["agents"]
        for r in queries.run(store, AGENTS_QUERY, as_of=as_of, **params).to_pylist()
    }
    seen = sorted({r["month"] for rows in comps.rows.values() for r in rows} | set(agents))
    records = []
    for month in seen:
        sums = comps.sums([month])
        rec = {"month": month, "order_lines": component_value(sums, ORDER_LINES)}
        rec.update({c: component_value(sums, _components(c)) for c in KPI_COLUMNS})
        rec["downtime_minutes"] = _minus(rec["planned_minutes"], rec["run_minutes"])
        rec["scrap_units"] = _minus(rec["quality_units"], rec["good_units"])
        rec["agents"] = agents.get(month)
        records.append(rec)
    frame = pd.DataFrame(records, columns=columns)
    numeric = [c for c in frame.columns if c != "month"]
    frame[numeric] = frame[numeric].astype("float64")
    money = currency.for_view(store, as_of, filters and dict(filters))
    if money.mixed:  # amounts in several currencies are not added: no money baseline
        frame[[c for c in KPI_COLUMNS if currency.reads_money(lookup(KPI_COLUMNS[c][0]))]] = float(
            "nan"
        )
        frame.attrs["currency"] = money.reason
    return frame.reset_index(drop=True)


def _minus(a, b):
    return None if a is None or b is None else a - b
