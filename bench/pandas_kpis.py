"""An independent pandas implementation of the KPI catalogue, to cross-check and time the engine.

It works row-level on the canonical tables (no monthly components): each set of months is a
group key, and every ratio is computed from the rows of that group. Same definitions as
queries/kpis.toml; nothing is shared with cockpit.kpis except the SLA default.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SLA_DEFAULT = {"Standard": 5, "Express": 2, "Freight": 10, "*": 5}
SERVICE_LEVEL_SECONDS = 20  # the KPI's default threshold (an independent copy)
FILTER_COLUMNS = {
    "orders": ("site", "region", "channel", "category", "product", "customer", "ship_mode"),
    "production": ("site", "line", "product"),
    "downtime": ("site", "line", "cause"),
    "budget": ("unit", "account"),
    "contacts": ("channel", "agent", "topic"),
    "surveys": ("segment", "site", "channel"),
}
KPI_FRAMES = {
    **dict.fromkeys(
        ["orders", "units", "on_time_pct", "cycle_time_days", "cycle_time_p90_days", "revenue",
         "gross_margin_pct", "cost_per_unit", "cost_per_order", "return_rate_pct"], ("orders",)),
    **dict.fromkeys(
        ["oee_pct", "availability_pct", "performance_pct", "quality_pct", "utilisation_pct"],
        ("production",)),
    "downtime_minutes": ("downtime",),
    **dict.fromkeys(["operating_cost", "budget_variance", "budget_variance_pct"], ("budget",)),
    **dict.fromkeys(
        ["csat_pct", "csat_mean", "fcr_pct", "resolved_pct", "abandon_pct", "asa_seconds",
         "aht_seconds", "resolution_hours_median", "sla_pct", "service_level_pct"], ("contacts",)),
    "nps": ("surveys",),
    "contacts_per_1000_orders": ("contacts", "orders"),
}  # fmt: skip


def _month(s: pd.Series) -> np.ndarray:
    return pd.to_datetime(s).to_numpy().astype("datetime64[M]")


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df:
        return df[name]
    return pd.Series(np.nan, index=df.index)


def _num(df: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_numeric(_col(df, name), errors="coerce").astype("float64")


def _bool(df: pd.DataFrame, name: str) -> pd.Series:
    """A nullable boolean column as float 1/0/NaN."""
    return _col(df, name).astype("float64")


def _filtered(df: pd.DataFrame | None, dataset: str, filters: dict) -> pd.DataFrame | None:
    if df is None or len(df) == 0:
        return None
    keep = np.ones(len(df), dtype=bool)
    for dim, values in filters.items():
        keep &= _col(df, dim).isin(values).to_numpy()
    return df[keep]


def prepare(frames: dict[str, pd.DataFrame], filters: dict, sla: dict) -> dict:
    """Row-level frames with the derived columns each KPI needs (month = first of month)."""
    out = {}
    lines = _filtered(frames.get("orders"), "orders", filters)
    if lines is not None:
        rev, cost = _num(lines, "revenue"), _num(lines, "cost")
        cost = cost.where(cost.notna(), rev - _num(lines, "profit"))
        out["lines"] = pd.DataFrame(
            {
                "month": _month(lines["order_date"]),
                "units": _num(lines, "quantity"),
                "revenue": rev,
                "cost": cost,
            }  # fmt: skip
        )
        ol = lines[lines["order_id"].notna()]
        ol = ol.assign(
            order_date=pd.to_datetime(ol["order_date"]),
            ship_date=pd.to_datetime(_col(ol, "ship_date")),
            delivered_date=pd.to_datetime(_col(ol, "delivered_date")),
            promised_date=pd.to_datetime(_col(ol, "promised_date")),
        )
        # SLA days of a line without a promised date: ship mode, else channel, else "*".
        days = _col(ol, "ship_mode").map(sla).fillna(_col(ol, "channel").map(sla))
        if "*" in sla:
            days = days.fillna(sla["*"])
        ol = ol.assign(sla=days.where(ol["promised_date"].isna()).astype("float64"))
        # A load tracks delivery when 9 in 10 of its shipped lines have a delivery date; then a
        # line shipped but not delivered is not known to be on time.
        moved = lines[_col(lines, "ship_date").notna() | _col(lines, "delivered_date").notna()]
        load = "_load_id" if "_load_id" in lines else None
        share = (
            moved.groupby(load)["delivered_date"].apply(lambda d: d.notna().mean())
            if load
            else pd.Series({0: _col(moved, "delivered_date").notna().mean()})
        )
        tracking = set(share[share >= 0.9].index)
        ol = ol.assign(tracks=ol[load].isin(tracking) if load else (0 in tracking))
        orders = ol.groupby("order_id").agg(
            order_date=("order_date", "min"),
            ship_date=("ship_date", "max"),
            delivered=("delivered_date", "max"),
            promised=("promised_date", "min"),
            sla=("sla", "min"),
            tracks=("tracks", "max"),
        )
        promise = orders["promised"].fillna(
            orders["order_date"] + pd.to_timedelta(orders["sla"], unit="D")
        )
        done = orders["delivered"].where(
            orders["tracks"], orders["delivered"].fillna(orders["ship_date"])
        )
        returned = frames.get("returns")
        returned_ids = set() if returned is None else set(returned["order_id"].dropna())
        out["orders"] = pd.DataFrame(
            {
                "month": _month(orders["order_date"]),
                "known": (done.notna() & promise.notna()).astype(float),
                "on_time": (done <= promise).astype(float),
                "cycle": (orders["ship_date"] - orders["order_date"]).dt.days.astype("float64"),
                "returned": orders.index.isin(returned_ids).astype(float),
            }
        )
    prod = _filtered(frames.get("production"), "production", filters)
    if prod is not None:
        planned = _num(prod, "planned_minutes")
        if "start_time" in prod:
            span = pd.to_datetime(prod["start_time"]) - pd.to_datetime(prod["end_time"])
            planned = planned.fillna(-span.dt.total_seconds() / 60)
        units = _num(prod, "units")
        run = _num(prod, "run_minutes").fillna(planned - _num(prod, "downtime_minutes"))
        rate = _num(prod, "ideal_rate_per_minute").replace(0, np.nan)
        out["production"] = pd.DataFrame(
            {
                "month": _month(prod["date"]),
                "planned": planned,
                "run": run,
                "ideal": _num(prod, "ideal_minutes").fillna(units / rate),
                "units": units,
                "good": _num(prod, "good_units").fillna(units - _num(prod, "scrap_units")),
            }
        )
    down = _filtered(frames.get("downtime"), "downtime", filters)
    if down is not None:
        out["downtime"] = pd.DataFrame(
            {"month": _month(down["date"]), "minutes": _num(down, "minutes")}
        )
    budget = _filtered(frames.get("budget"), "budget", filters)
    if budget is not None:
        kind = _col(budget, "kind").astype("string").str.strip().str.lower()
        out["budget"] = pd.DataFrame(
            {
                "month": _month(budget["month"]),
                "cost_line": ~kind.isin(["income", "revenue", "sales"]).fillna(False).astype(bool),
                "actual": _num(budget, "actual"),
                "budget": _num(budget, "budget"),
            }
        )
    contacts = _filtered(frames.get("contacts"), "contacts", filters)
    if contacts is not None:
        opened = pd.to_datetime(contacts["contact_date"])
        hours = (pd.to_datetime(_col(contacts, "resolved_at")) - opened).dt.total_seconds() / 3600
        csat = _num(contacts, "csat")
        out["contacts"] = pd.DataFrame(
            {
                "month": _month(opened),
                "answered": _bool(contacts, "answered"),
                "wait": _num(contacts, "wait_seconds"),
                "handle": _num(contacts, "handle_seconds"),
                "resolved": _bool(contacts, "resolved"),
                "fcr": _bool(contacts, "first_contact_resolved"),
                "sla": _bool(contacts, "sla_met"),
                "csat": csat.where((csat >= 1) & (csat <= 5)),
                "hours": hours,
            }
        )
    surveys = _filtered(frames.get("surveys"), "surveys", filters)
    if surveys is not None:
        score = _num(surveys, "score")
        out["surveys"] = pd.DataFrame(
            {
                "month": _month(surveys["response_date"]),
                "score": score.where((score >= 0) & (score <= 10)),
            }  # fmt: skip
        )
    return out


def _ratio(num: pd.Series, den: pd.Series, scale: float = 1.0) -> pd.Series:
    return (num / den.where(den != 0)) * scale


def _sum(s: pd.Series, key) -> pd.Series:
    return s.groupby(key).sum(min_count=1)


def values_by_key(prep: dict, keys_for) -> pd.DataFrame:
    """Every KPI per group key; `keys_for(month_array)` gives each row's key (NaN = drop)."""
    cols: dict[str, pd.Series] = {}
    lines = prep.get("lines")
    if lines is not None:
        k = keys_for(lines["month"].to_numpy())
        with_cost = lines["cost"].notna() & lines["revenue"].notna()
        cols["units"] = _sum(lines["units"], k)
        cols["revenue"] = _sum(lines["revenue"], k)
        cost = _sum(lines["cost"], k)
        margin = _sum((lines["revenue"] - lines["cost"]).where(with_cost), k)
        cols["gross_margin_pct"] = _ratio(margin, _sum(lines["revenue"].where(with_cost), k), 100)
        cols["cost_per_unit"] = _ratio(cost, cols["units"])
        o = prep["orders"]
        ko = keys_for(o["month"].to_numpy())
        n_orders = o.groupby(ko).size().astype(float)
        cols["orders"] = n_orders.where(n_orders > 0)
        on_time = (o["on_time"] * o["known"]).groupby(ko).sum()
        cols["on_time_pct"] = _ratio(on_time, o["known"].groupby(ko).sum(), 100)
        cols["cycle_time_days"] = o["cycle"].groupby(ko).mean()
        cols["cycle_time_p90_days"] = o["cycle"].groupby(ko).quantile(0.9)
        cols["cost_per_order"] = _ratio(cost, n_orders)
        cols["return_rate_pct"] = _ratio(o["returned"].groupby(ko).sum(), n_orders, 100)
        cols["_orders"] = n_orders
    prod = prep.get("production")
    if prod is not None:
        k = keys_for(prod["month"].to_numpy())
        both = prod["run"].notna() & prod["planned"].notna()
        avail = _ratio(prod["run"].where(both).groupby(k).sum(),
                       prod["planned"].where(both).groupby(k).sum())  # fmt: skip
        both = prod["run"].notna() & prod["ideal"].notna()
        perf = _ratio(prod["ideal"].where(both).groupby(k).sum(),
                      prod["run"].where(both).groupby(k).sum()).clip(upper=1.0)  # fmt: skip
        both = prod["good"].notna() & prod["units"].notna()
        quality = _ratio(prod["good"].where(both).groupby(k).sum(),
                         prod["units"].where(both).groupby(k).sum())  # fmt: skip
        cols["availability_pct"] = avail * 100
        cols["utilisation_pct"] = avail * 100
        cols["performance_pct"] = perf * 100
        cols["quality_pct"] = quality * 100
        cols["oee_pct"] = avail * perf * quality * 100
    down = prep.get("downtime")
    if down is not None:
        cols["downtime_minutes"] = _sum(down["minutes"], keys_for(down["month"].to_numpy()))
    budget = prep.get("budget")
    if budget is not None:
        k = keys_for(budget["month"].to_numpy())
        cost_lines = budget[budget["cost_line"]]
        kc = k[budget["cost_line"].to_numpy()] if isinstance(k, np.ndarray) else k
        cols["operating_cost"] = _sum(cost_lines["actual"], kc)
        both = cost_lines["actual"].notna() & cost_lines["budget"].notna()
        variance = _sum((cost_lines["actual"] - cost_lines["budget"]).where(both), kc)
        base = _sum(cost_lines["budget"].where(both), kc)
        cols["budget_variance"] = variance.where(base.reindex(variance.index) != 0)
        cols["budget_variance_pct"] = _ratio(variance, base, 100)
    c = prep.get("contacts")
    if c is not None:
        k = keys_for(c["month"].to_numpy())
        served = c["answered"] != 0  # unknown counts as answered, as in the catalogue
        known = c["answered"].notna()
        cols["abandon_pct"] = _ratio(
            (c["answered"] == 0).groupby(k).sum(), known.groupby(k).sum(), 100
        )
        cols["asa_seconds"] = c["wait"].where(served).groupby(k).mean()
        cols["aht_seconds"] = c["handle"].where(served).groupby(k).mean()
        waited = c["wait"].where(served)
        cols["service_level_pct"] = (waited <= SERVICE_LEVEL_SECONDS).where(waited.notna()).astype(
            float
        ).groupby(k).mean() * 100
        cols["resolved_pct"] = c["resolved"].where(served).groupby(k).mean() * 100
        cols["fcr_pct"] = c["fcr"].where(served).groupby(k).mean() * 100
        cols["sla_pct"] = c["sla"].groupby(k).mean() * 100
        cols["csat_pct"] = (c["csat"] >= 4).where(c["csat"].notna()).astype(float).groupby(
            k
        ).mean() * 100
        cols["csat_mean"] = c["csat"].groupby(k).mean()
        cols["resolution_hours_median"] = c["hours"].groupby(k).median()
        cols["_contacts"] = c.groupby(k).size().astype(float)
    s = prep.get("surveys")
    if s is not None:
        k = keys_for(s["month"].to_numpy())
        score = s["score"]
        net = (score >= 9).astype(float) - (score <= 6).astype(float)
        cols["nps"] = net.where(score.notna()).groupby(k).mean() * 100
    if "_contacts" in cols and "_orders" in cols:
        cols["contacts_per_1000_orders"] = _ratio(cols["_contacts"], cols["_orders"], 1000)
    frame = pd.DataFrame(cols)
    return frame.drop(columns=[c for c in frame if c.startswith("_")])


