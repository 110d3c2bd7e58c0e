"""How the what-if model works.

The baseline is the trailing N months (default 3) of the selected slice, as monthly
averages; every scenario starts from those actuals, so a scenario with no driver changes
shows exactly the baseline. Drivers are % changes (agents: a number of agents to add).

- Revenue = baseline revenue x volume x price.
- Cost = fixed + variable x volume. The split is fitted by least squares on the monthly
  history of the slice (cost against units), shown with R² and the number of months. With
  less than 6 months, a poor fit (R² < 0.5) or an implausible one (negative fixed or
  variable part) all cost is treated as variable, and the fit line says so. The fitted
  fixed part is kept and the variable rate is set so that the baseline months are matched
  exactly. Order cost (cost of goods) gives cost per unit and gross margin %; budget cost
  lines give operating cost (order cost stands in when no budget is loaded). More scrap
  means more units made per unit shipped, so it raises variable cost and machine time.
- Capacity utilisation = run minutes / planned minutes. Run minutes grow with volume and
  scrap; planned minutes grow with capacity and lose any extra downtime minutes.
- On-time % is fitted against utilisation and CSAT against on-time % and answer time on
  the monthly history (a straight line; slopes must point the plausible way). A weak fit
  (under 6 months, R² < 0.3 or a wrong-way slope) holds the output at its baseline, noted.
- Contact centre: contacts grow with volume and contacts per order. Erlang C turns
  contacts per hour (monthly contacts / opening hours, a setting), handle time and staffed
  agents into the chance of waiting, the average speed of answer and the service level
  (share answered within the service-level KPI's threshold: 20 s unless Settings says
  otherwise, the same seconds the card uses). Staffed agents = headcount x the
  staffed share, which is calibrated so that Erlang C reproduces the observed answer time;
  the scenario moves the observed values by the change Erlang C predicts.
- Drivers act independently: a price rise does not change volume by itself, and extra
  capacity adds no cost unless the fixed cost driver says so.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from cockpit.kpis.targets import service_level_seconds
from cockpit.whatif import erlang
from cockpit.whatif.fit import Fit, fit_cost, fit_relation
from cockpit.whatif.history import monthly_history, split_filters

ASA_CAP_SECONDS = 3600.0  # answer times beyond an hour add nothing more to the CSAT effect
MAX_SCRAP_RATE = 0.95
CSAT_SIGNS = {"on_time_pct": 1, "asa_seconds": -1}  # plausible directions of the CSAT fit
CSAT_UNITS = {"on_time_pct": "point of on-time", "asa_seconds": "second of answer time"}


@dataclass(frozen=True)
class Driver:
    id: str
    label: str
    group: str  # demand | cost | capacity | service
    unit: str  # "%" or "agents"
    min: float
    max: float
    step: float
    default: float = 0.0
    help: str = ""


@dataclass(frozen=True)
class Output:
    id: str
    label: str
    unit: str
    fmt: str  # a Python format spec for the value
    direction: str  # "higher" or "lower" is better


def _driver(id_, label, group, lo, hi, step, help_, unit="%") -> tuple[str, Driver]:
    return id_, Driver(id_, label, group, unit, lo, hi, step, 0.0, help_)


DRIVERS: dict[str, Driver] = dict(
    [
        _driver("volume", "Order volume", "demand", -50, 100, 1, "units, orders and contacts"),
        _driver("price", "Price", "demand", -30, 30, 0.5, "revenue per unit"),
        _driver(
            "variable_cost",
            "Variable cost per unit",
            "cost",
            -30,
            30,
            0.5,
            "the part of cost that moves with volume",
        ),
        _driver(
            "fixed_cost",
            "Fixed cost",
            "cost",
            -30,
            30,
            0.5,
            "the part of cost that does not move with volume",
        ),
        _driver(
            "capacity",
            "Capacity (hours or staff)",
            "capacity",
            -50,
            100,
            1,
            "planned production minutes",
        ),
        _driver("downtime", "Downtime", "capacity", -100, 200, 5, "downtime minutes"),
        _driver("scrap_rate", "Scrap rate", "capacity", -100, 200, 5, "scrap units / units"),
        _driver(
            "contacts_per_order",
            "Contacts per order",
            "service",
            -50,
            100,
            1,
            "contact-centre demand per order",
        ),
        _driver(
            "agents", "Agents", "service", -50, 100, 1, "agents added (absolute)", unit="agents"
        ),
    ]
)

OUTPUTS: dict[str, Output] = {
    o.id: o
    for o in (
        Output("revenue", "Revenue per month", "currency", ",.0f", "higher"),
        Output("operating_cost", "Operating cost per month", "currency", ",.0f", "lower"),
        Output("cost_per_unit", "Cost per unit", "currency", ",.2f", "lower"),
        Output("gross_margin_pct", "Gross margin %", "%", ".1f", "higher"),
        Output("utilisation_pct", "Capacity utilisation %", "%", ".1f", "higher"),
        Output("on_time_pct", "On-time delivery %", "%", ".1f", "higher"),
        Output("contacts", "Contacts per month", "count", ",.0f", "lower"),
        Output("asa_seconds", "Average speed of answer", "s", ",.0f", "lower"),
        Output("service_level_pct", "Service level %", "%", ".1f", "higher"),
        Output("csat_pct", "CSAT %", "%", ".1f", "higher"),
    )
}


@dataclass
class Settings:
    """What-if settings (Settings page, key "whatif"); None means "work it out from data"."""

    opening_hours_per_month: float = 220.0  # 22 days x 10 hours
    agents: float | None = None  # headcount; default: distinct agents per baseline month
    # The service-level KPI's threshold (setting service_level_seconds), set by build_baseline:
    # the queue model answers for the same measure the scorecard shows.
    service_threshold_seconds: float = 20.0
    staffed_share: float | None = None  # share of headcount on the phones; None: calibrate

    @classmethod
    def load(cls, store, overrides: dict | None = None) -> Settings:
        """Defaults, then the stored "whatif" setting, then `overrides`."""
        merged = dict(store.get_setting("whatif", {}) or {}) if store is not None else {}
        merged.update(overrides or {})
        known = {k: v for k, v in merged.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class Baseline:
    """The trailing months of a slice, their monthly history and the fitted relations."""

    months: list[dt.date]
    history: pd.DataFrame
    values: dict[str, float | None]
    fits: list[Fit]
    settings: Settings
    notes: list[str] = field(default_factory=list)
    filters: dict = field(default_factory=dict)
    as_of: int | None = None

    def fit(self, relation_prefix: str) -> Fit | None:
        """The fit whose relation starts with `relation_prefix` ("on-time", "CSAT"), if any."""
        return next((f for f in self.fits if f.relation.startswith(relation_prefix)), None)


@dataclass
class OutputValue:
    id: str
    label: str
    unit: str
    baseline: float | None
    scenario: float | None
    change: float | None
    explain: str

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "unit": self.unit,
            "baseline": _finite(self.baseline),
            "scenario": _finite(self.scenario),
            "change": _finite(self.change),
        }


def _finite(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else v


# -- baseline --------------------------------------------------------------------------------


def build_baseline(
    store,
    *,
    filters: dict | None = None,
    baseline_months: int = 3,
    as_of: int | None = None,
    settings: Settings | dict | None = None,
    end_month: dt.date | None = None,
) -> Baseline:
    """Read the slice's monthly history once, fit the relations and fix the baseline."""
    if not isinstance(settings, Settings):
        settings = Settings.load(store, settings)
    settings.service_threshold_seconds = service_level_seconds(store)
    history = monthly_history(store, filters=filters, as_of=as_of)
    _, ignored = split_filters(filters)
    baseline = baseline_from_history(
        history, baseline_months=baseline_months, settings=settings, end_month=end_month
    )
    baseline.notes += [f"filter on {d} does not apply to the what-if data" for d in ignored]
    if history.attrs.get("currency"):  # several currencies: no money outputs (issue 23)
        baseline.notes.append(f"no money figures: {history.attrs['currency']}")
    baseline.filters = dict(filters or {})
    baseline.as_of = as_of
    return baseline


