"""Synthetic operations of a fictional company, "Northwind Components", as canonical tables.

Deterministic for a given seed and size, vectorised with numpy (no per-row Python loops) so
the KPI benchmarks can ask for 10M order lines. The data tells a story a COO would recognise:
- volume grows ~1.5% a month with a November-December peak and an August dip;
- operating cost = fixed + variable x units (+ noise), so a least-squares fit recovers it;
- when the plants run near capacity (peaks, before the extra capacity of September 2025),
  orders ship late and on-time % falls;
- Lyon is the problem site: lower OEE, more scrap, and a machine-failure spike in
  June-July 2025 that also delays its shipments;
- the contact centre is short of agents in December 2025 (the peak): answer times rise,
  abandonment rises and CSAT falls.
Every table has exactly the columns and types of cockpit/datasets.py (no system columns).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cockpit import datasets

DEMO_START = "2024-11"
DEMO_MONTH_COUNT = 24
DEMO_MONTHS: tuple[str, ...] = tuple(
    str(np.datetime64(DEMO_START, "M") + i) for i in range(DEMO_MONTH_COUNT)
)
COMPANY = "Northwind Components Ltd"

SITES = ("Leeds", "Lyon", "Leipzig")
REGIONS = ("North", "South", "East", "West")
CHANNELS = ("Online", "Distributor")
SEGMENTS = ("Enterprise", "Mid-market", "Small business")
SHIP_MODES = ("Standard", "Express", "Freight")
SLA_DAYS = {"Standard": 5, "Express": 2, "Freight": 10}

# (category, product, price, unit cost, weight kg, ideal units per minute)
PRODUCTS: tuple[tuple[str, str, float, float, float, float], ...] = (
    ("Fasteners", "M6 Hex Bolt Pack", 6.50, 3.60, 0.50, 12.0),
    ("Fasteners", "M8 Hex Bolt Pack", 8.90, 4.90, 0.80, 10.0),
    ("Fasteners", "Stainless Washer Kit", 12.40, 6.80, 0.60, 9.0),
    ("Fasteners", "Rivet Assortment", 15.75, 8.20, 0.90, 8.0),
    ("Fasteners", "Anchor Bolt Set", 24.00, 13.50, 2.10, 6.0),
    ("Bearings", "6204 Ball Bearing", 9.80, 5.40, 0.11, 7.0),
    ("Bearings", "6305 Ball Bearing", 16.20, 9.10, 0.23, 6.0),
    ("Bearings", "Tapered Roller Bearing", 38.50, 22.00, 0.65, 3.0),
    ("Bearings", "Pillow Block Unit", 54.00, 31.50, 1.40, 2.0),
    ("Bearings", "Linear Bearing", 29.90, 17.40, 0.30, 4.0),
    ("Seals & Gaskets", "O-Ring Kit", 18.60, 8.90, 0.40, 8.0),
    ("Seals & Gaskets", "Shaft Seal 40mm", 7.40, 3.70, 0.05, 11.0),
    ("Seals & Gaskets", "Gasket Sheet", 32.00, 17.00, 2.50, 4.0),
    ("Seals & Gaskets", "Hydraulic Seal Kit", 46.00, 25.30, 0.70, 3.0),
    ("Seals & Gaskets", "Flange Gasket", 11.20, 5.90, 0.30, 9.0),
    ("Drives", "V-Belt A42", 14.30, 8.00, 0.35, 6.0),
    ("Drives", "Timing Belt HTD", 27.50, 15.80, 0.40, 4.0),
    ("Drives", "Roller Chain 08B", 42.00, 25.00, 3.00, 3.0),
    ("Drives", "Sprocket 08B-20", 36.00, 21.60, 1.10, 3.0),
    ("Drives", "Flexible Coupling", 58.00, 34.80, 1.60, 2.0),
    ("Electrical", "Proximity Sensor", 64.00, 36.50, 0.15, 2.0),
    ("Electrical", "Limit Switch", 39.00, 21.50, 0.25, 3.0),
    ("Electrical", "Motor Starter", 185.00, 118.00, 2.80, 0.8),
    ("Electrical", "Cable Gland Pack", 21.00, 10.50, 0.70, 7.0),
    ("Electrical", "Relay Module", 33.50, 19.00, 0.20, 4.0),
)

# Lines per site; Leeds has three, the others two.
LINES = (
    ("Leeds", "LDS-L1"),
    ("Leeds", "LDS-L2"),
    ("Leeds", "LDS-L3"),
    ("Lyon", "LYO-L1"),
    ("Lyon", "LYO-L2"),
    ("Leipzig", "LEI-L1"),
    ("Leipzig", "LEI-L2"),
)
SHIFTS = (("Early", 6), ("Late", 14), ("Night", 22))
OPERATORS = {
    "Leeds": ("A. Patel", "J. Morris", "S. Hughes", "K. Walsh", "D. Okafor"),
    "Lyon": ("C. Martin", "L. Bernard", "M. Dubois", "N. Petit"),
    "Leipzig": ("F. Schulz", "H. Becker", "T. Wagner", "U. Krause"),
}
# (cause, category, operator error); seven causes so that distinct causes per batch are cheap.
CAUSES = (
    ("Machine Failure", "Breakdown", False),
    ("Material Shortage", "Supply", False),
    ("Changeover", "Planned", False),
    ("Setup Error", "Operator", True),
    ("Quality Check", "Quality", False),
    ("Jam / Blockage", "Breakdown", False),
    ("Incorrect Settings", "Operator", True),
)
AGENTS = (
    "Amy Clarke",
    "Ben Foster",
    "Chloe Reid",
    "Dan Hughes",
    "Eva Novak",
    "Femi Adeyemi",
    "Grace Liu",
    "Harry Bell",
    "Isla Grant",
    "Jack Turner",
    "Kiran Shah",
    "Lena Vogel",
    "Marco Rossi",
    "Nina Kowalski",
    "Omar Haddad",
)
CONTACT_CHANNELS = ("Phone", "Email", "Chat")
TOPICS = (
    "Where is my order",
    "Delivery damaged",
    "Invoice query",
    "Return request",
    "Product question",
    "Change order",
)
RETURN_REASONS = (
    "Damaged in transit",
    "Wrong item sent",
    "Not as described",
    "No longer needed",
    "Arrived late",
)
# (department, account, kind)
BUDGET_LINES = (
    ("Operations", "Salaries", "cost"),
    ("Operations", "Materials", "cost"),
    ("Operations", "Energy", "cost"),
    ("Operations", "Maintenance", "cost"),
    ("Logistics", "Salaries", "cost"),
    ("Logistics", "Freight", "cost"),
    ("Logistics", "Rent", "cost"),
    ("Customer Service", "Salaries", "cost"),
    ("Customer Service", "Software", "cost"),
    ("Sales", "Salaries", "cost"),
    ("Sales", "Marketing", "cost"),
    ("Sales", "Sales Income", "income"),
    ("Admin", "Salaries", "cost"),
    ("Admin", "Rent", "cost"),
    ("Admin", "Software", "cost"),
)
# Data is as it stood on the export date: later ship/delivery/return dates are not known yet.
EXPORT_DATE = np.datetime64("2026-11-02", "D")
CAPACITY_STEP_MONTH = "2025-09"  # Leeds' third shift pattern adds capacity from here
LYON_SPIKE_MONTHS = ("2025-06", "2025-07")
SHORT_STAFFED_MONTH = "2025-12"

_CUSTOMER_A = (
    "Aldridge",
    "Barton",
    "Carrick",
    "Denholm",
    "Elstow",
    "Fairley",
    "Garside",
    "Hartwell",
    "Ingram",
    "Jarrow",
    "Kessler",
    "Lindqvist",
    "Marlow",
    "Norbury",
    "Oakham",
    "Penrose",
    "Quarry",
    "Redfern",
    "Stanton",
    "Thorne",
)
_CUSTOMER_B = ("Engineering", "Fabrication", "Hydraulics", "Motors", "Automation", "Plant")
_CUSTOMER_C = ("Ltd", "GmbH", "SA", "plc", "& Co", "Group")


# Aggregated datasets the demo does not make: the same calls or deliveries as the per-row
# datasets above, so adding them would count the demo's activity twice.
NOT_SYNTHESISED = ("contact_stats", "delivery_stats")


def synth_tables(
    order_lines: int = 15_000, *, seed: int = 7, start: str = DEMO_START, months: int = 24
) -> dict[str, pa.Table]:
    """Canonical tables (column names/types exactly as cockpit/datasets.py, no system columns)
    for every dataset but NOT_SYNTHESISED."""
    if order_lines < 1 or months < 2:
        raise ValueError("need at least one order line and two months")
    rng = np.random.default_rng(seed)
    cal = _Calendar(start, months)
    orders, facts = _orders(rng, cal, order_lines)
    production, batch_minutes = _production(rng, cal, order_lines)
    tables = {
        "orders": orders,
        "returns": _returns(rng, facts),
        "production": production,
        "downtime": _downtime(rng, production, batch_minutes),
        "budget": _budget(rng, cal, facts, order_lines),
        "contacts": _contacts(rng, cal, facts),
        "surveys": _surveys(rng, cal, facts),
        "targets": _targets(cal, facts, order_lines),
    }
    return {name: _conform(name, cols) for name, cols in tables.items()}


class _Calendar:
    """Months of the simulation and the monthly drivers shared by every dataset."""

    def __init__(self, start: str, months: int):
        self.n = months
        self.month0 = np.datetime64(start, "M")
        m = np.arange(months)
        self.month_start = (self.month0 + m).astype("datetime64[D]")
        self.days = ((self.month0 + m + 1).astype("datetime64[D]") - self.month_start).astype(int)
        cal_month = (self.month0 + m).astype(int) % 12  # 0 = January
        season = np.array([0.92, 0.96, 1.02, 1.0, 1.0, 1.02, 0.98, 0.88, 1.02, 1.05, 1.14, 1.16])
        self.weight = 1.015**m * season[cal_month]
        self.labels = [str(x) for x in self.month0 + m]
        capacity = np.where(self.month0 + m >= np.datetime64(CAPACITY_STEP_MONTH), 1.16, 1.0)
        # Share of the plants' capacity the month's demand takes: drives idle time and lateness.
        self.load = np.clip(0.80 * self.weight / self.weight[:12].mean() / capacity, 0.55, 0.97)
        self.lyon_spike = np.isin(self.labels, LYON_SPIKE_MONTHS)
        self.short_staffed = np.array([x == SHORT_STAFFED_MONTH for x in self.labels])

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Month index (0-based, may fall outside the range) of datetime64[D] values."""
        return (days.astype("datetime64[M]") - self.month0).astype(int)

    def random_days(self, rng: np.random.Generator, month: np.ndarray) -> np.ndarray:
        """A uniformly random day within each given month."""
        offset = (rng.random(month.size) * self.days[month]).astype(int)
        return self.month_start[month] + offset


