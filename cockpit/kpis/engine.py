"""Compute KPIs for a period, comparison, filters and version from monthly components.

One query per dataset family (queries/kpi_<family>_monthly.sql) returns, per month, the
numerators and denominators of all its KPIs; a period's value, its comparison and the
sparkline are then ratios of the summed components, so quarters, YTD and trailing periods
are exact ratios of sums. Percentiles use an additive day-count histogram (cycle time) or a
per-period query (resolution time). Missing data gives None with a reason, never 0.
"""

from __future__ import annotations

import datetime as dt
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pandas as pd

from cockpit import currency, datasets, queries
from cockpit.kpis import forecast as fc
from cockpit.kpis import memo
from cockpit.kpis import targets as targets_mod
from cockpit.kpis.catalogue import CATALOGUE, INGREDIENTS, Kpi, display_unit
from cockpit.kpis.periods import (
    MONTHLESS,
    Period,
    add_months,
    compare_list,
    comparison_months,
    data_months,
    is_monthly_grain,
    month_end,
    month_span,
    partial_months,
)
from cockpit.kpis.registry import lookup
from cockpit.store import resolve_as_of

SPARK_MONTHS = 24
DIMENSIONS = datasets.FILTER_DIMENSIONS


@dataclass(frozen=True)
class Family:
    name: str
    query: str
    dataset: str

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The filter dimensions the family's query takes (each a column of its dataset)."""
        params = queries.parameters(queries.sql_text(self.query))
        return tuple(p for p in params if p in DIMENSIONS)

    @property
    def slices_at_once(self) -> bool:
        """Whether the query slices by several dimensions in one run (`$dimensions`)."""
        return "dimensions" in queries.parameters(queries.sql_text(self.query))


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family("orders", "kpi_orders_monthly", "orders"),
        Family("delivery_stats", "kpi_delivery_stats_monthly", "delivery_stats"),
        Family("production", "kpi_production_monthly", "production"),
        Family("downtime", "kpi_downtime_monthly", "downtime"),
        Family("budget", "kpi_budget_monthly", "budget"),
        Family("contacts", "kpi_contacts_monthly", "contacts"),
        Family("contact_stats", "kpi_contact_stats_monthly", "contact_stats"),
        Family("surveys", "kpi_surveys_monthly", "surveys"),
        Family("resolution", "kpi_resolution_percentiles", "contacts"),
    )
}
_KEYS = ("month", "slice", "part", "dimension")


def _check_families() -> None:
    # A dimension name is also bound to a column name in SQL: keep both catalogues in step.
    for fam in FAMILIES.values():
        cols = datasets.get(fam.dataset).column_names
        for dim in fam.dimensions:
            if dim not in cols:
                raise RuntimeError(f"{fam.query}: {dim} is not a column of {fam.dataset}")


_check_families()


@dataclass(frozen=True)
class Comparison:
    """One comparison of a card: what the value is set against (the previous period's value,
    a year earlier, the target or the budget) and the change from it."""

    basis: str  # a periods.COMPARES id
    value: float | None
    change: float | None
    change_pct: float | None


@dataclass
class KpiValue:
    id: str
    label: str
    group: str
    unit: str
    value: float | None
    previous: float | None
    change: float | None
    change_pct: float | None
    target: float | None
    status: str | None
    reason: str | None
    spark: list[tuple[dt.date, float | None]] = field(default_factory=list)
    partial: bool = False
    amber: float | None = None  # the absolute amber threshold (cockpit.kpis.targets)
    target_source: str = "none"  # where the target came from (targets.Target.source)
    # An unfinished period (cockpit.kpis.forecast): the expected value at its end, and
    # whether `target` is the target to date (a share of a month still arriving).
    forecast: fc.Forecast | None = None
    pacing: bool = False
    # Every comparison of the view, in its order; previous/change/change_pct are the first's.
    comparisons: dict[str, Comparison] = field(default_factory=dict)