def baseline_from_history(
    history: pd.DataFrame,
    *,
    baseline_months: int = 3,
    settings: Settings | None = None,
    end_month: dt.date | None = None,
) -> Baseline:
    """The baseline of a monthly history frame (the columns of whatif.history)."""
    if baseline_months < 1:
        raise ValueError("baseline_months must be at least 1")
    settings = settings or Settings()
    notes: list[str] = []
    if history.empty:
        return Baseline([], history, {}, [], settings, ["no data in this slice"])
    end = end_month or max(history["month"])
    start = _add_months(_month_start(end), 1 - baseline_months)
    upto = history[history["month"] <= end].reset_index(drop=True)
    window = upto[upto["month"] >= start]
    if window.empty:
        return Baseline([], upto, {}, [], settings, ["no data in the baseline months"])
    months = list(window["month"])
    if len(months) < baseline_months:
        notes.append(f"only {len(months)} of {baseline_months} baseline months have data")

    v: dict[str, float | None] = {}
    vol_col = _volume_column(window)
    v["volume_basis"] = vol_col
    v["units"] = _mean(window, vol_col) if vol_col else None
    v["revenue"] = _mean(window, "revenue")
    v["order_cost"] = _mean(window, "order_cost")
    v["costed_revenue"] = _mean(window, "costed_revenue")
    v["budget_cost"] = _mean(window, "operating_cost")
    v["planned_minutes"] = _mean(window, "planned_minutes")
    v["run_minutes"] = _mean(window, "run_minutes")
    v["downtime_minutes"] = _mean(window, "downtime_minutes")
    v["scrap_rate"] = _ratio(window, "scrap_units", "quality_units")
    v["on_time_base"] = _ratio(window, "on_time_orders", "on_time_known", 100)
    v["contacts"] = _mean(window, "contacts")
    v["handle_seconds"] = _ratio(window, "handle_sum", "handle_n")
    v["asa_observed"] = _ratio(window, "wait_sum", "wait_n")
    v["service_level_observed"] = _ratio(window, "within_threshold", "service_n", 100)
    v["csat_base"] = _ratio(window, "csat_top", "csat_n", 100)

    fits: list[Fit] = []
    vol_hist = upto[vol_col] if vol_col else None
    v.update(_cost_pool("order_cost", "order cost", upto, vol_hist, v, fits))
    if v["budget_cost"] is not None:
        v.update(
            _cost_pool(
                "budget_cost", "operating cost", upto, vol_hist, v, fits, column="operating_cost"
            )
        )
    elif v["order_cost"] is not None:
        notes.append("no budget cost lines: operating cost is the order cost")

    util = 100 * upto["run_minutes"] / upto["planned_minutes"].where(upto["planned_minutes"] > 0)
    on_time = 100 * upto["on_time_orders"] / upto["on_time_known"].where(upto["on_time_known"] > 0)
    asa = upto["wait_sum"] / upto["wait_n"].where(upto["wait_n"] > 0)
    csat = 100 * upto["csat_top"] / upto["csat_n"].where(upto["csat_n"] > 0)
    if v["on_time_base"] is not None and v["run_minutes"] is not None:
        fits.append(
            fit_relation(
                "on-time % ~ utilisation %",
                on_time,
                {"utilisation_pct": util},
                {"utilisation_pct": -1},
                {"utilisation_pct": "point of utilisation"},
            )
        )
    if v["csat_base"] is not None:
        regressors = {}
        if v["on_time_base"] is not None:
            regressors["on_time_pct"] = on_time
        if v["asa_observed"] is not None:
            regressors["asa_seconds"] = asa
        if regressors:
            name = "CSAT % ~ " + " + ".join(
                {"on_time_pct": "on-time %", "asa_seconds": "answer time"}[k] for k in regressors
            )
            fits.append(fit_relation(name, csat, regressors, CSAT_SIGNS, CSAT_UNITS))

    v.update(_staffing(window, v, settings, fits, notes))
    baseline = Baseline(months, upto, v, fits, settings, notes)
    for out in _compute(baseline, _factors(baseline, {})):
        v[out.id] = out.scenario
    return baseline


