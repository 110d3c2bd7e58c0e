"""KPIs: the catalogue, periods and comparisons, the engine, targets and what moved."""

from cockpit.kpis.catalogue import CATALOGUE, Kpi, format_value
from cockpit.kpis.engine import (
    DIMENSIONS,
    KpiValue,
    breakdown,
    budget_variance_table,
    dimension_values,
    downtime_pareto,
    monthly_series,
    scorecard,
)
from cockpit.kpis.movers import what_moved
from cockpit.kpis.periods import (
    Period,
    available_months,
    comparison_months,
    make_period,
    period_between,
    resolve_period,
)
from cockpit.kpis.registry import lookup
from cockpit.kpis.targets import save_sla_days, save_target_overrides

__all__ = [
    "CATALOGUE",
    "DIMENSIONS",
    "Kpi",
    "KpiValue",
    "Period",
    "available_months",
    "breakdown",
    "budget_variance_table",
    "comparison_months",
    "dimension_values",
    "downtime_pareto",
    "format_value",
    "lookup",
    "make_period",
    "monthly_series",
    "period_between",
    "resolve_period",
    "save_sla_days",
    "save_target_overrides",
    "scorecard",
    "what_moved",
]
