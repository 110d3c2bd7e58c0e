"""What a load changed on the scorecard: each KPI and month whose value moved with it.

Built on the as-of versions the store keeps: a load is version `seq`, so the scorecard just
before it is version `seq - 1`. For every KPI that reads the load's dataset and every month
the load covers, the company-wide monthly value is computed at both versions; the pairs
that differ are the load's changes. A month that had a value before is "restated" (a
re-upload changed history); one that had none is new.
"""

from __future__ import annotations

import datetime as dt
import math

from cockpit import currency, queries
from cockpit.kpis.catalogue import CATALOGUE, format_value
from cockpit.kpis.engine import (
    Components,
    blocked_reason,
    evaluate,
    fetch_components,
    uncovered_reason,
)
from cockpit.kpis.periods import data_months
from cockpit.kpis.registry import lookup

TOLERANCE = 1e-9


def _load(store, load_id: int) -> dict:
    rows = queries.run(store, "ledger_load", load_id=int(load_id)).to_pylist()
    if not rows:
        raise KeyError(f"there is no load {load_id}")
    return rows[0]


def monthly_values(store, kpi_ids: list[str], months: list[dt.date], as_of: int) -> dict:
    """{(kpi_id, month): value or None} company-wide at version `as_of`."""
    loaded = data_months(store, as_of)
    kpis = [
        kpi
        for kpi in map(lookup, kpi_ids)
        if blocked_reason(kpi, {}, loaded) is None
        and not currency.withheld(store, kpi, as_of, {})  # never £ and $ added (issue 23)
    ]
    families = list(dict.fromkeys(f for k in kpis for f in k.families))
    out = {(k, m): None for k in kpi_ids for m in months}
    if not families or not months:
        return out
    comps = Components(
        fetch_components(
            store, families, start=min(months), end=max(months), filters={}, as_of=as_of
        )
    )
    for m in months:
        sums = comps.sums([m])
        for k in kpis:
            if uncovered_reason(k, [m], loaded) is None:
                out[(k.id, m)] = evaluate(k, sums).value
    return out


def _moved(old, new) -> bool:
    if old is None or new is None:
        return (old is None) != (new is None)
    return not math.isclose(old, new, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def load_changes(store, load_id: int) -> dict:
    """The load, and every KPI-month it changed: old -> new, restated or new (see above)."""
    load = _load(store, load_id)
    months = sorted(load["months"] or [])
    kpi_ids = [k.id for k in CATALOGUE.values() if load["dataset"] in k.datasets]
    changes = []
    if load["status"] == "loaded" and load["seq"] is not None and months and kpi_ids:
        before = monthly_values(store, kpi_ids, months, load["seq"] - 1)
        after = monthly_values(store, kpi_ids, months, load["seq"])
        for m in months:
            for k in kpi_ids:
                old, new = before[(k, m)], after[(k, m)]
                if _moved(old, new):
                    changes.append(_change(k, m, old, new, load["load_id"]))
    restated = sorted({c["month"] for c in changes if c["restated"]})
    return {
        "load_id": load["load_id"],
        "seq": load["seq"],
        "file": load["file"],
        "sheet": load["sheet"],
        "dataset": load["dataset"],
        "months": [f"{m:%Y-%m}" for m in months],
        "restated_months": restated,
        "changes": changes,
        "summary": summary(load["load_id"], changes),
    }


def _change(kpi_id: str, month: dt.date, old, new, load_id: int) -> dict:
    kpi = lookup(kpi_id)
    restated = old is not None
    verb = "restated" if restated else "now"
    old_text, new_text = format_value(kpi, old), format_value(kpi, new)
    text = (
        f"{month:%b %Y} {kpi.label} {verb} {old_text} → {new_text} by load {load_id}"
        if restated
        else f"{month:%b %Y} {kpi.label} {new_text} (new) by load {load_id}"
    )
    return {
        "kpi": kpi_id,
        "label": kpi.label,
        "month": f"{month:%Y-%m}",
        "old": old,
        "new": new,
        "old_text": old_text,
        "new_text": new_text,
        "restated": restated,
        "text": text,
    }


def summary(load_id: int, changes: list[dict]) -> str:
    """One line: how many KPI-months moved, and which months were restated."""
    if not changes:
        return f"Load {load_id} changed no KPI value."
    restated = sorted({c["month"] for c in changes if c["restated"]})
    n_new = sum(1 for c in changes if not c["restated"])
    parts = [f"Load {load_id} changed {len(changes)} KPI-month values"]
    if restated:
        names = ", ".join(dt.date.fromisoformat(m + "-01").strftime("%b %Y") for m in restated)
        parts.append(f"restated {names}")
    if n_new:
        parts.append(f"{n_new} new")
    return "; ".join(parts) + "."