def _volume_column(window: pd.DataFrame) -> str | None:
    for col in ("units", "orders", "order_lines"):
        if window[col].fillna(0).sum() > 0:
            return col
    return None


def _cost_pool(key, label, upto, vol_hist, v, fits, column=None) -> dict:
    """Fixed per month and variable per unit of one cost pool, calibrated to the baseline."""
    column = column or key
    cost, units = v[key], v["units"]
    if cost is None or not units:
        return {f"{key}_fixed": None, f"{key}_variable": None}
    fit = fit_cost(vol_hist, upto[column], relation=f"{label} ~ fixed + variable x volume")
    fits.append(fit)
    fixed = fit.params["fixed"] if fit.used else 0.0
    if fixed > cost:
        fit.used = False
        fit.note = "fitted fixed cost exceeds the baseline cost: all cost treated as variable"
        fixed = 0.0
    return {f"{key}_fixed": fixed, f"{key}_variable": (cost - fixed) / units}


def _staffing(window, v, settings: Settings, fits: list[Fit], notes: list[str]) -> dict:
    """Headcount, staffed share and the Erlang C view of the baseline."""
    out = {"headcount": None, "staffed_share": None, "contacts_per_hour": None}
    contacts, aht, asa_obs = v["contacts"], v["handle_seconds"], v["asa_observed"]
    if contacts is None:
        return out
    hours = float(settings.opening_hours_per_month)
    cph = contacts / hours
    out["contacts_per_hour"] = cph
    if not aht:
        notes.append("no handle times: answer time and service level held at baseline")
        return out
    load = erlang.traffic(cph, aht)
    agents_seen = window["agents"].where(window["agents"] > 0).mean()
    headcount = settings.agents or (None if pd.isna(agents_seen) else float(agents_seen))
    source = "setting" if settings.agents else "distinct agents per month"
    share = settings.staffed_share
    how = "staffed share from settings"
    if share is None:
        staffed = _calibrate_staffed(cph, aht, asa_obs, load, headcount)
        if staffed is None:
            notes.append("agents unknown: set the number of agents in Settings")
            return out
        if headcount is None:
            headcount, source = staffed, "inferred from the observed answer time"
        share = staffed / headcount
        how = "staffed share calibrated to the observed answer time"
    elif headcount is None:
        notes.append("agents unknown: set the number of agents in Settings")
        return out
    staffed = headcount * share
    model_asa = erlang.interpolate(erlang.asa_seconds, cph, aht, staffed)
    fits.append(
        Fit(
            "answer time ~ Erlang C (contacts/hour, handle time, agents)",
            None,
            len(window),
            True,
            f"{load:.1f} Erlangs; {headcount:.1f} agents ({source}) x {share:.0%} staffed "
            f"({how}) = {staffed:.1f}; Erlang C answer time {model_asa:.0f} s, observed "
            + ("n/a" if asa_obs is None else f"{asa_obs:.0f} s"),
            {"traffic_erlangs": load, "headcount": headcount, "staffed_share": share},
        )
    )
    out.update(headcount=headcount, staffed_share=share)
    return out


