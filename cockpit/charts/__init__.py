"""Pure Altair chart builders: pandas DataFrames in, a themed chart out (no Streamlit here).

Each chart carries the cockpit theme in its config (see theme.py); export with vl-convert.
"""

from cockpit.charts.breakdowns import (
    breakdown_bar,
    budget_vs_actual,
    distribution,
    oee_decomposition,
    pareto,
    variance_bars,
)
from cockpit.charts.data import coverage_grid
from cockpit.charts.trends import kpi_trend, multi_trend, sparkline
from cockpit.charts.whatif import scenario_compare, tornado

__all__ = [
    "breakdown_bar",
    "budget_vs_actual",
    "coverage_grid",
    "distribution",
    "kpi_trend",
    "multi_trend",
    "oee_decomposition",
    "pareto",
    "scenario_compare",
    "sparkline",
    "tornado",
    "variance_bars",
]
