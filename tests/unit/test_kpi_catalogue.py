"""The catalogue file: every KPI of DESIGN.md declared once, well formed; value formats."""

from __future__ import annotations

import pytest

from cockpit import datasets
from cockpit.kpis import CATALOGUE, format_value
from cockpit.kpis.engine import FAMILIES
from cockpit.kpis.registry import lookup

DESIGN_IDS = """orders, units, revenue, gross_margin_pct, on_time_pct, cycle_time_days,
cycle_time_p90_days, return_rate_pct, oee_pct, availability_pct, performance_pct,
quality_pct, utilisation_pct, downtime_minutes, operating_cost, budget_variance,
budget_variance_pct, cost_per_unit, cost_per_order, csat_pct, csat_mean, nps, fcr_pct,
resolved_pct, abandon_pct, asa_seconds, aht_seconds, resolution_hours_median, sla_pct,
service_level_pct, contacts_per_1000_orders"""


def test_catalogue_holds_exactly_the_design_ids():
    ids = [s.strip() for s in DESIGN_IDS.split(",")]
    assert sorted(CATALOGUE) == sorted(ids)


def test_every_kpi_is_well_formed():
    for kpi in CATALOGUE.values():
        assert kpi.description and kpi.label and kpi.empty, kpi.id
        needed = {d for group in kpi.dataset_groups for d in group}
        assert needed <= set(datasets.DATASETS), kpi.id
        assert kpi.families and set(kpi.families) <= set(FAMILIES), kpi.id
        # The families' datasets must all be declared as needed.
        assert {FAMILIES[f].dataset for f in kpi.families} <= needed, kpi.id


@pytest.mark.parametrize(
    ("kpi_id", "value", "text"),
    [
        ("on_time_pct", 94.23, "94.2%"),
        ("revenue", 1_234_567, "£1.2M"),
        ("revenue", 45_600, "£46k"),
        ("cost_per_unit", 3.456, "£3.46"),
        ("budget_variance", -2500, "-£2.5k"),
        ("budget_variance", 9792, "£9.8k"),
        ("cost_per_order", 339.4, "£339"),
        ("resolution_hours_median", 0.2, "12 min"),
        ("cycle_time_days", 3.44, "3.4 d"),
        ("asa_seconds", 52.4, "52 s"),
        ("resolution_hours_median", 13.04, "13.0 h"),
        ("orders", 12345, "12,345"),
        ("nps", 31.6, "+32"),
        ("nps", -16.7, "-17"),
        ("csat_mean", 4.0, "4.00"),
        ("downtime_minutes", 1500, "1,500 min"),
        ("on_time_pct", None, "—"),
        ("on_time_pct", float("nan"), "—"),
    ],
)
def test_format_value(kpi_id, value, text):
    assert format_value(lookup(kpi_id), value) == text