def _calibrate_staffed(cph, aht, asa_obs, load, headcount) -> float | None:
    """Fractional staffed agents whose Erlang C answer time equals the observed one."""
    if asa_obs is None:
        return headcount

    def asa_at(n: float) -> float:
        return erlang.interpolate(erlang.asa_seconds, cph, aht, n)

    lo = math.floor(load) + 1.0
    hi = max(headcount or 0.0, lo)
    if headcount is None:
        # no headcount: widen until the model answers faster than observed
        hi = lo
        while asa_at(hi) > asa_obs and hi < 1e5:
            hi *= 2
    if asa_at(hi) >= asa_obs:
        return hi
    if asa_at(lo) <= asa_obs:
        return lo
    for _ in range(60):
        mid = (lo + hi) / 2
        if asa_at(mid) > asa_obs:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-6:
            break
    return hi


# -- scenario --------------------------------------------------------------------------------


def run_scenario(baseline: Baseline, drivers: dict[str, float]) -> list[OutputValue]:
    """Every output at baseline and under the driver changes, with how it was computed."""
    return _compute(baseline, _factors(baseline, drivers))


def _factors(baseline: Baseline, drivers: dict[str, float]) -> dict[str, float]:
    unknown = [k for k in drivers if k not in DRIVERS]
    if unknown:
        raise KeyError(f"unknown driver(s) {unknown}; known: {', '.join(DRIVERS)}")
    d = {k: float(drivers.get(k) or 0.0) for k in DRIVERS}
    v = baseline.values
    s0 = v.get("scrap_rate")
    scrap = 1.0
    s1 = s0
    if s0 is not None and d["scrap_rate"] != 0:
        s1 = min(max(s0 * (1 + d["scrap_rate"] / 100), 0.0), MAX_SCRAP_RATE)
        scrap = (1 - s0) / (1 - s1)
    return {
        "volume": 1 + d["volume"] / 100,
        "price": 1 + d["price"] / 100,
        "variable_cost": 1 + d["variable_cost"] / 100,
        "fixed_cost": 1 + d["fixed_cost"] / 100,
        "capacity": 1 + d["capacity"] / 100,
        "downtime": 1 + d["downtime"] / 100,
        "scrap": scrap,
        "scrap_rate": s1,
        "contacts_per_order": 1 + d["contacts_per_order"] / 100,
        "agents": d["agents"],
    }


