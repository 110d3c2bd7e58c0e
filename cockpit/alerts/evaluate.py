"""Evaluate the alert rules on a committed load's data version, and the stale-data rules
once a day.

Conditions (a KPI red, a move beyond X, a dataset late) are remembered in `alert_open`: an
alert fires once when one starts and once "back to normal" when it ends; nothing repeats
while it holds. Events (leaves red, a load's rejects, a restated closed month) fire once for
the load that caused them. Each alert keeps its load, version, values before and after, and
the link to the view pinned to that version.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from cockpit import currency, datasets, links, navigation, queries
from cockpit.alerts.rules import KPI_KINDS, Rule, list_rules, owner_of, owners_by_kpi
from cockpit.kpis import changes, targets
from cockpit.kpis import forecast as fc
from cockpit.kpis.catalogue import CATALOGUE, format_value
from cockpit.kpis.periods import add_months, data_months
from cockpit.kpis.registry import is_builtin, lookup


@dataclass
class Fired:
    """One alert to record (and deliver)."""

    rule: Rule
    kind: str
    state: str  # fired | normal | event
    message: str
    key: str | None = None  # the condition it opens or closes (None: an event)
    kpi: str | None = None
    site: str | None = None
    dataset: str | None = None
    month: dt.date | None = None
    before: float | None = None
    after: float | None = None
    link: str | None = None


def _month_text(m: dt.date | None) -> str:
    return f"{m:%b %Y}" if m else ""


def _where(site: str | None) -> str:
    return f" at {site}" if site else ""


# -- KPI snapshots --------------------------------------------------------------------


def newest_month(kpi, loaded: dict) -> dt.date | None:
    months = [m for group in kpi.dataset_groups for d in group for m in loaded.get(d, {}) if m]
    return max(months) if months else None


def snapshot(store, kpi_ids: list[str], as_of: int, site: str | None) -> dict[str, dict]:
    """Per KPI at version `as_of`: its newest month with a value, that value, the month
    before's value, the target and the status."""
    filters = {"site": [site]} if site else {}
    loaded = data_months(store, as_of)
    out = {}
    ends = {k: newest_month(lookup(k), loaded) for k in kpi_ids}
    months = sorted({add_months(e, -i) for e in ends.values() if e for i in range(4)})
    if not months:
        return {}
    values = changes.monthly_values(store, kpi_ids, months, as_of, filters)
    plan = targets.plan_rows(store, months, as_of)
    overrides = targets.target_overrides(store)
    for k, end in ends.items():
        if end is None:
            continue
        month = next((add_months(end, -i) for i in range(3)
                      if values.get((k, add_months(end, -i))) is not None), None)  # fmt: skip
        if month is None:
            continue
        prev = add_months(month, -1)
        t = targets.period_target(k, [month], plan=plan, overrides=overrides, filters=filters)
        value = values[(k, month)]
        out[k] = {"month": month, "value": value, "prev": values.get((k, prev)),
                  "target": t.target,
                  "status": targets.status(lookup(k), value, t.target, t.amber)}  # fmt: skip
    return out


def add_forecasts(store, snap: dict[str, dict], as_of: int, site: str | None) -> None:
    """Each snapshot's forecast to the end of its month (None when the month is complete:
    cockpit.kpis.forecast), as `forecast`."""
    from cockpit.kpis import engine
    from cockpit.kpis.periods import make_period

    filters = {"site": [site]} if site else {}
    by_month: dict[dt.date, list[str]] = {}
    for k, s in snap.items():
        by_month.setdefault(s["month"], []).append(k)
    for month, ids in by_month.items():
        values = engine.scorecard(store, period=make_period("month", month), filters=filters,
                                  as_of=as_of, kpi_ids=ids)  # fmt: skip
        for v in values:
            snap[v.id]["forecast"] = v.forecast


def adverse_move(kpi_id: str, prev: float | None, value: float | None, unit: str) -> float | None:
    """How far `value` moved against the KPI from `prev` (points, or % of prev); None if it
    did not move against it or either is missing."""
    if prev is None or value is None:
        return None
    against = (prev - value) if lookup(kpi_id).higher_is_better else (value - prev)
    if against <= 0:
        return None
    if unit == "pct":
        return None if prev == 0 else against / abs(prev) * 100
    return against  # percentages are held 0-100: a difference is in points


