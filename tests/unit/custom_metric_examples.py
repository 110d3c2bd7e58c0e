"""A custom metric the tests share: freight per unit, a ratio of sums over orders."""

from __future__ import annotations

from cockpit.kpis.custom_metrics import CustomMetric


def freight_per_unit(**kw) -> CustomMetric:
    """Freight per unit (lower is better, target 0.25, amber band 0.05); `kw` overrides."""
    base = dict(
        id="freight_per_unit",
        label="Freight per unit",
        dataset="orders",
        numerator="sum(freight_cost)",
        denominator="sum(quantity)",
        fmt="money",
        direction="lower",
        target=0.25,
        amber=0.05,
    )
    return CustomMetric(**{**base, **kw})