def _pool_cost(v, key, f) -> float | None:
    """Cost of a pool under the factors: baseline plus the change of each part."""
    base, fixed, variable, units = (
        v.get(key),
        v.get(f"{key}_fixed"),
        v.get(f"{key}_variable"),
        v["units"],
    )
    if base is None or variable is None:
        return None
    made = f["volume"] * f["variable_cost"] * f["scrap"]
    return base + fixed * (f["fixed_cost"] - 1) + variable * units * (made - 1)


def _compute(b: Baseline, f: dict[str, float]) -> list[OutputValue]:
    # A baseline with no data in its months has no values at all: every output is unknown
    # (it raised KeyError: 'revenue', "Sorry, something went wrong" on the What-if page).
    v = defaultdict(lambda: None, b.values)
    s: dict[str, float | None] = {}
    why: dict[str, str] = {}

    units = None if v.get("units") is None else v["units"] * f["volume"]
    s["revenue"] = None if v["revenue"] is None else v["revenue"] * f["volume"] * f["price"]
    why["revenue"] = "baseline revenue x volume x price"

    order_cost = _pool_cost(v, "order_cost", f)
    op_cost = _pool_cost(v, "budget_cost", f) if v.get("budget_cost") is not None else order_cost
    s["operating_cost"] = op_cost
    why["operating_cost"] = _cost_why(
        b, "budget_cost" if v.get("budget_cost") is not None else "order_cost"
    )
    if order_cost is not None and units:
        s["cost_per_unit"] = order_cost / units
        why["cost_per_unit"] = f"order cost / {v['volume_basis']}"
    elif op_cost is not None and units:
        s["cost_per_unit"] = op_cost / units
        why["cost_per_unit"] = f"operating cost / {v['volume_basis']} (orders carry no cost)"
    else:
        s["cost_per_unit"] = None
        why["cost_per_unit"] = "needs cost and volume data"
    costed = v.get("costed_revenue")
    if order_cost is not None and costed:
        costed = costed * f["volume"] * f["price"]
        s["gross_margin_pct"] = 100 * (costed - order_cost) / costed
        why["gross_margin_pct"] = "(revenue - order cost) / revenue, lines with a cost"
    else:
        s["gross_margin_pct"] = None
        why["gross_margin_pct"] = "needs revenue and cost on orders"

    util = None
    if v["run_minutes"] is not None and v["planned_minutes"]:
        run = v["run_minutes"] * f["volume"] * f["scrap"]
        downtime = v["downtime_minutes"] or 0.0
        planned = v["planned_minutes"] * f["capacity"] - downtime * (f["downtime"] - 1)
        util = 100 * run / planned if planned > 0 else None
        why["utilisation_pct"] = (
            "run minutes (x volume x scrap) / planned minutes (x capacity, less extra downtime)"
            if util is not None
            else "downtime exceeds the planned minutes"
        )
    else:
        why["utilisation_pct"] = "needs production data"
    s["utilisation_pct"] = util

    s["on_time_pct"], why["on_time_pct"] = _on_time(b, util)
    s["contacts"] = (
        None if v["contacts"] is None else v["contacts"] * f["volume"] * f["contacts_per_order"]
    )
    why["contacts"] = "baseline contacts x volume x contacts per order"
    s["asa_seconds"], s["service_level_pct"], why["asa_seconds"] = _queue(b, s["contacts"], f)
    why["service_level_pct"] = why["asa_seconds"]
    s["csat_pct"], why["csat_pct"] = _csat(b, s["on_time_pct"], s["asa_seconds"])

    result = []
    for o in OUTPUTS.values():
        scen = s.get(o.id)
        bval = v.get(o.id)
        change = None if scen is None or bval is None else scen - bval
        result.append(OutputValue(o.id, o.label, o.unit, bval, scen, change, why.get(o.id, "")))
    return result


