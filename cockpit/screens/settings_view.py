"""The Settings page's tables, without Streamlit: targets and amber bands, SLA days."""

from __future__ import annotations

import math

import pandas as pd

from cockpit import auth, currency
from cockpit.kpis import CATALOGUE
from cockpit.kpis import targets as targets_mod
from cockpit.store import Store


def targets_table(store: Store) -> pd.DataFrame:
    """One row per KPI: its default target and amber band and the Settings override."""
    overrides = targets_mod.target_overrides(store)
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
            }
        )
    return pd.DataFrame(rows)


def _num(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def save_targets(store: Store, edited: pd.DataFrame, user: auth.User) -> int:
    """Save the edited override columns; returns how many KPIs have an override."""
    auth.require(user, "targets")
    overrides = {}
    for r in edited.to_dict("records"):
        entry = {"target": _num(r.get("target")), "amber": _num(r.get("amber"))}
        if entry["target"] is not None or entry["amber"] is not None:
            overrides[r["kpi"]] = entry
    targets_mod.save_target_overrides(store, overrides, user=user.name)
    return len(overrides)


def sla_table(store: Store) -> pd.DataFrame:
    days = targets_mod.sla_days(store)
    return pd.DataFrame([{"ship mode or channel": k, "days": v} for k, v in days.items()])


def save_sla(store: Store, edited: pd.DataFrame, user: auth.User) -> None:
    auth.require(user, "settings")
    mapping = {}
    for r in edited.to_dict("records"):
        key, days = r.get("ship mode or channel"), _num(r.get("days"))
        if key and days is not None:
            mapping[str(key)] = days
    targets_mod.save_sla_days(store, mapping, user=user.name)


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
