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
    return {"choices": choices, "current": detected if chosen is None else chosen,
            "detected": detected}  # fmt: skip


def save_currency(store: Store, symbol: str, user: auth.User) -> None:
    """Show money with `symbol` ('' for none): the analyst's choice over the data's."""
    auth.require(user, "settings")
    if symbol not in currency_choice(store)["choices"]:
        raise ValueError(f"unknown currency {symbol!r}")
    store.set_setting(currency.CHOSEN, symbol, user=user.name)


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