def _cost_why(b: Baseline, key: str) -> str:
    fixed, variable = b.values.get(f"{key}_fixed"), b.values.get(f"{key}_variable")
    if variable is None:
        return "needs cost data"
    label = "operating cost" if key == "budget_cost" else "order cost"
    return (
        f"{label} = fixed {fixed:,.0f} x fixed-cost driver + {variable:,.4g} per unit"
        " x volume x variable-cost driver x scrap"
    )


def _on_time(b: Baseline, util: float | None) -> tuple[float | None, str]:
    v = b.values
    base = v.get("on_time_base")
    if base is None:
        return None, "needs orders with promised and delivery dates"
    fit = b.fit("on-time")
    if fit is None or not fit.used or util is None or v.get("utilisation_pct") is None:
        return base, "held at baseline: " + (fit.note if fit else "no production data")
    slope = fit.params["utilisation_pct"]
    value = _pct(base + slope * (util - v["utilisation_pct"]), base)
    return value, f"baseline {slope:+.3g} points per point of utilisation (R² {fit.r2:.2f})"


def _queue(b: Baseline, contacts: float | None, f) -> tuple[float | None, float | None, str]:
    v = b.values
    asa0, sl0 = v.get("asa_observed"), v.get("service_level_observed")
    if contacts is None:
        return None, None, "needs contact-centre data"
    if v.get("staffed_share") is None:
        return (
            asa0,
            sl0,
            "held at baseline: " + "; ".join(n for n in b.notes if "agents" in n or "handle" in n),
        )
    hours, aht = b.settings.opening_hours_per_month, v["handle_seconds"]
    threshold = b.settings.service_threshold_seconds
    staffed0 = v["headcount"] * v["staffed_share"]
    staffed = max(v["headcount"] + f["agents"], 0.0) * v["staffed_share"]
    cph0, cph = v["contacts"] / hours, contacts / hours
    model0 = erlang.interpolate(erlang.asa_seconds, cph0, aht, staffed0)
    model = erlang.interpolate(erlang.asa_seconds, cph, aht, staffed)
    asa = None
    if asa0 is not None:
        if math.isinf(model):
            asa = math.inf
        elif math.isinf(model0):
            asa = model
        elif model0 > 0:
            # Scaled, not shifted: where Erlang C cannot reach the observed wait (peaks within
            # the month), the gap scales with the modelled wait and vanishes as it does, so
            # enough agents always bring the answer time down.
            asa = asa0 * model / model0
        else:
            asa = asa0 + model
    sl = None
    if sl0 is not None:
        sl_model0 = erlang.interpolate(erlang.service_level, cph0, aht, staffed0, threshold)
        sl_model = erlang.interpolate(erlang.service_level, cph, aht, staffed, threshold)
        sl = _pct(sl0 + 100 * (sl_model - sl_model0), sl0)
    load = erlang.traffic(cph, aht)
    why = (
        f"Erlang C: {cph:,.1f} contacts/hour x {aht:.0f} s = {load:.1f} Erlangs on "
        f"{staffed:.1f} staffed agents; observed baseline scaled by the modelled change"
    )
    if math.isinf(model):
        why += "; queue unstable: more work than staffed agents"
    return asa, sl, why