@dataclass
class Figure:
    """A KPI over some months: its value, the summed numerator/denominator, or a reason."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    reason: str | None = None


# -- filters ---------------------------------------------------------------------------------
def clean_filters(filters: dict | None) -> dict[str, list[str]]:
    """Filters as {dimension: [values]}; empty selections dropped, unknown dimensions refused."""
    out = {}
    for dim, values in (filters or {}).items():
        if dim not in DIMENSIONS:
            raise ValueError(f"unknown filter dimension {dim!r}; known: {', '.join(DIMENSIONS)}")
        if isinstance(values, str):
            values = [values]
        values = [str(v) for v in values or [] if v is not None]
        if values:
            out[dim] = values
    return out


_ROWS_NOUN = {
    "orders": "orders",
    "production": "production runs",
    "downtime": "downtime events",
    "budget": "budget lines",
    "contacts": "contacts",
    "contact_stats": "contact-centre statistics",
    "delivery_stats": "punctuality counts",
    "surveys": "survey responses",
}


def _plural(dataset: str) -> str:
    return _ROWS_NOUN.get(dataset, dataset)


def blocked_reason(kpi: Kpi, filters: dict, loaded: dict) -> str | None:
    """Why a KPI cannot be computed at all: a dataset not loaded, or a filter it cannot apply.

    A KPI that adds families of alternative datasets (contacts|contact_stats) needs one of
    them loaded; a filter must apply to every loaded one (else part of the sum is unfiltered).
    """
    for group in kpi.dataset_groups:
        if not any(loaded.get(ds) for ds in group):
            return f"no {' or '.join(group)} data loaded"
    for fam_name in kpi.families:
        fam = FAMILIES[fam_name]
        if not loaded.get(fam.dataset):
            continue  # an alternative dataset not loaded adds nothing to the sum
        for dim in filters:
            if dim not in fam.dimensions:
                return f"{_plural(fam.dataset)} have no {dim} column"
    return None


def uncovered_reason(kpi: Kpi, months, loaded: dict) -> str | None:
    """Why a KPI has no value over `months`: a dataset it reads beside its own (returns for
    the return rate) is not loaded that far, so the value would count its rows as zero.

    A month inside that dataset's loaded range with no rows is a true zero (no returns).
    """
    own = {FAMILIES[f].dataset for f in kpi.families}
    for ds in kpi.datasets:
        if ds in own or not loaded.get(ds):
            continue
        dated = [m for m in loaded[ds] if m is not None]
        if not dated:
            continue  # rows without their own month (returns without a date): no edge to pass
        last = max(dated)
        missing = [m for m in months if m > last]
        if missing:
            shown = ", ".join(f"{m:%b %Y}" for m in missing[:3])
            return f"no {ds} data for {shown}" + (" …" if len(missing) > 3 else "")
    return None


# -- fetching components ------------------------------------------------------------------------
def _query_params(
    fam: Family,
    *,
    start,
    end,
    filters,
    dimension,
    as_of,
    sla,
    months,
    compare,
    threshold=20.0,
    dimensions=(),
):
    # The orders query slices by several dimensions in one run (its rows name theirs).
    dimensions = list(dimensions) or ([dimension] if dimension else [])
    params = {
        "threshold_seconds": float(threshold),
        "as_of": as_of,
        "start": start,
        "end": end,
        "dimension": dimension,
        "dimensions": dimensions,
        "sla_keys": list(sla),
        "sla_days": [int(v) for v in sla.values()],
        "months": list(months),
        "compare_months": list(compare),
    }
    params.update({d: filters.get(d) for d in fam.dimensions})
    return params


def fetch_components(
    store,
    families: list[str],
    *,
    start: dt.date,
    end: dt.date,
    filters: dict,
    as_of: int,
    dimension: str | None = None,
    months: list[dt.date] = (),
    compare: list[dt.date] = (),
    dimensions: tuple[str, ...] = (),
) -> dict[str, list[dict]]:
    """Run each family's query (in a small thread pool, a cursor each) -> rows per family.

    `dimensions` (several at once) is for a family whose query takes `$dimensions` (orders):
    its rows then name their `dimension`; split them before summing."""
    sla = targets_mod.sla_days(store) if "orders" in families else {}
    threshold = targets_mod.service_level_seconds(store)

    def run(name: str) -> list[dict]:
        fam = FAMILIES[name]
        params = _query_params(
            fam, start=start, end=end, filters=filters, dimension=dimension,
            as_of=as_of, sla=sla, months=months, compare=compare, threshold=threshold,
            dimensions=dimensions,
        )  # fmt: skip
        return memo.rows(store, fam.query, **params)

    if len(families) <= 1:
        return {name: run(name) for name in families}
    with ThreadPoolExecutor(max_workers=min(3, len(families))) as pool:
        return dict(zip(families, pool.map(run, families), strict=True))


def sum_components(rows: list[dict]) -> dict:
    """Add up monthly component rows: numbers summed (None if all None), histograms merged."""
    out: dict = {}
    for row in rows:
        for key, v in row.items():
            if key in _KEYS or v is None:
                continue
            if isinstance(v, list):  # a histogram as [(value, count), ...]
                hist = out.setdefault(key, {})
                for k, n in v:
                    hist[k] = hist.get(k, 0) + n
            elif isinstance(v, dt.date):
                out[key] = max(out.get(key, v), v)
            else:
                out[key] = out.get(key, 0) + v
    return out


def histogram_quantile(hist: dict, q: float) -> float | None:
    """Quantile q of values given as {value: count}, interpolated like quantile_cont."""
    ordered = sorted(hist.items())
    n = sum(count for _, count in ordered)
    if not n:
        return None
    pos = (n - 1) * q
    lo = math.floor(pos)

    def value_at(i: int):
        seen = 0
        for value, count in ordered:
            seen += count
            if seen > i:
                return value
        return ordered[-1][0]

    lo_val, hi_val = value_at(lo), value_at(min(lo + 1, n - 1))
    return float(lo_val + (pos - lo) * (hi_val - lo_val))


# -- evaluating ------------------------------------------------------------------------------
def evaluate(kpi: Kpi, sums: dict[str, dict], filtered: bool = False) -> Figure:
    """A KPI's value from components summed over some months ({family: {component: x}}).

    Every dataset group of the KPI needs rows in the period (in one of its datasets); a
    tuple of components is their sum, None when none of them has a value.
    """
    for group in kpi.dataset_groups:
        fams = [f for f in kpi.families if FAMILIES[f].dataset in group]
        if not fams or fams == ["resolution"]:
            continue
        if not any((sums.get(f) or {}).get("rows") for f in fams if f != "resolution"):
            where = " for these filters" if filtered else ""
            return Figure(None, reason=f"no {' or '.join(group)} data in this period{where}")

    def get(name: str | tuple | None):
        return component_value(sums, name)

    if kpi.formula == "product":
        value = 1.0
        for factor in kpi.factors:
            fig = evaluate(lookup(factor), sums, filtered)
            if fig.value is None:
                return Figure(None, reason=fig.reason)
            value *= fig.value / 100
        return Figure(100 * value)
    if kpi.formula == "histogram_quantile":
        v = histogram_quantile(get(kpi.component) or {}, kpi.q)
        return Figure(v, reason=None if v is not None else empty_reason(kpi, sums))
    if kpi.formula == "period_quantile":
        v = get(kpi.component)
        return Figure(v, reason=None if v is not None else empty_reason(kpi, sums))
    num = get(kpi.numerator)
    if kpi.requires and not get(kpi.requires):
        return Figure(None, num, reason=empty_reason(kpi, sums))
    if kpi.denominator is None:
        if num is None:
            return Figure(None, reason=empty_reason(kpi, sums))
        return Figure(float(num) * kpi.scale, num)
    den = get(kpi.denominator)
    if not den or num is None:
        return Figure(None, num, den, reason=empty_reason(kpi, sums))
    ratio = num / den
    if kpi.cap is not None:
        ratio = min(ratio, kpi.cap)
    return Figure(ratio * kpi.scale, num, den)


def empty_reason(kpi: Kpi, sums: dict[str, dict]) -> str:
    """Why a KPI with rows in the period has no value: the first ingredient it needs that the
    period lacks ("no order lines with a cost in this period"), else its catalogue reason.
    An ingredient is judged only where its family has rows (on-time from punctuality counts
    lacks no ship dates)."""
    for name in kpi.needs:
        ing = INGREDIENTS[name]
        if (sums.get(ing.family) or {}).get("rows") and not component_value(sums, ing.component):
            return ing.empty
    return kpi.empty


def never_loaded(store, kpi: Kpi, reason: str | None, as_of: int) -> str | None:
    """The "never loaded" reason ("no cost column in the loaded orders") when `reason` is an
    ingredient's period reason and none of its columns holds a value in the loaded data."""
    ing = next((INGREDIENTS[n] for n in kpi.needs if INGREDIENTS[n].empty == reason), None)
    if ing is None:
        return None
    dataset = FAMILIES[ing.family].dataset
    filled = memo.rows(store, f"{dataset}_columns_filled", as_of=as_of)
    if filled and any(filled[0].get(c) for c in ing.columns):
        return None
    return ing.missing


