"""What a load changed on the scorecard: each KPI and month whose value, target or status
moved with it.

Built on the as-of versions the store keeps: a load is version `seq`, so the scorecard just
before it is version `seq - 1`. For every KPI that reads the load's dataset (alone or as one
of alternatives, e.g. contact_stats for abandonment) and every month the load covers, the
company-wide monthly value, target and red/amber/green status are computed at both versions;
what differs is the load's change. A value that existed before and differs is "restated" (a
re-upload changed history), one that had none is "new", one that is gone is "removed". A
targets load (the plan) changes targets, and so the statuses, of the KPIs it names.
"""

from __future__ import annotations

import datetime as dt
import math

from cockpit import currency, queries
from cockpit.kpis import targets as targets_mod
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
# The words for each kind of change (the Data page and `cockpit loads --changes` show them).
KINDS = ("restated", "new", "removed", "target", "status")


def _load(store, load_id: int) -> dict:
    rows = queries.run(store, "ledger_load", load_id=int(load_id)).to_pylist()
    if not rows:
        raise KeyError(f"there is no load {load_id}")
    return rows[0]


def monthly_values(
    store, kpi_ids: list[str], months: list[dt.date], as_of: int, filters: dict | None = None
) -> dict:
    """{(kpi_id, month): value or None} at version `as_of`, company-wide or `filters`
    ({"site": ["Leeds"]}: the alert rules for one site)."""
    filters = filters or {}
    loaded = data_months(store, as_of)
    kpis = [
        kpi
        for kpi in map(lookup, kpi_ids)
        if blocked_reason(kpi, filters, loaded) is None
        and not currency.withheld(store, kpi, as_of, filters or {})  # never £ and $ added
    ]
    families = list(dict.fromkeys(f for k in kpis for f in k.families))
    out = {(k, m): None for k in kpi_ids for m in months}
    if not families or not months:
        return out
    comps = Components(
        fetch_components(
            store, families, start=min(months), end=max(months), filters=filters, as_of=as_of
        )
    )
    for m in months:
        sums = comps.sums([m])
        for k in kpis:
            if uncovered_reason(k, [m], loaded) is None:
                out[(k.id, m)] = evaluate(k, sums, bool(filters)).value
    return out


def monthly_targets(store, kpi_ids: list[str], months: list[dt.date], as_of: int) -> dict:
    """{(kpi_id, month): Target} company-wide at version `as_of` (plan, Settings, default)."""
    plan = targets_mod.plan_rows(store, months, as_of)
    overrides = targets_mod.target_overrides(store)
    return {
        (k, m): targets_mod.period_target(k, [m], plan=plan, overrides=overrides)
        for k in kpi_ids
        for m in months
    }


def reads_dataset(kpi, dataset: str) -> bool:
    """Whether the KPI reads `dataset`, alone or as one of alternatives (contacts|contact_stats)."""
    return any(dataset in group for group in kpi.dataset_groups)


def _kpi_ids(store, load: dict, months: list[dt.date]) -> list[str]:
    if load["dataset"] == "targets":
        named = set()
        for as_of in (load["seq"] - 1, load["seq"]):
            named |= {r["kpi"] for r in targets_mod.plan_rows(store, months, as_of)}
        return [k for k in CATALOGUE if k in named]
    return [k.id for k in CATALOGUE.values() if reads_dataset(k, load["dataset"])]


