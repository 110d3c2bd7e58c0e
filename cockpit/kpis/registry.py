"""One lookup for KPI definitions: the built-in catalogue (queries/kpis.toml) and the custom
metrics analysts define in Settings, found the same way.

`lookup(kpi_id, custom)` returns the Kpi for an id: a built-in from the catalogue, else a
custom metric from `custom` (the definitions `custom_metrics.definitions(store)` gives).
Code that shows, formats or rates a KPI takes the Kpi this returns, never an id-or-Kpi; no
module but this one looks an id up in the catalogue (tests/unit/test_kpi_registry.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from cockpit.kpis.catalogue import CATALOGUE, Kpi


def lookup(kpi_id: str, custom: Mapping[str, Kpi] | None = None) -> Kpi:
    """The definition of `kpi_id`: built-in from the catalogue, else from `custom` (custom
    metrics' definitions by KPI id). KeyError names an unknown id."""
    kpi = CATALOGUE.get(kpi_id)
    if kpi is None and custom is not None:
        kpi = custom.get(kpi_id)
    if kpi is None:
        raise KeyError(f"unknown KPI {kpi_id!r}")
    return kpi


def is_builtin(kpi_id: str) -> bool:
    """Whether `kpi_id` is a catalogue KPI (targets in Settings, the engine's queries)."""
    return kpi_id in CATALOGUE