def component_value(sums: dict[str, dict], name: str | tuple[str, ...]):
    """A component ("family.component") of summed sums, or the sum of a tuple of them (None
    when none has a value)."""
    if isinstance(name, tuple):
        found = [v for v in (component_value(sums, n) for n in name) if v is not None]
        return sum(found) if found else None
    fam, comp = name.split(".", 1)
    return (sums.get(fam) or {}).get(comp)


@dataclass
class Components:
    """Fetched component rows of one or more families, indexed for summing by month/slice."""

    rows: dict[str, list[dict]]

    def sums(self, months, *, part: str | None = None, slice_=...) -> dict:
        """Components summed over `months` (of one slice when given) per family.

        `part` names the resolution query's row for a whole multi-month set of months.
        """
        wanted = set(months)
        out = {}
        for fam, rows in self.rows.items():
            if fam == "resolution":
                # Percentiles do not add: a whole period has its own row ('period'/'compare').
                p = part if part and len(months) > 1 else "month"
                picked = [
                    r for r in rows if r["part"] == p and (p != "month" or r["month"] in wanted)
                ]
            else:
                picked = [r for r in rows if r["month"] in wanted]
            if slice_ is not ...:
                picked = [r for r in picked if r["slice"] == slice_]
            out[fam] = sum_components(picked)
            if fam == "resolution" and len({r.get("month") for r in picked}) > 1:
                out[fam] = {}  # several single months: no exact percentile
        return out

    def sums_by_slice(self, months, *, part: str | None = None) -> dict:
        """{slice: sums(months, slice_=slice)} for every slice, in one pass over the rows
        (asking `sums` slice by slice rescans every row per slice: thousands of customers
        by 24 months made "what moved" take minutes at company scale)."""
        wanted = set(months)
        picked: dict = {}
        for fam, rows in self.rows.items():
            if fam == "resolution":
                continue  # its own period rows: asked for slice by slice below
            for r in rows:
                if r["month"] in wanted:
                    picked.setdefault(r["slice"], {}).setdefault(fam, []).append(r)
        out = {}
        for s in self.slices():
            mine = picked.get(s, {})
            out[s] = {fam: sum_components(mine.get(fam, [])) for fam in self.rows}
            if "resolution" in self.rows:
                out[s]["resolution"] = self.sums(months, part=part, slice_=s)["resolution"]
        return out

    def slices(self) -> list:
        return sorted(
            {r["slice"] for rows in self.rows.values() for r in rows},
            key=lambda s: (s is None, str(s)),
        )

    def last_dates(self, family: str) -> dict[dt.date, dt.date | None]:
        out: dict[dt.date, dt.date | None] = {}
        for r in self.rows.get(family, []):
            if r.get("month") is not None and r.get("last_date") is not None:
                out[r["month"]] = max(out.get(r["month"], r["last_date"]), r["last_date"])
        return out


