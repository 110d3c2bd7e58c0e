"""Targets and red/amber/green status, and the settings the Settings page edits.

A KPI's target for a month comes from, in order: the targets dataset (the plan as data),
the Settings overrides (`targets` setting: {kpi_id: {"target": x, "amber": y}}), the
catalogue default. The rule is month by month: the plan wins for every month it covers, and
a Settings target applies to the months it does not (the Settings page shows the target in
effect and says so when the plan overrides a saved target). A period's target is the sum of
its monthly targets for an additive KPI (orders, revenue, ...; every month needs one) and
their mean for any other; the amber threshold follows the same rule.

Plan rows may be per site (a revenue budget per city) or company-wide (site empty). A target
must be at the level of the slice shown:
- additive KPIs (amounts) add up: no site filter -> the company-wide row, else the sum of the
  sites' rows; sites filtered -> the sum of those sites' rows (each must have one). A
  company-wide amount never applies to a slice, nor does a Settings or default amount under
  any filter (a zero target aside: zero is zero at every level);
- ratio KPIs do not add up: one site filtered -> its row, else the company-wide row (a
  company standard holds for each site); no filter -> the company-wide row only, never a
  sum or mean of the sites' targets.

Amber is defined here once, as an absolute threshold beside the target: on-time target 96
with amber 91 means 91 <= value < 96 is amber (mirrored for lower-is-better KPIs). The plan's
`amber_threshold` is that threshold as given; Settings and the catalogue give a band (how far
past the target still counts as amber), turned into a threshold by `amber_threshold`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cockpit import items, queries
from cockpit.kpis.catalogue import Kpi
from cockpit.kpis.registry import is_builtin, lookup

SLA_DEFAULT: dict[str, int] = {"Standard": 5, "Express": 2, "Freight": 10, "*": 5}


@dataclass(frozen=True)
class Target:
    target: float | None
    amber: float | None  # the absolute amber threshold (None: no amber, only green/red)
    source: str  # "plan", "settings", "default" or "none"


def amber_threshold(kpi: Kpi, target: float | None, band: float | None) -> float | None:
    """The absolute amber threshold `band` past the target on the wrong side of it."""
    if target is None or band is None:
        return None
    return target - band if kpi.higher_is_better else target + band


def sla_days(store) -> dict[str, int]:
    """SLA days per ship mode or channel ("*" = any other) for orders without a promised date."""
    return dict(store.get_setting("sla_days", SLA_DEFAULT))


def save_sla_days(
    store, mapping: dict[str, int], user: str | None = None, *, shown: dict | None = None
) -> None:
    """Store the SLA days setting after checking every value is a whole number of days >= 0.

    The table is saved whole, so with `shown` (the days the editing page read) it is a
    compare-and-set: if they changed meanwhile, nothing is written and ValueError says to
    reload, rather than one admin's save silently undoing another's."""
    import json

    from cockpit.store import audit

    clean = {}
    for key, days in mapping.items():
        if not str(key).strip() or int(days) != float(days) or int(days) < 0:
            raise ValueError(f"SLA days for {key!r} must be a whole number >= 0, not {days!r}")
        clean[str(key).strip()] = int(days)
    with store.transaction() as cur:
        if shown is not None:
            got = queries.execute(cur, "setting_value", key="sla_days").fetchone()
            now = json.loads(got[0]) if got and got[0] is not None else SLA_DEFAULT
            if now != shown:
                raise ValueError(
                    "The SLA days were changed by someone else since this page was opened; "
                    "reload the page and make your change again."
                )
        queries.execute(cur, "setting_put", key="sla_days", value=json.dumps(clean))
        audit(cur, user, "setting", {"key": "sla_days", "value": clean})


SERVICE_LEVEL_SECONDS = 20.0  # the common "80/20" answer threshold


def service_level_seconds(store) -> float:
    """The service-level threshold: an answered contact waited at most this long."""
    return float(store.get_setting("service_level_seconds", SERVICE_LEVEL_SECONDS))


def target_overrides(store) -> dict[str, dict]:
    """The Settings targets {kpi_id: {"target": x, "amber": y}} (one kept item per KPI)."""
    return {kpi_id: item["value"] for kpi_id, item in items.listing(store, "targets").items()}


def save_target_overrides(store, changes: dict[str, dict | None], user: str | None = None) -> None:
    """Set the Settings targets of the KPIs in `changes` ({kpi_id: {"target": x, "amber": y}};
    an entry with neither, or None, removes that KPI's override) after checking ids and
    numbers. Other KPIs' overrides are untouched: each is its own row, so two admins setting
    different KPIs at the same moment both keep theirs."""
    clean: dict[str, dict | None] = {}
    for kpi_id, entry in changes.items():
        if not is_builtin(kpi_id):
            raise KeyError(f"unknown KPI {kpi_id!r}")
        item = {}
        for key in ("target", "amber"):
            if (entry or {}).get(key) is not None:
                item[key] = float(entry[key])
        if item.get("amber", 0) < 0:
            raise ValueError(f"{kpi_id}: the amber band must be >= 0")
        clean[kpi_id] = item or None
    items.put_many(store, "targets", clean, user=user or "local")


def plan_rows(store, months: list[dt.date], as_of: int) -> list[dict]:
    """The targets dataset rows for the span of `months` at version `as_of` (resolved)."""
    if not months:
        return []
    table = queries.run(
        store,
        "targets",
        as_of=as_of,
        start=min(months),
        end=max(months),
    )
    return table.to_pylist()


def is_additive(kpi: Kpi) -> bool:
    return kpi.formula == "ratio" and kpi.denominator is None


def plan_by_month(kpi: Kpi, plan: list[dict], filters: dict | None) -> dict[dt.date, dict]:
    """The plan per month at the level of the slice (rules in the module docstring)."""
    filters = filters or {}
    cells: dict[tuple, list[dict]] = {}
    for r in plan:
        if r["kpi"] == kpi.id and r["target"] is not None:
            cells.setdefault((r["month"], r["site"]), []).append(r)
    # Two rows for one month and site: their mean (a duplicate plan line should not add up).
    cell = {
        key: {
            "target": sum(r["target"] for r in rs) / len(rs),
            "amber": _mean([r["amber_threshold"] for r in rs]),
        }
        for key, rs in cells.items()
    }
    additive, sites = is_additive(kpi), filters.get("site") or []
    if additive and any(d != "site" for d in filters):
        return {}  # the plan is by site: it has no figure for a channel's or a line's share
    out = {}
    for month in {m for m, _ in cell}:
        company = cell.get((month, None))
        if not sites:
            parts = [company] if company else []
            if not parts and additive:
                parts = [c for (m, site), c in cell.items() if m == month and site is not None]
        else:
            parts = [cell.get((month, site)) for site in sites]
            if None in parts or (len(parts) > 1 and not additive):
                parts = [company] if company and not additive else []
        if parts:
            ambers = [p["amber"] for p in parts]
            out[month] = {
                "target": sum(p["target"] for p in parts),
                "amber": None if None in ambers else sum(ambers),
            }
    return out


def _mean(values: list) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def period_target(
    kpi_id: str,
    months: list[dt.date],
    *,
    plan: list[dict],
    overrides: dict[str, dict],
    filters: dict | None = None,
) -> Target:
    """The target and amber threshold of one KPI over `months`, month by month: the plan's
    row for a month it covers, else the Settings target, else the catalogue default (rules
    in the module docstring). Additive KPIs sum the months (every month needs a target);
    others take the mean of the months that have one. `source` names where the months'
    targets came from: "plan", "settings", "default", several joined ("plan+settings"), or
    "none"."""
    kpi = lookup(kpi_id)
    monthly = plan_by_month(kpi, plan, filters)
    fallback = _fallback(kpi, overrides, filters)
    band = overrides.get(kpi_id, {}).get("amber", kpi.default_amber)
    per_month = []
    for m in months:
        p = monthly.get(m)
        if p is not None:
            # A plan month without its own threshold takes the Settings/default band.
            amber = (
                p["amber"] if p["amber"] is not None else amber_threshold(kpi, p["target"], band)
            )
            per_month.append(Target(p["target"], amber, "plan"))
        else:
            per_month.append(fallback)
    known = [t for t in per_month if t.target is not None]
    if not known or (is_additive(kpi) and len(known) < len(months)):
        return Target(None, None, "none")
    combine = sum if is_additive(kpi) else _mean
    ambers = [t.amber for t in known]
    source = "+".join(dict.fromkeys(t.source for t in known))
    return Target(
        combine([t.target for t in known]), combine(ambers) if None not in ambers else None, source
    )


def period_plan(
    kpi_id: str, months: list[dt.date], *, plan: list[dict], filters: dict | None = None
) -> float | None:
    """The uploaded plan's own figure for the period at the slice's level (what "vs budget"
    compares with, the catalogue's `budget = "plan"`): summed for an additive KPI, else the
    mean; None unless the plan covers every month (a plan for part of a period is not its
    budget). Settings and default targets are targets, never a budget."""
    monthly = plan_by_month(lookup(kpi_id), plan, filters)
    if not months or any(m not in monthly for m in months):
        return None
    values = [monthly[m]["target"] for m in months]
    return sum(values) if is_additive(lookup(kpi_id)) else sum(values) / len(values)


def _fallback(kpi: Kpi, overrides: dict[str, dict], filters: dict | None) -> Target:
    """A month's target where the plan has none: Settings, else the catalogue default."""
    setting = overrides.get(kpi.id, {})
    band = setting.get("amber", kpi.default_amber)
    candidates = [(setting.get("target"), band, "settings"),
                  (kpi.default_target, kpi.default_amber, "default")]  # fmt: skip
    for target, amber, source in candidates:
        if target is None:
            continue
        if is_additive(kpi) and filters and target != 0:
            continue  # a company-wide amount is not a slice's; zero is zero at every level
        return Target(target, amber_threshold(kpi, target, amber), source)
    return Target(None, None, "none")


# The words for a status, everywhere it is shown (cards, charts' legends, brief, exports).
STATUS_WORDS = {"green": "on target", "amber": "watch", "red": "off target", "none": "no target"}


def status(kpi: Kpi, value: float | None, target: float | None, amber: float | None) -> str | None:
    """green / amber / red of a value against its target and absolute amber threshold.

    Respects the KPI's direction; None without a value or a target (built-in or custom KPI,
    found with cockpit.kpis.registry.lookup). Without a threshold there is no amber.
    """
    if value is None or target is None:
        return None
    # Work as "higher is better" by flipping signs for lower-is-better KPIs.
    sign = 1.0 if kpi.higher_is_better else -1.0
    if sign * value >= sign * target:
        return "green"
    if amber is not None and sign * value >= sign * amber:
        return "amber"
    return "red"