def _moved(old, new) -> bool:
    if old is None or new is None:
        return (old is None) != (new is None)
    return not math.isclose(old, new, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def load_changes(store, load_id: int) -> dict:
    """The load, and every KPI-month it changed (value, target, status; see above)."""
    load = _load(store, load_id)
    months = sorted(m for m in load["months"] or [] if m is not None)
    changes = []
    if load["status"] == "loaded" and load["seq"] is not None and months:
        kpi_ids = _kpi_ids(store, load, months)
        seq = load["seq"]
        before = monthly_values(store, kpi_ids, months, seq - 1)
        after = monthly_values(store, kpi_ids, months, seq)
        t_before = monthly_targets(store, kpi_ids, months, seq - 1)
        t_after = monthly_targets(store, kpi_ids, months, seq)
        for m in months:
            for k in kpi_ids:
                change = _change(
                    k, m, (before[(k, m)], after[(k, m)]), (t_before[(k, m)], t_after[(k, m)])
                )
                if change is not None:
                    change["text"] = _text(change, load["load_id"])
                    changes.append(change)
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


def _status(kpi, value, target) -> str | None:
    return targets_mod.status(kpi, value, target.target, target.amber)


def _change(kpi_id: str, month: dt.date, values: tuple, targets: tuple) -> dict | None:
    """One KPI-month's change, or None when its value, target and status all stayed."""
    kpi = lookup(kpi_id)
    old, new = values
    t_old, t_new = targets
    s_old, s_new = _status(kpi, old, t_old), _status(kpi, new, t_new)
    value_moved = _moved(old, new)
    target_moved = _moved(t_old.target, t_new.target)
    if not (value_moved or target_moved or s_old != s_new):
        return None
    if value_moved:
        kind = "new" if old is None else "removed" if new is None else "restated"
    else:
        kind = "target" if target_moved else "status"
    return {
        "kpi": kpi_id,
        "label": kpi.label,
        "month": f"{month:%Y-%m}",
        "kind": kind,
        "old": old,
        "new": new,
        "old_text": format_value(kpi, old),
        "new_text": format_value(kpi, new),
        "restated": kind == "restated",
        "old_target": t_old.target,
        "new_target": t_new.target,
        "target_text": (
            f"{_target_text(kpi, t_old.target)} → {_target_text(kpi, t_new.target)}"
            if target_moved
            else ""
        ),
        "old_status": s_old,
        "new_status": s_new,
        # A new or removed value's status comes and goes with it: told in its own column.
        "status_text": (
            f"{s_old or 'none'} → {s_new or 'none'}"
            if s_old != s_new and kind not in ("new", "removed")
            else ""
        ),
    }


def _target_text(kpi, target) -> str:
    return "no target" if target is None else format_value(kpi, target)


def _text(c: dict, load_id: int) -> str:
    """The change in words: "Abandonment: new value 6.2% for Mar 2024", "On-time delivery:
    status amber → red for Oct 2026"; a restatement as "Sep 2026 Orders restated 2 → 4 by load 7"."""
    month = dt.date.fromisoformat(c["month"] + "-01").strftime("%b %Y")
    extra = [f"target {c['target_text']}"] if c["target_text"] else []
    extra += [f"status {c['status_text']}"] if c["status_text"] else []
    tail = "".join(f"; {e}" for e in extra)
    if c["kind"] == "restated":
        return f"{month} {c['label']} restated {c['old_text']} → {c['new_text']} by load {load_id}{tail}"
    what = {
        "new": f"new value {c['new_text']}",
        "removed": f"value removed (was {c['old_text']})",
    }.get(c["kind"])
    parts = ([what] if what else []) + extra
    return f"{c['label']}: {'; '.join(parts)} for {month}"


def summary(load_id: int, changes: list[dict]) -> str:
    """One line: how many KPI-months changed, of which kind, and which months were restated."""
    if not changes:
        return f"Load {load_id} changed no KPI value, target or status."
    restated = sorted({c["month"] for c in changes if c["restated"]})
    values = [c for c in changes if c["kind"] in ("restated", "new", "removed")]
    parts = [f"Load {load_id} changed {len(changes)} KPI-month" + ("s" if len(changes) > 1 else "")]
    if restated:
        parts.append(f"restated {_months_text(restated)}")
    for kind in ("new", "removed"):
        n = sum(1 for c in values if c["kind"] == kind)
        if n:
            parts.append(f"{n} {kind} value" + ("s" if n > 1 else ""))
    n_targets = sum(1 for c in changes if c["target_text"])
    n_status = sum(1 for c in changes if c["status_text"])
    if n_targets:
        parts.append(f"{n_targets} target" + ("s" if n_targets > 1 else "") + " changed")
    if n_status:
        parts.append(f"{n_status} status" + ("es" if n_status > 1 else "") + " changed")
    return "; ".join(parts) + "."


def _months_text(months: list[str]) -> str:
    """'Sep 2026, Oct 2026' for up to three months, else their span: a load restating two
    years listed all 24 months in the Data page's one-line summary."""
    names = [dt.date.fromisoformat(m + "-01").strftime("%b %Y") for m in months]
    if len(names) <= 3:
        return ", ".join(names)
    first, last = (dt.date.fromisoformat(m + "-01") for m in (months[0], months[-1]))
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    if span == len(months):
        return f"{names[0]} – {names[-1]} ({len(names)} months)"
    return f"{len(names)} months between {names[0]} and {names[-1]}"


def table_rows(changes: list[dict]) -> list[dict]:
    """The changes as rows (the Data page's table, `cockpit loads --changes`): a new value
    shows its status, a changed status shows "amber → red"."""
    return [
        {
            "month": c["month"],
            "kpi": c["label"],
            "before": c["old_text"],
            "after": c["new_text"],
            "change": c["kind"],
            "target": c["target_text"],
            "status": c["status_text"] or (c["new_status"] if c["kind"] == "new" else "") or "",
        }
        for c in changes
    ]