def _families_for(kpis: list[Kpi], loaded: dict, filters: dict) -> list[str]:
    fams = []
    for k in kpis:
        if blocked_reason(k, filters, loaded) is None:
            # An alternative dataset that is not loaded has nothing to add: no query for it.
            fams.extend(f for f in k.families if f not in fams and loaded.get(FAMILIES[f].dataset))
    return fams


def spark_months(end: dt.date, n: int = SPARK_MONTHS) -> list[dt.date]:
    return [add_months(end, i - n + 1) for i in range(n)]


def _change(value, previous):
    if value is None or previous is None:
        return None, None
    change = value - previous
    return change, (100 * change / abs(previous) if previous else None)


def budget_figure(kpi: Kpi, sums: dict[str, dict], months, *, plan, filters) -> float | None:
    """What the KPI is compared with "vs budget" (the catalogue's `budget`): a component of
    its own data (operating cost: the budget lines' budget), else the uploaded plan when it
    covers the period; None for a KPI already against the budget (variance) or without one."""
    if kpi.budget == "none":
        return None
    if kpi.budget != "plan":
        value = component_value(sums, kpi.budget)
        if value is not None:
            return float(value) * kpi.scale
    return targets_mod.period_plan(kpi.id, months, plan=plan, filters=filters)


def _compared(basis: str, value: float | None, against: float | None) -> Comparison:
    return Comparison(basis, against, *_change(value, against))