# -- links ------------------------------------------------------------------------------


def public_url(store) -> str:
    """The app's absolute address for links that leave it: $COCKPIT_PUBLIC_URL, else the
    Settings value, else this machine's default port."""
    import os

    return (os.environ.get("COCKPIT_PUBLIC_URL") or store.get_setting("public_url")
            or "http://localhost:8501").rstrip("/")  # fmt: skip


def pinned_link(store, seq: int | None, kpi: str | None = None, month: dt.date | None = None,
                site: str | None = None) -> str:  # fmt: skip
    """The absolute link to the view at data version `seq` (links.to_url with asof)."""
    page = navigation.for_group(lookup(kpi).group) if is_builtin(kpi) else None
    state = links.ViewState.build(
        page=page.id if page else "overview",
        month=f"{month:%Y-%m}" if month else None,
        filters={"site": [site]} if site else {},
        asof=seq if seq else None,
    )
    return links.to_url(state, public_url(store))


# -- evaluation after a load -------------------------------------------------------------


def after_load(store, load_id: int, *, today: dt.date | None = None,
               every_kpi: bool = False, since: int | None = None) -> list[Fired]:  # fmt: skip
    """What the load's new version starts, ends or causes, per the enabled rules (on the
    KPIs that read its dataset, or `every_kpi`: the demo, seeded in pieces, at its end,
    compared with version `since`, the one before its first piece; default the version
    before this load's)."""
    rows = queries.run(store, "alert_load", load_id=int(load_id)).to_pylist()
    if not rows or rows[0]["status"] != "loaded" or rows[0]["seq"] is None:
        return []
    load = rows[0]
    today = today or dt.date.today()
    rules = list_rules(store, enabled_only=True)
    open_now = {r["condition_key"]: r for r in queries.run(store, "alert_open").to_pylist()}
    fired: list[Fired] = []
    kpi_rules = [r for r in rules if r.kind in KPI_KINDS]
    if kpi_rules:
        months = sorted(m for m in load["months"] if m is not None)
        touched = changes._kpi_ids(store, load, months) if load["dataset"] else []
        touched = list(CATALOGUE) if every_kpi else touched
        since = load["seq"] - 1 if since is None else since
        fired += _kpi_alerts(store, load, kpi_rules, touched, open_now, since)
    for rule in rules:
        if rule.kind == "rejects":
            fired += _rejects(store, load, rule)
        elif rule.kind == "restated":
            fired += _restated(store, load, rule, today)
    fired += stale_alerts(store, today, load=load, open_now=open_now, rules=rules)
    return fired


def _kpi_alerts(store, load, rules: list[Rule], touched: list[str], open_now,
                since: int) -> list[Fired]:  # fmt: skip
    seq = load["seq"]
    out = []
    for site in dict.fromkeys(r.site for r in rules):
        ids = sorted({k for r in rules if r.site == site for k in touched
                      if r.kpi in (None, k)})  # fmt: skip
        if not ids:
            continue
        now, before = snapshot(store, ids, seq, site), snapshot(store, ids, since, site)
        if any(r.kind == "forecast_miss" for r in rules if r.site == site):
            add_forecasts(store, now, seq, site)
        # Money in the messages carries the currency of what the rule watches at this version.
        currency.use_view(store, seq, {"site": [site]} if site else {})
        for rule in (r for r in rules if r.site == site):
            for k in ids:
                if rule.kpi in (None, k) and k in now:
                    out += _kpi_rule(store, load, rule, k, now[k], before.get(k), open_now)
    currency.forget_view()  # the thread goes on to other loads
    return out


