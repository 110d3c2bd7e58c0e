"""The Settings page's tables, without Streamlit: targets and amber bands, SLA days."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from cockpit import auth, currency
from cockpit.kpis import CATALOGUE
from cockpit.kpis import targets as targets_mod
from cockpit.kpis.catalogue import format_value
from cockpit.kpis.registry import lookup
from cockpit.store import Store, resolve_as_of

PLAN_START, PLAN_END = dt.date(1900, 1, 1), dt.date(2999, 12, 1)  # every plan month


def targets_table(store: Store) -> pd.DataFrame:
    """One row per KPI: its default target and amber band, the Settings override, and the
    company-wide target in effect with where it comes from (`in_effect`)."""
    overrides = targets_mod.target_overrides(store)
    effect = in_effect(store, overrides)
    rows = []
    for k in CATALOGUE.values():
        o = overrides.get(k.id, {})
        rows.append(
            {
                "kpi": k.id,
                "label": k.label,
                "group": k.group,
                "better": "higher" if k.higher_is_better else "lower",
                "default_target": k.default_target,
                "target": o.get("target"),
                "amber": o.get("amber"),
                "in_effect": effect[k.id],
            }
        )
    return pd.DataFrame(rows)


def _span(months: list[dt.date]) -> str:
    return f"{min(months):%b %Y} – {max(months):%b %Y}"


def plan_months(store: Store) -> dict[str, dict[dt.date, float]]:
    """The uploaded plan's company-wide monthly targets per KPI (the targets dataset as it
    applies without a filter: a company row, or an amount summed over the sites)."""
    rows = targets_mod.plan_rows(store, [PLAN_START, PLAN_END], resolve_as_of(None))
    out = {}
    for k in CATALOGUE.values():
        monthly = targets_mod.plan_by_month(k, rows, None)
        if monthly:
            out[k.id] = {m: p["target"] for m, p in sorted(monthly.items())}
    return out


def in_effect(store: Store, overrides: dict | None = None) -> dict[str, str]:
    """Per KPI, the target in effect and where it comes from. The rule (kpis.targets): the
    plan wins for each month it covers; Settings, then the catalogue default, for the others.
    "96.0% from the uploaded plan (Nov 2024 – Oct 2026); your 90.0% in other months"."""
    overrides = targets_mod.target_overrides(store) if overrides is None else overrides
    plans = plan_months(store)
    out = {}
    for k in CATALOGUE.values():
        own = overrides.get(k.id, {}).get("target")
        rest = (
            f"your {format_value(k, own)}"
            if own is not None
            else f"default {format_value(k, k.default_target)}"
            if k.default_target is not None
            else None
        )
        monthly = plans.get(k.id)
        if monthly:
            lo, hi = min(monthly.values()), max(monthly.values())
            value = format_value(k, lo) + ("" if lo == hi else f"–{format_value(k, hi)}")
            text = f"{value} from the uploaded plan ({_span(list(monthly))})"
            out[k.id] = text + (f"; {rest} in other months" if rest else "")
        elif own is not None:
            out[k.id] = f"{format_value(k, own)} set here"
        elif k.default_target is not None:
            out[k.id] = f"{format_value(k, k.default_target)} (catalogue default)"
        else:
            out[k.id] = "none"
    return out


def plan_overrides(store: Store, overrides: dict) -> list[str]:
    """For each Settings target the uploaded plan overrides in some months, what wins where."""
    plans = plan_months(store)
    out = []
    for kpi_id, entry in overrides.items():
        if entry.get("target") is None or kpi_id not in plans:
            continue
        k = lookup(kpi_id)
        out.append(
            f"{k.label}: the uploaded plan's targets win for {_span(list(plans[kpi_id]))}; "
            f"your {format_value(k, entry['target'])} applies to other months."
        )
    return out


def _num(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def save_targets(
    store: Store, edited: pd.DataFrame, user: auth.User, *, shown: pd.DataFrame | None = None
) -> int:
    """Save the override cells the user changed from `shown` (the table the editor was given;
    None: every row); returns how many KPIs have an override now. Rows not changed here are
    left as stored, so another admin's save of other KPIs meanwhile is kept."""
    auth.require(user, "targets")
    before = {}
    if shown is not None:
        before = {r["kpi"]: _entry(r) for r in shown.to_dict("records")}
    changes = {}
    for r in edited.to_dict("records"):
        entry = _entry(r)
        if shown is None or before.get(r["kpi"]) != entry:
            changes[r["kpi"]] = entry
    targets_mod.save_target_overrides(store, changes, user=user.name)
    return len(targets_mod.target_overrides(store))


def _entry(row: dict) -> dict:
    return {"target": _num(row.get("target")), "amber": _num(row.get("amber"))}


def sla_table(store: Store) -> pd.DataFrame:
    days = targets_mod.sla_days(store)
    return pd.DataFrame([{"ship mode or channel": k, "days": v} for k, v in days.items()])


def save_sla(
    store: Store, edited: pd.DataFrame, user: auth.User, *, shown: pd.DataFrame | None = None
) -> None:
    """Save the edited SLA table; with `shown` (the table the editor was given) only if the
    stored days are still those (ValueError says to reload otherwise)."""
    auth.require(user, "settings")
    before = None if shown is None else _sla_mapping(shown)
    targets_mod.save_sla_days(store, _sla_mapping(edited), user=user.name, shown=before)