def scorecard(
    store,
    *,
    period: Period,
    compare: str | list[str] = "prev",
    filters: dict | None = None,
    as_of: int | None = None,
    kpi_ids: list[str] | None = None,
) -> list[KpiValue]:
    """Every KPI (or `kpi_ids`) for the period: value, comparison, target, status, sparkline.

    `compare` is one comparison or several ("prev,yoy,target"): each card has them all in
    `comparisons`, computed from the same monthly components (one query per family; the
    resolution percentiles add one per further multi-month comparison); previous, change
    and change_pct are the first's."""
    as_of = resolve_as_of(as_of)
    filters = clean_filters(filters)
    compares = compare_list(compare)
    kpis = [lookup(k) for k in kpi_ids] if kpi_ids else list(CATALOGUE.values())
    cmp_months = {c: comparison_months(period, c) for c in compares}
    # The primary's months go to the query's whole-period percentiles ("compare" rows), or
    # the first comparison with months when the primary is a target or budget.
    dated = [c for c in compares if c not in MONTHLESS]
    first = cmp_months[dated[0]] if dated else []
    spark = spark_months(period.end)
    span = spark + period.months + [m for c in compares for m in cmp_months[c]]
    loaded = data_months(store, as_of)
    families = _families_for(kpis, loaded, filters)
    fetch = dict(start=min(span), end=max(span), filters=filters, as_of=as_of,
                 months=period.months)  # fmt: skip
    comps = Components(fetch_components(store, families, compare=first, **fetch))
    end = fc.period_end(period)
    plan = targets_mod.plan_rows(
        store, month_span(period.start, max(end or period.end, period.end)), as_of
    )
    overrides = targets_mod.target_overrides(store)
    partial = {
        fam: partial_months(loaded.get(f.dataset, {}), comps.last_dates(fam))
        for fam, f in FAMILIES.items()
        if fam in comps.rows
    }
    now_sums = comps.sums(period.months, part="period")
    cmp_sums = {}
    for c in dated:
        own = comps
        if cmp_months[c] != first and "resolution" in families and len(period.months) > 1:
            # Percentiles do not add: another whole set of months needs its own rows.
            extra = fetch_components(store, ["resolution"], compare=cmp_months[c], **fetch)
            own = Components({**comps.rows, **extra})
        cmp_sums[c] = own.sums(cmp_months[c], part="compare")
    month_sums = {m: comps.sums([m]) for m in spark}
    pace = Pace(store, period, comps, loaded, partial, as_of) if end else None
    out = []
    for kpi in kpis:
        tgt = targets_mod.period_target(
            kpi.id, period.months, plan=plan, overrides=overrides, filters=filters
        )
        state = pace.state(kpi, month_sums) if pace else None
        pacing = state is not None and state.partial and targets_mod.is_additive(kpi)
        if pacing:
            tgt = _to_date(kpi, period, state, plan=plan, overrides=overrides, filters=filters)
        blocked = blocked_reason(kpi, filters, loaded) or currency.withheld(
            store, kpi, as_of, filters
        )
        if blocked:
            none = {c: Comparison(c, None, None, None) for c in compares}
            out.append(KpiValue(kpi.id, kpi.label, kpi.group, display_unit(kpi), None, None,
                                None, None, tgt.target, None, blocked,
                                [(m, None) for m in spark], amber=tgt.amber,
                                target_source=tgt.source, comparisons=none))  # fmt: skip
            continue
        fig = evaluate(kpi, now_sums, bool(filters))
        gap = uncovered_reason(kpi, period.months, loaded)
        if gap:
            fig = Figure(None, reason=gap)
        elif fig.value is None:
            fig.reason = never_loaded(store, kpi, fig.reason, as_of) or fig.reason
        comparisons = {}
        for c in compares:
            if c == "target":
                against = tgt.target
            elif c == "budget":
                against = budget_figure(kpi, now_sums, period.months, plan=plan, filters=filters)
            elif uncovered_reason(kpi, cmp_months[c], loaded):
                against = None
            else:
                against = evaluate(kpi, cmp_sums[c], bool(filters)).value
            comparisons[c] = _compared(c, fig.value, against)
        primary = comparisons[compares[0]]
        forecast = None
        if pace and fig.value is not None:
            full = targets_mod.period_target(kpi.id, month_span(period.start, end), plan=plan,
                                             overrides=overrides, filters=filters)  # fmt: skip
            forecast = (
                pace.forecast(kpi, state, now_sums, month_sums, full.target) if state else None
            )
        out.append(
            KpiValue(
                id=kpi.id,
                label=kpi.label,
                group=kpi.group,
                unit=display_unit(kpi),
                value=fig.value,
                previous=primary.value,
                change=primary.change,
                change_pct=primary.change_pct,
                target=tgt.target,
                status=targets_mod.status(kpi, fig.value, tgt.target, tgt.amber),
                reason=fig.reason,
                spark=[
                    (
                        m,
                        None
                        if uncovered_reason(kpi, [m], loaded)
                        else evaluate(kpi, month_sums[m]).value,
                    )
                    for m in spark
                ],  # fmt: skip
                partial=any(m in partial.get(f, ()) for f in kpi.families for m in period.months),
                amber=tgt.amber,
                target_source=tgt.source,
                forecast=forecast,
                pacing=pacing,
                comparisons=comparisons,
            )
        )
    return out