def _kpi_rule(store, load, rule: Rule, k: str, now: dict, before: dict | None, open_now):
    kpi = lookup(k)
    label, month, site = kpi.label, now["month"], rule.site
    was = before["value"] if before and before["month"] == month else None
    link = pinned_link(store, load["seq"], k, month, site)
    common = {"rule": rule, "kind": rule.kind, "kpi": k, "site": site, "month": month,
              "link": link}  # fmt: skip
    value_text = f"{format_value(kpi, now['value'])} in {_month_text(month)}{_where(site)}"
    key = f"{rule.rule_id}|{k}|{site or ''}"
    if rule.kind == "leaves_red":
        if before and before["status"] == "red" and now["status"] not in ("red", None):
            return [Fired(state="event", before=before["value"], after=now["value"],
                          message=f"{label} left red: {value_text} (load {load['load_id']})",
                          **common)]  # fmt: skip
        return []
    if rule.kind == "forecast_miss":
        f = now.get("forecast")
        # The forecast itself misses (verdict "at risk" or "likely miss"), whatever its range.
        holds = f is not None and f.verdict in (fc.VERDICTS["risk"], fc.VERDICTS["miss"])
        pace = (
            f"on pace for {format_value(kpi, f.value)} by the end of {f.end:%b %Y}, target "
            f"{format_value(kpi, f.target)}: {f.verdict}"
            if f is not None and f.target is not None
            else "no forecast to miss"
        )
        start = f"{label} is forecast to miss{_where(site)}: {pace} (load {load['load_id']})"
        end = (
            f"{label} is no longer forecast to miss{_where(site)}: {pace} (load {load['load_id']})"
        )
        after = f.value if f is not None else now["value"]
        return _condition(key, holds, open_now, common, now["value"], after, start, end)
    if rule.kind == "red":
        holds = now["status"] == "red"
        if holds and key not in open_now and before and before["status"] == "red":
            # Red before this load too (the rule is new, or the demo is evaluated once at
            # its end): nothing turned red, so nothing starts.
            return []
        target = format_value(kpi, now["target"]) if now["target"] is not None else "none"
        start = f"{label} turned red: {value_text}, target {target} (load {load['load_id']})"
        end = f"{label} is back to normal: {value_text} (load {load['load_id']})"
        return _condition(key, holds, open_now, common, was, now["value"], start, end)
    moved = adverse_move(k, now["prev"], now["value"], rule.unit)
    holds = moved is not None and moved > (rule.threshold or 0)
    unit = "%" if rule.unit == "pct" else " points"
    prev_text = format_value(kpi, now["prev"])
    start = (f"{label} moved {moved or 0:.1f}{unit} against {_month_text(add_months(month, -1))}"
             f": {prev_text} → {value_text} (load {load['load_id']})")  # fmt: skip
    end = f"{label} is back to normal: {value_text} (load {load['load_id']})"
    return _condition(key, holds, open_now, common, now["prev"], now["value"], start, end)


def _condition(key, holds, open_now, common, before, after, start, end) -> list[Fired]:
    if holds and key not in open_now:
        return [Fired(state="fired", key=key, before=before, after=after, message=start, **common)]
    if not holds and key in open_now:
        prior = open_now[key]["after_value"]
        return [Fired(state="normal", key=key, before=prior, after=after, message=end, **common)]
    return []


def _rejects(store, load, rule: Rule) -> list[Fired]:
    if rule.dataset not in (None, load["dataset"]):
        return []
    total = (load["rows_loaded"] or 0) + (load["rows_rejected"] or 0)
    share = (load["rows_rejected"] or 0) / total * 100 if total else 0.0
    if share <= (rule.threshold or 0):
        return []
    text = (f"Load {load['load_id']} ({load['dataset'] or 'raw'}) rejected {share:.1f}% of its "
            f"rows ({load['rows_rejected']} of {total})")  # fmt: skip
    return [Fired(rule=rule, kind="rejects", state="event", dataset=load["dataset"],
                  before=None, after=share, message=text,
                  link=pinned_link(store, load["seq"]))]  # fmt: skip