def _csat(b: Baseline, on_time: float | None, asa: float | None) -> tuple[float | None, str]:
    v = b.values
    base = v.get("csat_base")
    if base is None:
        return None, "needs CSAT responses (1-5) on contacts"
    fit = b.fit("CSAT")
    if fit is None or not fit.used:
        return base, "held at baseline: " + (fit.note if fit else "nothing to relate it to")
    value = base
    moves = {
        "on_time_pct": (on_time, v.get("on_time_pct")),
        "asa_seconds": (asa, v.get("asa_seconds")),
    }
    for k, (now, then) in moves.items():
        if k in fit.params and now is not None and then is not None:
            value += fit.params[k] * (min(now, ASA_CAP_SECONDS) - min(then, ASA_CAP_SECONDS))
    return _pct(value, base), f"baseline moved along the fit ({fit.note}, R² {fit.r2:.2f})"


# -- helpers ---------------------------------------------------------------------------------


def scenario_report(baseline: Baseline, drivers: dict[str, float]) -> dict:
    """The `whatif --json` document for a baseline and drivers."""
    return {
        "drivers": {k: float(drivers.get(k, 0.0)) for k in DRIVERS},
        "baseline_months": [m.isoformat() for m in baseline.months],
        "outputs": [o.as_json() for o in run_scenario(baseline, drivers)],
        "fits": [f.as_json() for f in baseline.fits],
    }


_DRIVER_RE = re.compile(r"^\s*([a-z_]+)\s*=\s*([+-]?\d+(?:\.\d+)?)\s*(%?)\s*$")


def parse_driver(text: str) -> tuple[str, float]:
    """ "volume=+15%" -> ("volume", 15.0); agents take a count ("agents=+2")."""
    m = _DRIVER_RE.match(text)
    if not m:
        raise ValueError(f"expected name=+15% (or agents=+2), got {text!r}")
    name, value, pct = m.group(1), float(m.group(2)), m.group(3)
    if name not in DRIVERS:
        raise ValueError(f"unknown driver {name!r}; known: {', '.join(DRIVERS)}")
    if DRIVERS[name].unit == "agents" and pct:
        raise ValueError("agents is a number of agents, not a %: use agents=+2")
    return name, value


def _mean(frame: pd.DataFrame, col: str) -> float | None:
    values = frame[col].dropna()
    return None if values.empty else float(values.sum() / len(values))


def _ratio(frame: pd.DataFrame, num: str, den: str, scale: float = 1.0) -> float | None:
    denominator = frame[den].fillna(0).sum()
    if denominator <= 0:
        return None
    return scale * float(frame[num].fillna(0).sum() / denominator)


def _pct(x: float, base: float) -> float:
    """A percentage kept within 0-100 (or the baseline itself, should the data exceed that)."""
    return min(max(x, min(0.0, base)), max(100.0, base))


def _month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)