def _to_date(kpi: Kpi, period: Period, state: PaceState, **where) -> targets_mod.Target:
    """An additive KPI's target (and amber threshold) to date: the months done's plus the
    done share of the month in progress (cockpit.kpis.forecast.target_to_date)."""
    months = [m for m in period.months if m <= state.current]
    per_month = {m: targets_mod.period_target(kpi.id, [m], **where) for m in months}
    target = fc.target_to_date(kpi, {m: t.target for m, t in per_month.items()}, months,
                               state.current, state.share)  # fmt: skip
    amber = fc.target_to_date(kpi, {m: t.amber for m, t in per_month.items()}, months,
                              state.current, state.share)  # fmt: skip
    sources = "+".join(dict.fromkeys(t.source for t in per_month.values() if t.source != "none"))
    return targets_mod.Target(target, amber if target is not None else None, sources or "none")


@dataclass(frozen=True)
class PaceState:
    """Where a KPI's unfinished period stands: the month in progress (`partial`: some of it
    is loaded, `share` done) or, the last loaded month being complete, the next one."""

    current: dt.date
    share: float
    partial: bool
    through: dt.date  # the last day loaded


class Pace:
    """What the forecast and the pacing target of an unfinished period read: which month is
    in progress and how much of it is done, per KPI (cockpit.kpis.forecast)."""

    def __init__(self, store, period: Period, comps: Components, loaded: dict, partial: dict,
                 as_of: int):  # fmt: skip
        self.period, self.comps, self.loaded, self.partial = period, comps, loaded, partial
        self.end = fc.period_end(period)
        start = add_months(period.end, -6)
        self.days: dict[str, dict] = {}
        for r in memo.rows(store, "kpi_daily_rows", as_of=as_of, start=start, end=period.end):
            self.days.setdefault(r["dataset"], {})[r["day"]] = int(r["rows"])

    def state(self, kpi: Kpi, month_sums: dict) -> PaceState | None:
        """The KPI's month in progress: its last month in the period with rows, when partly
        loaded; else the month after it (None when that is past the period's end)."""
        months = [
            m
            for m in self.period.months
            if any((month_sums.get(m, {}).get(f) or {}).get("rows") for f in kpi.families)
        ]
        if not months:
            return None
        last = max(months)
        fam = next((f for f in kpi.families if last in self._arriving(f)), None)
        if fam is None:
            nxt = add_months(last, 1)
            return PaceState(nxt, 0.0, False, month_end(last)) if nxt <= self.end else None
        through = fc.last_day(last, self._last_dates(fam))
        return PaceState(last, self._share(fam, last), True, through)

    def _last_dates(self, fam: str) -> dict[dt.date, dt.date | None]:
        """The last day with rows per month of the family's dataset, company-wide when the
        daily rows know it: whether a month is still arriving is a fact of the load, not of
        a slice (a site with no orders after the 9th of a month loaded to the 30th is not
        "on the 9th"); the slice's own last dates otherwise."""
        days = self.days.get(FAMILIES[fam].dataset)
        if not days:
            return self.comps.last_dates(fam)
        out: dict[dt.date, dt.date] = {}
        for day in days:
            month = day.replace(day=1)
            out[month] = max(out.get(month, day), day)
        return out

    def _arriving(self, fam: str) -> set:
        if not self.days.get(FAMILIES[fam].dataset):
            return self.partial.get(fam, set())
        rows = self.loaded.get(FAMILIES[fam].dataset, {})
        return partial_months(rows, self._last_dates(fam))

    def _share(self, fam: str, month: dt.date) -> float:
        dataset = FAMILIES[fam].dataset
        last_dates = self._last_dates(fam)
        if is_monthly_grain(last_dates):  # rows dated by month: the share of a usual month
            rows = self.loaded.get(dataset, {})
            earlier = [n for m, n in rows.items() if m is not None and m < month and n > 0]
            usual = sorted(earlier)[len(earlier) // 2] if earlier else 0
            return min(1.0, rows.get(month, 0) / usual) if usual else 1.0
        weights = fc.weekday_weights(self.days.get(dataset, {}), month)
        return fc.month_share(fc.last_day(month, last_dates), weights)

    def forecast(self, kpi: Kpi, state: PaceState, now_sums: dict, month_sums: dict,
                 target: float | None) -> fc.Forecast | None:  # fmt: skip
        """The KPI's forecast to period end; None when history gives no expectation."""
        current, share = state.current, state.share
        current_sums = month_sums.get(current, {}) if state.partial else {}
        history = {
            m: s
            for m, s in month_sums.items()
            if m < current and any((s.get(f) or {}).get("rows") for f in kpi.families)
        }

        def value(k, sums):
            fig = evaluate(k, sums)
            return (fig.value, fig.denominator) if fig.value is not None else None

        return fc.forecast_kpi(
            kpi, by_month=history, to_date=now_sums, current_sums=current_sums,
            current=current, share=share, end=self.end, target=target, evaluate=value,
            through=state.through,
        )  # fmt: skip


def monthly_series(
    store,
    kpi_id: str,
    *,
    months: list[dt.date],
    filters: dict | None = None,
    as_of: int | None = None,
) -> pd.DataFrame:
    """One KPI month by month: columns month, value (and target when any month has one)."""
    as_of = resolve_as_of(as_of)
    filters = clean_filters(filters)
    kpi = lookup(kpi_id)
    months = sorted(months)
    loaded = data_months(store, as_of)
    values: list[float | None] = [None] * len(months)
    if months and not (
        blocked_reason(kpi, filters, loaded) or currency.withheld(store, kpi, as_of, filters)
    ):
        comps = Components(
            fetch_components(
                store,
                list(kpi.families),
                start=months[0],
                end=months[-1],
                filters=filters,
                as_of=as_of,
            )  # fmt: skip
        )
        values = [
            None
            if uncovered_reason(kpi, [m], loaded)
            else evaluate(kpi, comps.sums([m]), bool(filters)).value
            for m in months
        ]
    frame = pd.DataFrame({"month": months, "value": pd.array(values, dtype="Float64")})
    plan = targets_mod.plan_rows(store, months, as_of)
    overrides = targets_mod.target_overrides(store)
    tgts = [
        targets_mod.period_target(kpi_id, [m], plan=plan, overrides=overrides, filters=filters)
        for m in months
    ]
    if any(t.target is not None for t in tgts):
        frame["target"] = pd.array([t.target for t in tgts], dtype="Float64")
        frame["amber"] = pd.array([t.amber for t in tgts], dtype="Float64")
    return frame


def _names(component) -> list[str]:
    if component is None:
        return []
    return list(component) if isinstance(component, list | tuple) else [component]


def _contributing(store, kpi: Kpi, loaded: dict, period: Period, as_of: int) -> dict:
    """`loaded` without the alternative datasets that add nothing to this KPI in the period
    (surveys holding only NPS scores add no CSAT ratings: they must not stop CSAT by agent)."""
    out = dict(loaded)
    wanted = _names(kpi.numerator) + _names(kpi.denominator)
    for group in kpi.dataset_groups:
        if len(group) < 2:
            continue
        for name in kpi.families:
            fam = FAMILIES[name]
            mine = [n for n in wanted if n.startswith(f"{name}.")]
            if fam.dataset not in group or not loaded.get(fam.dataset) or not mine:
                continue
            rows = fetch_components(
                store, [name], start=period.start, end=period.end, filters={}, as_of=as_of,
                months=period.months,
            )  # fmt: skip
            sums = {name: sum_components(rows[name])}
            if not any(component_value(sums, n) for n in mine):
                out.pop(fam.dataset, None)
    return out


def breakdown(
    store,
    kpi_id: str,
    dimension: str,
    *,
    period: Period,
    filters: dict | None = None,
    as_of: int | None = None,
) -> pd.DataFrame:
    """The KPI per value of `dimension` over the period: value, numerator, denominator.

    Order-level counts put an order in every slice it has lines in. Sorted by value, largest
    first. A KPI that cannot be sliced by `dimension` raises ValueError with the reason.
    """
    as_of = resolve_as_of(as_of)
    filters = clean_filters(filters)
    kpi = lookup(kpi_id)
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    loaded = _contributing(store, kpi, data_months(store, as_of), period, as_of)
    reason = blocked_reason(kpi, {**filters, dimension: ["?"]}, loaded) or currency.withheld(
        store, kpi, as_of, filters
    )
    columns = [dimension, "value", "numerator", "denominator"]
    if reason:
        frame = pd.DataFrame(columns=columns)
        frame.attrs["reason"] = reason
        return frame
    comps = Components(
        fetch_components(
            store,
            list(kpi.families),
            start=period.start,
            end=period.end,
            filters=filters,
            as_of=as_of,
            dimension=dimension,
            months=period.months,
        )  # fmt: skip
    )
    plan = targets_mod.plan_rows(store, period.months, as_of)
    overrides = targets_mod.target_overrides(store)
    gap = uncovered_reason(kpi, period.months, loaded)
    rows = []
    for s in comps.slices():
        fig = evaluate(kpi, comps.sums(period.months, part="period", slice_=s), True)
        if gap:
            fig = Figure(None, reason=gap)
        # A slice's own plan rows (a site's targets) when there are any, as on its cards.
        tgt = targets_mod.period_target(
            kpi_id, period.months, plan=plan, overrides=overrides,
            filters={**filters, dimension: [s]} if s is not None else filters,
        )  # fmt: skip
        rows.append([s, fig.value, fig.numerator, fig.denominator, tgt.target, tgt.amber,
                     targets_mod.status(kpi, fig.value, tgt.target, tgt.amber)])  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns + ["target", "amber", "status"])
    for c in ("value", "numerator", "denominator", "target", "amber"):
        frame[c] = pd.array(frame[c], dtype="Float64")
    return frame.sort_values("value", ascending=False, na_position="last").reset_index(drop=True)