def _restated(store, load, rule: Rule, today: dt.date) -> list[Fired]:
    # The demo is one data set seeded in pieces (its reports add to the same months).
    if rule.dataset not in (None, load["dataset"]) or load["is_demo"]:
        return []
    closed = today.replace(day=1)
    # Only a closed month that had rows before the load can be restated: most loads bring
    # a new month, and need not compute what they changed.
    before = data_months(store, load["seq"] - 1)
    had = {m for d, months in before.items() if d == load["dataset"] for m in months}
    # (A plan load moves targets, never values.)
    if load["dataset"] == "targets" or not any(
        m is not None and m < closed and m in had for m in load["months"]
    ):
        return []
    doc = changes.load_changes(store, load["load_id"])
    by_kpi: dict[str, list[dict]] = {}
    for c in doc["changes"]:
        month = dt.date.fromisoformat(c["month"] + "-01")
        if not c["restated"] or month >= closed or rule.kpi not in (None, c["kpi"]):
            continue
        size = abs(c["new"] - c["old"])
        if rule.unit == "pct":
            size = size / abs(c["old"]) * 100 if c["old"] else math.inf
        if size > (rule.threshold or 0):
            by_kpi.setdefault(c["kpi"], []).append(c)
    out = []
    for k, items in by_kpi.items():
        biggest = max(items, key=lambda c: abs(c["new"] - c["old"]))
        month = dt.date.fromisoformat(biggest["month"] + "-01")
        what = "; ".join(f"{_month_text(dt.date.fromisoformat(c['month'] + '-01'))} "
                         f"{c['old_text']} → {c['new_text']}" for c in items[:3])  # fmt: skip
        what += f" and {len(items) - 3} more months" if len(items) > 3 else ""
        out.append(Fired(rule=rule, kind="restated", state="event", kpi=k,
                         dataset=load["dataset"], month=month, before=biggest["old"],
                         after=biggest["new"],
                         message=f"Load {load['load_id']} restated {lookup(k).label}"
                                 f" for a closed month: {what}",
                         link=pinned_link(store, load["seq"], k, month)))  # fmt: skip
    return out


# -- stale data (daily, and after each load) ---------------------------------------------


def usual_day(loaded_at: list[dt.datetime]) -> int | None:
    """The day of the month a dataset is usually loaded: the median over its months (the
    first load of each); None with fewer than two months of history."""
    firsts: dict[tuple[int, int], int] = {}
    for t in sorted(loaded_at):
        firsts.setdefault((t.year, t.month), t.day)
    return int(statistics.median(firsts.values())) if len(firsts) >= 2 else None


def stale_alerts(store, today: dt.date, *, load=None, open_now=None, rules=None) -> list[Fired]:
    """Start or end each stale-data condition as of `today` (a dataset not loaded this month
    by its usual day plus N days)."""
    rules = [r for r in (rules or list_rules(store, enabled_only=True)) if r.kind == "stale"]
    if not rules:
        return []
    if open_now is None:
        open_now = {r["condition_key"]: r for r in queries.run(store, "alert_open").to_pylist()}
    history: dict[str, list[dt.datetime]] = {}
    for r in queries.run(store, "alert_dataset_loads", as_of=store.latest_seq()).to_pylist():
        history.setdefault(r["dataset"], []).append(r["loaded_at"])
    seq = load["seq"] if load else store.latest_seq()
    out = []
    for rule in rules:
        names = [rule.dataset] if rule.dataset else sorted(history)
        for name in names:
            times = history.get(name, [])
            day = usual_day(times)
            if day is None:
                continue
            this_month = any((t.year, t.month) == (today.year, today.month) for t in times)
            holds = not this_month and today.day > day + (rule.days or 0)
            label = datasets.DATASETS[name].label if name in datasets.DATASETS else name
            common = {"rule": rule, "kind": "stale", "dataset": name,
                      "month": today.replace(day=1), "link": pinned_link(store, seq)}  # fmt: skip
            start = (f"{label} not loaded for {today:%b %Y} yet: usually in by day {day}, "
                     f"{rule.days or 0} days' grace, today is day {today.day}")  # fmt: skip
            end = f"{label} loaded for {today:%b %Y}: back to normal"
            out += _condition(f"{rule.rule_id}|{name}", holds, open_now, common, None, None,
                              start, end)  # fmt: skip
    return out


def recipients(store, fired: Fired) -> list[str]:
    """The e-mail addresses an alert goes to: the KPI's owner (at the site, else company-wide)
    and the rule's subscribers."""
    owner = owner_of(owners_by_kpi(store), fired.kpi, fired.site)
    emails = ([owner["email"]] if owner and owner.get("email") else []) + list(
        fired.rule.subscribers
    )
    return list(dict.fromkeys(emails))