def _pick(rng: np.random.Generator, n: int, p) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return rng.choice(p.size, size=n, p=p / p.sum())


def _pick_rows(rng: np.random.Generator, cond: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Sample a category per row from the probability row table[cond] (inverse CDF)."""
    cdf = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(cond.size)
    return np.minimum((u[:, None] > cdf[cond]).sum(axis=1), table.shape[1] - 1)


def _orders(rng: np.random.Generator, cal: _Calendar, n_lines: int):
    prod = np.array([p[2:] for p in PRODUCTS])  # price, unit cost, weight, rate
    price, unit_cost, weight = prod[:, 0], prod[:, 1], prod[:, 2]

    # Orders of 1-7 lines (mean ~3); the last order is cut so the total is exactly n_lines.
    lpo = np.minimum(1 + rng.poisson(2.0, size=n_lines // 2 + 10), 7)
    n_orders = int(np.searchsorted(np.cumsum(lpo), n_lines) + 1)
    lpo = lpo[:n_orders]
    lpo[-1] -= lpo.sum() - n_lines
    order_of_line = np.repeat(np.arange(n_orders), lpo)

    n_customers = int(np.clip(n_lines // 60, 80, 3000))
    cust_region = _pick(rng, n_customers, [0.3, 0.25, 0.25, 0.2])
    cust_segment = _pick(rng, n_customers, [0.2, 0.35, 0.45])
    cust_weight = rng.pareto(1.5, n_customers) + 0.2  # a few big accounts
    customer = _pick(rng, n_orders, cust_weight)
    region = cust_region[customer]
    # Each region is mostly served by its nearest site.
    site = _pick_rows(
        rng,
        region,
        np.array([[0.85, 0.05, 0.10], [0.15, 0.75, 0.10], [0.10, 0.10, 0.80], [0.55, 0.35, 0.10]]),
    )
    distributor_p = np.array([0.75, 0.45, 0.25])[cust_segment[customer]]
    channel = (rng.random(n_orders) < distributor_p).astype(int)
    mode = _pick(rng, n_orders, [0.65, 0.2, 0.15])

    month = _pick(rng, n_orders, cal.weight)
    order_day = cal.random_days(rng, month)

    # Lateness: processing days grow when the site runs near capacity, and at Lyon in its spike.
    load = cal.load[month] + np.array([0.0, 0.04, -0.02])[site]
    lam = 0.05 + 4.0 * np.maximum(0.0, load - 0.75) + 0.8 * ((site == 1) & cal.lyon_spike[month])
    processing = rng.poisson(lam) + np.where(mode == 1, 0, 1)
    transit = np.select(
        [mode == 0, mode == 1],
        [1 + rng.binomial(3, 0.45, n_orders), 1 + (rng.random(n_orders) < 0.08)],
        3 + rng.binomial(5, 0.5, n_orders),
    )
    ship_day = order_day + processing
    delivered_day = ship_day + transit
    promised_day = order_day + np.array([SLA_DAYS[m] for m in SHIP_MODES])[mode]

    # Lines: products by category mix, quantities larger for cheap items and distributors.
    product = _pick(
        rng, n_lines, [3, 3, 2, 2, 1, 3, 2, 2, 1, 2, 2, 3, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 1, 2, 2]
    )
    o = order_of_line
    qty_mean = np.clip(120.0 / price[product], 1.0, 18.0) * np.where(channel[o] == 1, 2.0, 1.0)
    qty = (1 + rng.poisson(qty_mean)).astype(float)
    discount = np.where(channel[o] == 1, 0.12, rng.choice([0.0, 0.0, 0.05], n_lines))
    revenue = np.round(qty * price[product] * (1 - discount), 2)
    cost = np.round(qty * unit_cost[product] * rng.normal(1.0, 0.03, n_lines), 2)
    weight_kg = np.round(qty * weight[product], 2)
    per_kg = np.array([0.55, 1.40, 0.30])[mode[o]]
    freight = np.round(np.array([3.5, 6.0, 12.0])[mode[o]] / lpo[o] + per_kg * weight_kg, 2)

    # Orders placed on the last day of a month sometimes get lines added on the next days,
    # so their lines span two months (the order counts in the month of its earliest date).
    first_line = np.r_[True, o[1:] != o[:-1]]
    month_end = (order_day + 1).astype("datetime64[M]") != order_day.astype("datetime64[M]")
    split = month_end & (month < cal.n - 1) & (rng.random(n_orders) < 0.5)
    line_shift = np.where(split[o] & ~first_line, 1 + (rng.random(n_lines) < 0.5), 0)
    line_order_day = order_day[o] + line_shift
    line_ship = np.maximum(ship_day[o], line_order_day + 1)
    line_delivered = np.maximum(delivered_day[o], line_ship + 1)

    ship_known = line_ship <= EXPORT_DATE
    delivered_known = (line_delivered <= EXPORT_DATE) & (rng.random(n_lines) > 0.01)
    freight_known = rng.random(n_lines) > 0.005

    site_names = np.array(SITES, dtype=object)
    cust_names = _customer_names(n_customers)
    cols = {
        "order_date": _dates(line_order_day),
        "order_id": _ids("SO-", order_of_line + 100001, 7),
        "ship_date": _dates(line_ship, ~ship_known),
        "promised_date": _dates(promised_day[o]),
        "delivered_date": _dates(line_delivered, ~delivered_known),
        "site": _labels(SITES, site[o]),
        "region": _labels(REGIONS, region[o]),
        "customer": _labels(cust_names, customer[o]),
        "product": _labels([p[1] for p in PRODUCTS], product),
        "category": _labels([p[0] for p in PRODUCTS], product),
        "channel": _labels(CHANNELS, channel[o]),
        "ship_mode": _labels(SHIP_MODES, mode[o]),
        "quantity": qty,
        "revenue": revenue,
        "cost": cost,
        "profit": np.round(revenue - cost, 2),
        "freight_cost": pa.array(freight, mask=~freight_known),
        "weight_kg": weight_kg,
    }
    line_month = cal.month_of(line_order_day)
    on_time = delivered_day <= promised_day
    facts = {
        "n_orders": n_orders,
        "window_end": cal.month_start[-1] + cal.days[-1],
        "order_day": order_day,
        "order_month": month,
        "order_site": site,
        "order_late": ~on_time,
        "delivered_day": np.where(
            delivered_day <= EXPORT_DATE, delivered_day, np.datetime64("NaT")
        ),
        "line_order": o,
        "line_qty": qty,
        "line_revenue": revenue,
        "line_cost": cost,
        "line_freight": np.where(freight_known, freight, 0.0),
        "line_month": line_month,
        "site_names": site_names,
        "channel": channel,
        "segment": cust_segment[customer],
        "units_m": np.bincount(line_month, qty, cal.n),
        "revenue_m": np.bincount(line_month, revenue, cal.n),
        "cost_m": np.bincount(line_month, cost, cal.n),
        "freight_m": np.bincount(line_month, np.where(freight_known, freight, 0.0), cal.n),
        "orders_m": np.bincount(month, minlength=cal.n).astype(float),
        "late_m": np.bincount(month, ~on_time, cal.n)
        / np.maximum(1, np.bincount(month, None, cal.n)),
    }
    return cols, facts


def _returns(rng: np.random.Generator, f: dict) -> dict:
    """About 3% of delivered orders come back; late orders twice as often."""
    n = f["n_orders"]
    delivered = ~np.isnat(f["delivered_day"])
    p = np.where(f["order_late"], 0.055, 0.027)
    returned = delivered & (rng.random(n) < p)
    orders = np.flatnonzero(returned)
    return_day = f["delivered_day"][orders] + 2 + rng.integers(0, 28, orders.size)
    keep = return_day < f["window_end"]  # returns after the last month are not in this export
    orders, return_day = orders[keep], return_day[keep]
    # The first line of the order is the one returned (part or all of it).
    first_line = np.searchsorted(f["line_order"], orders)
    line_qty = f["line_qty"][first_line]
    qty = np.maximum(1.0, np.floor(line_qty * rng.uniform(0.2, 1.0, orders.size)))
    refund = np.round(f["line_revenue"][first_line] / line_qty * qty, 2)
    reason_p = np.where(f["order_late"][orders, None], [[2, 1, 1, 1, 5]], [[3, 2, 2, 2, 0.3]])
    reason = _pick_rows(rng, np.arange(orders.size), reason_p)
    return {
        "order_id": _ids("SO-", orders + 100001, 7),
        "return_date": _dates(return_day),
        "reason": _labels(RETURN_REASONS, reason),
        "quantity": qty,
        "refund": refund,
    }


def _production(rng: np.random.Generator, cal: _Calendar, n_lines: int):
    """Batches (one per line and shift run) sized in proportion to the order lines."""
    n = max(len(LINES) * cal.n, round(n_lines * 0.2))
    line = _pick(rng, n, [1.0] * len(LINES))
    site_of_line = np.array([SITES.index(s) for s, _ in LINES])
    site = site_of_line[line]
    month = _pick(rng, n, cal.weight)
    day = cal.random_days(rng, month)
    shift = _pick(rng, n, [0.4, 0.4, 0.2])
    rate = np.array([p[5] for p in PRODUCTS])
    product = rng.integers(0, len(PRODUCTS), n)
    is_lyon = site == 1
    spike = is_lyon & cal.lyon_spike[month]

    planned = np.where(shift == 2, 420.0, 450.0)
    # Idle (starved) time when demand is below capacity; downtime on top of it.
    load = np.clip(cal.load[month] + rng.normal(0, 0.03, n), 0.5, 0.99)
    # A plant catching up after breakdowns (Lyon's spike) has a backlog, so no idle time.
    idle = np.where(spike, 0.0, np.round(planned * (1 - load) * 0.6))
    down_share = np.array([0.045, 0.09, 0.055])[site] * np.where(spike, 3.0, 1.0)
    has_down = rng.random(n) < np.where(is_lyon, 0.8, 0.6)
    downtime = np.where(has_down, np.round(rng.gamma(2.0, down_share / 2.0 / 0.7, n) * planned), 0)
    downtime = np.minimum(downtime, planned - idle - 30)
    run = planned - idle - downtime
    perf = np.clip(rng.normal(np.array([0.93, 0.84, 0.9])[site], 0.03), 0.5, 1.0)
    units = np.floor(run * rate[product] * perf)
    ideal = np.round(units / rate[product], 1)
    scrap = rng.binomial(units.astype(np.int64), np.array([0.012, 0.035, 0.018])[site])
    good = units - scrap

    op_names = [name for s in SITES for name in OPERATORS[s]]
    op_first = np.cumsum([0] + [len(OPERATORS[s]) for s in SITES])
    op_count = np.array([len(OPERATORS[s]) for s in SITES])
    operator = op_first[site] + rng.integers(0, 1 << 30, n) % op_count[site]

    hours = np.array([h for _, h in SHIFTS])[shift]
    start = day.astype("datetime64[m]") + hours * 60 + rng.integers(0, 15, n)
    end = start + planned.astype(int)
    order = np.lexsort((shift, line, day))  # log order: by date, line, shift
    batch_no = np.empty(n, dtype=np.int64)
    batch_no[order] = np.arange(n) + 10001
    cols = {
        "date": _dates(day),
        "planned_minutes": planned,
        "start_time": pa.array(start.astype("datetime64[us]")),
        "end_time": pa.array(end.astype("datetime64[us]")),
        "units": units,
        "batch": _ids("B", batch_no, 6),
        "site": _labels(SITES, site),
        "line": _labels([x for _, x in LINES], line),
        "product": _labels([p[1] for p in PRODUCTS], product),
        "operator": _labels(op_names, operator),
        "shift": _labels([s for s, _ in SHIFTS], shift),
        "run_minutes": run,
        "downtime_minutes": downtime.astype(float),
        "good_units": good.astype(float),
        "scrap_units": scrap.astype(float),
        "ideal_minutes": ideal,
        "ideal_rate_per_minute": rate[product],
    }
    cols = {
        k: (v.take(pa.array(order)) if isinstance(v, pa.Array) else v[order])
        for k, v in cols.items()
    }
    return cols, {"spike": spike[order]}


def _downtime(rng: np.random.Generator, prod: dict, extra: dict) -> dict:
    """Downtime events per batch, distinct causes, minutes summing to the batch's downtime."""
    minutes = prod["downtime_minutes"].astype(np.int64)
    batches = np.flatnonzero(minutes > 0)
    total = minutes[batches]
    k = np.minimum(np.minimum(1 + rng.poisson(0.7, batches.size), 3), total)
    ev_batch = np.repeat(batches, k)
    ev_total = np.repeat(total, k)
    ev_k = np.repeat(k, k)
    ev_j = np.arange(ev_batch.size) - np.repeat(np.cumsum(k) - k, k)  # event number in batch
    # Distinct causes: first cause drawn by weight, the rest stepped by a stride coprime to 7.
    spike = extra["spike"][batches]
    weights = np.array([[3, 2, 3, 1, 1, 2, 1], [9, 1, 1, 1, 1, 2, 1]], dtype=float)
    first = _pick_rows(rng, spike.astype(int), weights)
    stride = rng.integers(1, len(CAUSES), batches.size)
    cause = (np.repeat(first, k) + ev_j * np.repeat(stride, k)) % len(CAUSES)
    # Each event gets one minute plus a random share of the rest; remainders go to event 0.
    w = rng.random(ev_batch.size) + 0.05
    starts = np.cumsum(k) - k
    w_sum = np.repeat(np.add.reduceat(w, starts), k)
    share = np.floor((ev_total - ev_k) * w / w_sum).astype(np.int64)
    spare = ev_total - ev_k - np.repeat(np.add.reduceat(share, starts), k)
    ev_minutes = 1 + share + np.where(ev_j == 0, spare, 0)
    idx = pa.array(ev_batch)
    return {
        "minutes": ev_minutes.astype(float),
        "date": prod["date"].take(idx),
        "batch": prod["batch"].take(idx),
        "site": prod["site"].take(idx),
        "line": prod["line"].take(idx),
        "cause": _labels([c[0] for c in CAUSES], cause),
        "category": _labels([c[1] for c in CAUSES], cause),
        "operator_error": np.array([c[2] for c in CAUSES])[cause],
    }


def _budget(rng: np.random.Generator, cal: _Calendar, f: dict, n_lines: int) -> dict:
    """Month x department x account; actual cost is fixed + variable x units with noise."""
    scale = n_lines / 15_000  # fixed costs grow with the size of the company simulated
    m = np.arange(cal.n)
    units = f["units_m"]
    plan_units = units[:3].mean() * 1.012**m * (cal.weight / 1.015**m)  # planned growth 1.2%
    raise_ = (
        1.0
        + 0.03 * (cal.month0 + m >= np.datetime64("2025-04"))
        + 0.03 * (cal.month0 + m >= np.datetime64("2026-04"))
    )
    agents = _agents_on_duty(cal)
    mat_rate = f["cost_m"].sum() / units.sum()
    fixed = {
        ("Operations", "Salaries"): 62_000,
        ("Operations", "Energy"): 9_000,
        ("Operations", "Maintenance"): 6_500,
        ("Logistics", "Salaries"): 24_000,
        ("Logistics", "Rent"): 11_000,
        ("Customer Service", "Salaries"): 2_700,  # per agent
        ("Customer Service", "Software"): 1_800,
        ("Sales", "Salaries"): 21_000,
        ("Sales", "Marketing"): 5_500,
        ("Admin", "Salaries"): 18_000,
        ("Admin", "Rent"): 6_000,
        ("Admin", "Software"): 2_400,
    }
    rows_month, rows_unit, rows_account, rows_kind, rows_budget, rows_actual = (
        [],
        [],
        [],
        [],
        [],
        [],
    )
    for dept, account, kind in BUDGET_LINES:
        key = (dept, account)
        if account == "Materials":
            budget = plan_units * mat_rate
            actual = f["cost_m"] * rng.normal(1.0, 0.01, cal.n)
        elif account == "Freight":
            budget = plan_units * f["freight_m"].sum() / units.sum() * 0.97
            actual = f["freight_m"].copy()
        elif account == "Sales Income":
            budget = plan_units * f["revenue_m"].sum() / units.sum()
            actual = f["revenue_m"].copy()
        elif key == ("Operations", "Energy"):
            budget = fixed[key] * scale + 0.35 * plan_units
            actual = (fixed[key] * scale + 0.38 * units) * rng.normal(1.0, 0.03, cal.n)
        elif key == ("Customer Service", "Salaries"):
            budget = np.full(cal.n, fixed[key] * 13 * scale) * raise_
            actual = fixed[key] * agents * scale * raise_ * rng.normal(1.0, 0.01, cal.n)
        else:
            budget = np.full(cal.n, fixed[key] * scale) * (raise_ if account == "Salaries" else 1)
            actual = budget * rng.normal(1.0, 0.015, cal.n)
            if key == ("Operations", "Maintenance"):
                actual = actual + cal.lyon_spike * fixed[key] * scale * 1.8  # Lyon repairs
        rows_month.append(cal.month_start)
        rows_unit += [dept] * cal.n
        rows_account += [account] * cal.n
        rows_kind += [kind] * cal.n
        rows_budget.append(np.round(budget, 2))
        rows_actual.append(np.round(actual, 2))
    actual = np.concatenate(rows_actual)
    # Two supplier credits exceed the month's spend: negative actuals, as finance posts them.
    account_arr = np.array(rows_account)
    for acc, month_i in (("Marketing", 8), ("Software", 15)):
        hit = np.flatnonzero(account_arr == acc)[month_i % cal.n]
        actual[hit] = -np.round(abs(actual[hit]) * 0.35, 2)
    line_no = np.arange(actual.size) // cal.n
    order = np.lexsort((line_no, np.concatenate(rows_month)))  # by month, then BUDGET_LINES
    return {
        "month": _dates(np.concatenate(rows_month)[order]),
        "unit": pa.array(np.array(rows_unit, dtype=object)[order]),
        "actual": actual[order],
        "account": pa.array(account_arr.astype(object)[order]),
        "kind": pa.array(np.array(rows_kind, dtype=object)[order]),
        "budget": np.concatenate(rows_budget)[order],
    }


def _agents_on_duty(cal: _Calendar) -> np.ndarray:
    """Agents working each month: 13 normally, 9 in the short-staffed peak month."""
    return np.where(cal.short_staffed, 9, np.where(cal.weight > cal.weight.mean() * 1.1, 14, 13))


def _contacts(rng: np.random.Generator, cal: _Calendar, f: dict) -> dict:
    """Contacts in proportion to orders (more when orders are late), answered by the agents on duty."""
    per_order = 0.45 + 0.8 * f["late_m"]
    expected = f["orders_m"] * per_order
    n = int(round(expected.sum()))
    month = _pick(rng, n, expected)
    day = cal.random_days(rng, month)
    opened = day.astype("datetime64[s]") + (8 * 3600 + rng.integers(0, 10 * 3600, n)).astype(
        "timedelta64[s]"
    )
    channel = _pick(rng, n, [0.5, 0.3, 0.2])
    topic = _pick_rows(
        rng,
        (f["late_m"][month] > 0.1).astype(int),
        np.array([[3, 1, 2, 2, 2, 1], [6, 1, 2, 2, 2, 1]], dtype=float),
    )

    agents = _agents_on_duty(cal)
    per_agent = expected / agents
    occupancy = np.clip(0.6 * per_agent / max(np.median(per_agent), 1e-9), 0.3, 0.92)
    asa = 15.0 * occupancy / (1 - occupancy)  # Erlang-like: waits explode near full occupancy
    wait = np.round(rng.exponential(asa[month]) * np.array([1.0, 2.5, 0.8])[channel])
    # Callers and chatters give up; emails always get answered.
    patience = rng.exponential(420.0, n)
    answered = (channel == 1) | (wait < patience)
    wait = np.where(answered, wait, np.round(np.minimum(wait, patience)))
    handle = np.round(rng.lognormal(np.log([330.0, 540.0, 450.0])[channel], 0.4))
    resolved = answered & (rng.random(n) < 0.9)
    fcr = resolved & (rng.random(n) < 0.74)
    later = np.where(fcr, 0, rng.exponential(20 * 3600, n)).astype(np.int64)
    resolved_at = opened + (wait + handle).astype(np.int64) + later
    # Agent: one of the first agents_on_duty agents of a month-specific rota.
    rota = np.argsort(rng.random((cal.n, len(AGENTS))), axis=1)
    slot = (rng.random(n) * agents[month]).astype(int)
    agent = rota[month, slot]

    p_happy = 0.95 - 0.5 * np.minimum(1.0, wait / 180.0) - 0.35 * ~resolved - 0.1 * ~fcr
    responded = answered & (rng.random(n) < 0.45)
    happy = rng.random(n) < p_happy
    csat = np.where(happy, 4 + (rng.random(n) < 0.6), 1 + rng.integers(0, 3, n)).astype(float)
    sla_met = answered & (wait <= np.array([60, 4 * 3600, 60])[channel])
    order = np.argsort(opened, kind="stable")
    return {
        "contact_date": pa.array(opened[order].astype("datetime64[us]")),
        "contact_id": _ids("T", np.arange(n) + 500001, 7),
        "resolved_at": pa.array(resolved_at[order].astype("datetime64[us]"), mask=~resolved[order]),
        "channel": _labels(CONTACT_CHANNELS, channel[order]),
        "agent": _labels(AGENTS, agent[order], mask=~answered[order]),
        "topic": _labels(TOPICS, topic[order]),
        "answered": answered[order],
        "resolved": resolved[order],
        "first_contact_resolved": fcr[order],
        "wait_seconds": wait[order],
        "handle_seconds": pa.array(handle[order], mask=~answered[order]),
        "csat": pa.array(csat[order], mask=~responded[order]),
        "sla_met": sla_met[order],
    }


def _surveys(rng: np.random.Generator, cal: _Calendar, f: dict) -> dict:
    """NPS responses from about one order in five; Lyon and late months score lower."""
    n = max(cal.n, f["n_orders"] // 5)
    src = rng.integers(0, f["n_orders"], n)  # the order the respondent placed
    month = f["order_month"][src]
    day = np.minimum(
        f["order_day"][src] + 7 + rng.integers(0, 14, n), cal.month_start[-1] + cal.days[-1] - 1
    )
    site = f["order_site"][src]
    late = f["order_late"][src]
    promoter = (
        0.58 - 0.10 * (site == 1) - 0.25 * late - 0.8 * np.maximum(0, f["late_m"][month] - 0.06)
    )
    detractor = 0.16 + 0.08 * (site == 1) + 0.25 * late
    u = rng.random(n)
    score = np.where(
        u < promoter,
        9 + (rng.random(n) < 0.45),
        np.where(
            u < promoter + detractor,
            rng.choice([2, 4, 5, 5, 6, 6, 6], n),
            7 + (rng.random(n) < 0.5),
        ),
    ).astype(float)
    return {
        "response_date": _dates(day),
        "score": score,
        "segment": _labels(SEGMENTS, f["segment"][src]),
        "site": _labels(SITES, site),
        "channel": _labels(CHANNELS, f["channel"][src]),
    }


def _targets(cal: _Calendar, f: dict, n_lines: int) -> dict:
    """The monthly plan: company-wide KPI targets, and per-site targets for on-time and OEE."""
    cost_per_unit = round(float(f["cost_m"][:6].sum() / max(f["units_m"][:6].sum(), 1.0)) * 0.98, 2)
    plan = [  # kpi, site, target, amber threshold (lower-is-better KPIs have amber above)
        ("on_time_pct", None, 95.0, 90.0),
        ("on_time_pct", "Leeds", 95.0, 90.0),
        ("on_time_pct", "Lyon", 95.0, 90.0),
        ("on_time_pct", "Leipzig", 95.0, 90.0),
        ("oee_pct", None, 75.0, 65.0),
        ("oee_pct", "Leeds", 78.0, 70.0),
        ("oee_pct", "Lyon", 72.0, 62.0),
        ("oee_pct", "Leipzig", 75.0, 65.0),
        ("csat_pct", None, 85.0, 80.0),
        ("nps", None, 30.0, 20.0),
        ("abandon_pct", None, 5.0, 8.0),
        ("cost_per_unit", None, cost_per_unit, round(cost_per_unit * 1.05, 2)),
        ("budget_variance_pct", None, 0.0, 3.0),
        ("asa_seconds", None, 60.0, 90.0),
    ]
    kpi, month, site, target, amber = [], [], [], [], []
    for k, s, t, a in plan:
        kpi += [k] * cal.n
        site += [s] * cal.n
        month.append(cal.month_start)
        # The plan tightens on-time and OEE by a point from the second year.
        step = np.where(np.arange(cal.n) >= 14, 1.0, 0.0) if k in ("on_time_pct", "oee_pct") else 0
        target.append(np.full(cal.n, t) + step)
        amber.append(np.full(cal.n, a) + step)
    return {
        "kpi": pa.array(kpi, pa.string()),
        "month": _dates(np.concatenate(month)),
        "target": np.concatenate(target).astype(float),
        "site": pa.array(site, pa.string()),
        "amber_threshold": np.concatenate(amber).astype(float),
    }


def _customer_names(n: int) -> list[str]:
    a, b, c = len(_CUSTOMER_A), len(_CUSTOMER_B), len(_CUSTOMER_C)
    names = []
    for i in range(n):
        name = f"{_CUSTOMER_A[i % a]} {_CUSTOMER_B[(i // a) % b]} {_CUSTOMER_C[(i // (a * b)) % c]}"
        if i >= a * b * c:
            name += f" {i // (a * b * c) + 1}"
        names.append(name)
    return names


def _dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype("datetime64[D]"), type=pa.date32(), mask=mask)


def _labels(names, idx: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(list(names), pa.string()).take(pa.array(idx, mask=mask))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Text ids like SO-0100001 built in Arrow (fast for millions of rows)."""
    import pyarrow.compute as pc

    digits = pc.utf8_lpad(pa.array(numbers).cast(pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


_ARROW_TYPES = {
    datasets.DATE: pa.date32(),
    datasets.TIMESTAMP: pa.timestamp("us"),
    datasets.TEXT: pa.string(),
    datasets.NUMBER: pa.float64(),
    datasets.BOOL: pa.bool_(),
}


def arrow_schema(dataset: str) -> pa.Schema:
    """The Arrow schema of a canonical dataset (no system columns)."""
    ds = datasets.get(dataset)
    return pa.schema([(c.name, _ARROW_TYPES[c.type]) for c in ds.columns])


def _conform(dataset: str, cols: dict) -> pa.Table:
    schema = arrow_schema(dataset)
    n = len(next(iter(cols.values())))
    # A column the generator does not make (a dataset's newer optional column) is empty.
    arrays = [
        pa.nulls(n, f.type)
        if f.name not in cols
        else pa.array(cols[f.name], f.type)
        if not isinstance(cols[f.name], pa.Array)
        else cols[f.name].cast(f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)