def _family_table(store, query: str, family: str, *, period, filters, as_of: int) -> pd.DataFrame:
    filters = clean_filters(filters)
    fam = FAMILIES[family]
    bad = [d for d in filters if d not in fam.dimensions]
    if bad:
        frame = pd.DataFrame()
        frame.attrs["reason"] = f"{_plural(fam.dataset)} have no {bad[0]} column"
        return frame
    params = {"as_of": as_of, "months": list(period.months)}
    params.update({d: filters.get(d) for d in fam.dimensions})
    return queries.run(store, query, **params).to_pandas()


def downtime_pareto(
    store, *, period: Period, filters: dict | None = None, as_of: int | None = None
) -> pd.DataFrame:
    """Downtime minutes by cause over the period, largest first: share and cumulative share."""
    return _family_table(
        store,
        "kpi_downtime_pareto",
        "downtime",
        period=period,
        filters=filters,
        as_of=resolve_as_of(as_of),
    )


def budget_variance_table(
    store, *, period: Period, filters: dict | None = None, as_of: int | None = None
) -> pd.DataFrame:
    """Budget, actual and variance by unit and account over the period, biggest overspend first."""
    table = _family_table(
        store,
        "budget_variance_table",
        "budget",
        period=period,
        filters=filters,
        as_of=resolve_as_of(as_of),
    )
    return currency.unmixed(store, table, as_of, filters)  # never £ and $ in one column


def dimension_values(store, dimension: str, as_of: int | None = None) -> list[str]:
    """The distinct values of a filter dimension across every dataset that has it."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; known: {', '.join(DIMENSIONS)}")
    rows = memo.rows(store, "dimension_values", as_of=resolve_as_of(as_of), dimension=dimension)
    return [r["value"] for r in rows]