def _sla_mapping(table: pd.DataFrame) -> dict:
    mapping = {}
    for r in table.to_dict("records"):
        key, days = r.get("ship mode or channel"), _num(r.get("days"))
        if key and days is not None:
            mapping[str(key)] = days
    return mapping


def currency_choice(store: Store) -> dict:
    """The Settings currency box: the choices, the one in force and what the data said."""
    detected = store.get_setting(currency.DETECTED) or ""
    chosen = store.get_setting(currency.CHOSEN)
    choices = list(dict.fromkeys([*currency.CHOICES, detected]))
    # `current` is preselected in the box; `chosen` is what is saved (None: not set yet).
    return {"choices": choices, "current": detected if chosen is None else chosen,
            "chosen": chosen, "detected": detected}  # fmt: skip


def save_currency(store: Store, symbol: str, user: auth.User) -> None:
    """The company currency ('' for none): what files naming no currency are recorded in
    from now on, and what exchange rates convert into."""
    from cockpit.kpis import memo

    auth.require(user, "settings")
    if symbol not in currency_choice(store)["choices"]:
        raise ValueError(f"unknown currency {symbol!r}")
    store.set_setting(currency.CHOSEN, symbol, user=user.name)
    memo.clear()  # remembered pinned answers were converted into the old company currency


METRIC_FORMATS = ("number", "pct", "money", "count", "days", "hours", "minutes", "seconds", "score")


def metrics_table(metrics: list) -> pd.DataFrame:
    """Custom metrics as a table for the Settings page."""
    return pd.DataFrame(
        [
            {
                "id": m.id,
                "label": m.label,
                "dataset": m.dataset,
                "formula": m.numerator
                + (f" / {m.denominator}" if m.denominator else "")
                + (f" × {m.scale:g}" if m.scale != 1 else ""),
                "better": m.direction,
                "target": m.target,
                "group": m.group,
            }
            for m in metrics
        ]
    )


def audit_log(store: Store, user: auth.User, limit: int = 200) -> pd.DataFrame:
    """The newest audit entries (admins only): when, who, what, details."""
    from cockpit import queries

    auth.require(user, "users")
    return queries.run(store, "audit_log", limit=limit).to_pandas()


def signed_in(store: Store, user: auth.User) -> pd.DataFrame:
    """Who is signed in with a password (admins only): sessions and when each user last
    used one (cockpit.sessions)."""
    from cockpit import sessions

    auth.require(user, "users")
    rows: dict[str, dict] = {}
    for s in sessions.listing(store.path):
        row = rows.setdefault(s["user"], {"user": s["user"], "sessions": 0, "last_used": 0.0})
        row["sessions"] += 1
        row["last_used"] = max(row["last_used"], s["seen"])
    df = pd.DataFrame(list(rows.values()), columns=["user", "sessions", "last_used"])
    df["last_used"] = pd.to_datetime(df["last_used"], unit="s")
    return df


def end_sessions(store: Store, name: str, user: auth.User) -> int:
    """Sign `name` out everywhere (admins only, audited); returns how many sessions ended."""
    from cockpit import sessions
    from cockpit.store import audit

    auth.require(user, "users")
    ended = sessions.end_all(store.path, name)
    with store.transaction() as cur:
        audit(cur, user.name, "sessions_ended", {"user": name, "sessions": ended})
    return ended


def utc_text(t: dt.datetime | None) -> str:
    return f"{t:%Y-%m-%d %H:%M} UTC" if t else "—"


def brief_schedules_table(store: Store, user: auth.User) -> pd.DataFrame:
    """The brief schedules as Settings shows them: cadence in words, view, recipients, the
    last slot sent and the next (UTC)."""
    from cockpit.briefs import cron, schedule

    auth.require(user, "read")
    now = schedule.utc_now()
    rows = []
    for s in schedule.list_schedules(store):
        try:
            upcoming = utc_text(s.next_slot(now)) if s.enabled else "off"
        except ValueError as exc:
            upcoming = f"not valid: {exc}"
        rows.append({"name": s.name, "when": cron.describe(s.cron), "timezone": s.timezone,
                     "view": s.view_url or "Overview (as it opens)",
                     "recipients": ", ".join(s.recipients), "last_slot": utc_text(s.last_slot),
                     "next_slot": upcoming})  # fmt: skip
    columns = ["name", "when", "next_slot", "last_slot", "recipients", "view", "timezone"]
    return pd.DataFrame(rows, columns=columns)


def brief_sends_table(store: Store, user: auth.User, limit: int = 200) -> pd.DataFrame:
    """Every send of a scheduled brief, newest first (when, slot, recipients, status, error)."""
    from cockpit.briefs import schedule

    rows = [
        {
            "at": utc_text(r["at"]),
            "schedule": r["schedule"],
            "slot": utc_text(r["slot"]),
            "trigger": r["trigger"],
            "recipients": ", ".join(r["recipients"]),
            "status": r["status"],
            "error": r["error"] or "—",
            "link": r["link"] or "—",
        }  # fmt: skip
        for r in schedule.list_sends(store, user, limit=limit)
    ]
    columns = ["at", "schedule", "status", "slot", "recipients", "error", "trigger", "link"]
    return pd.DataFrame(rows, columns=columns)