def _set_key(months: list) -> callable:
    wanted = np.array([np.datetime64(m, "M") for m in months], dtype="datetime64[M]")

    def keys_for(month_array: np.ndarray) -> np.ndarray:
        return np.where(np.isin(month_array, wanted), "set", None)

    return keys_for


def _value(frame: pd.DataFrame, key, kpi_id: str):
    if kpi_id not in frame or key not in frame.index:
        return None
    v = frame.at[key, kpi_id]
    return None if pd.isna(v) else float(v)


def pandas_scorecard(
    frames: dict[str, pd.DataFrame],
    *,
    period_months: list,
    compare_months: list,
    spark_months: list,
    filters: dict | None = None,
    sla: dict | None = None,
) -> dict[str, dict]:
    """{kpi_id: {"value", "previous", "spark": [...]}} (None where a filter does not apply)."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    prep = prepare(frames, filters, sla or SLA_DEFAULT)
    now = values_by_key(prep, _set_key(period_months))
    before = values_by_key(prep, _set_key(compare_months)) if compare_months else pd.DataFrame()
    by_month = values_by_key(prep, lambda m: m)
    out = {}
    for kpi_id, needs in KPI_FRAMES.items():
        applies = all(d in FILTER_COLUMNS[ds] for ds in needs for d in filters)
        spark = [_value(by_month, np.datetime64(m, "M"), kpi_id) if applies else None
                 for m in spark_months]  # fmt: skip
        out[kpi_id] = {
            "value": _value(now, "set", kpi_id) if applies else None,
            "previous": _value(before, "set", kpi_id) if applies else None,
            "spark": spark,
        }
    return out
