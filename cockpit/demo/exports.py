"""The demo exports: the synthetic company's data written the way departments really export it.

Each file carries the quirks the ingest engine must handle (title blocks, merged
super-headers, synonym headers, currency text, totals rows, a wide downtime sheet, budget and
actual column pairs, day-first text dates, a BOM and CRLF CSV, a sales budget with the months
across, a service-desk ticket export with repeated rows). The bytes are deterministic:
fixed workbook properties and fixed zip entry times.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.xml.functions import tostring

from cockpit.demo import synth

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
DEMO_ORDER_LINES = 12_000
DEMO_FILES = (
    "orders_export.xlsx",
    "production_log.xlsx",
    "budget_vs_actual.xlsx",
    "contact_centre.csv",
    "customer_survey.xlsx",
    "targets_plan.xlsx",
    "sales_plan.xlsx",
    "service_desk_tickets.csv",
)
EXPORTED = dt.datetime(2026, 11, 2, 7, 30)
_ZIP_TIME = (2026, 11, 2, 7, 30, 0)
_DMY = "dd/mm/yyyy"
_MONEY = "#,##0.00"
_BOLD = Font(bold=True)

ORDER_HEADERS = (  # (export header, canonical column)
    ("Order No", "order_id"),
    ("Order Date", "order_date"),
    ("Dispatch Date", "ship_date"),
    ("Promised Date", "promised_date"),
    ("Delivered On", "delivered_date"),
    ("Ship Mode", "ship_mode"),
    ("Plant", "site"),
    ("Region", "region"),
    ("Customer", "customer"),
    ("Item", "product"),
    ("Product Group", "category"),
    ("Sales Channel", "channel"),
    ("Qty", "quantity"),
    ("Net Sales", "revenue"),
    ("Cost", "cost"),
    ("Freight", "freight_cost"),
)
ORDER_GROUPS = (("Order", 1, 2), ("Shipping", 3, 6), ("Value", 13, 16))  # 1-based columns
RUN_HEADERS = (
    ("Batch", "batch"),
    ("Date", "date"),
    ("Plant", "site"),
    ("Line", "line"),
    ("Product", "product"),
    ("Operator", "operator"),
    ("Shift", "shift"),
    ("Planned Min", "planned_minutes"),
    ("Run Min", "run_minutes"),
    ("Downtime Min", "downtime_minutes"),
    ("Units", "units"),
    ("Good", "good_units"),
    ("Scrap", "scrap_units"),
    ("Ideal Min", "ideal_minutes"),
)
BUDGET_DEPARTMENTS = ("Operations", "Logistics", "Customer Service", "Sales", "Admin")
MONTH_END_DEPARTMENT = "Admin"  # Admin accruals post at month end: "30/11/2024"


def write_demo_files(
    out_dir: Path, *, order_lines: int = DEMO_ORDER_LINES, seed: int = 7
) -> list[Path]:
    """Write the demo exports (deterministic bytes where the format allows) and return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = synth.synth_tables(order_lines, seed=seed)
    rng = np.random.default_rng(seed + 1000)  # quirks only; independent of the data draws
    writers = {
        "orders_export.xlsx": lambda: _orders_workbook(tables, rng),
        "production_log.xlsx": lambda: _production_workbook(tables),
        "budget_vs_actual.xlsx": lambda: _budget_workbook(tables["budget"]),
        "contact_centre.csv": lambda: _contacts_csv(tables["contacts"], rng),
        "customer_survey.xlsx": lambda: _survey_workbook(tables["surveys"]),
        "targets_plan.xlsx": lambda: _targets_workbook(tables["targets"]),
        "sales_plan.xlsx": lambda: _sales_plan_workbook(tables["orders"]),
        "service_desk_tickets.csv": lambda: _tickets_csv(
            tables, np.random.default_rng(seed + 2000)
        ),
    }
    paths = []
    for name in DEMO_FILES:
        made = writers[name]()
        data = made if isinstance(made, bytes) else _xlsx_bytes(made)
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def demo_uploads(demo_dir: Path = DEMO_DIR) -> list[tuple[str, bytes]]:
    """The demo exports as (file name, bytes), generated afresh when the folder lacks any."""
    if not all((demo_dir / name).is_file() for name in DEMO_FILES):
        with tempfile.TemporaryDirectory() as tmp:
            return [(p.name, p.read_bytes()) for p in write_demo_files(Path(tmp))]
    return [(name, (demo_dir / name).read_bytes()) for name in DEMO_FILES]


def seed_demo(store, *, user: str | None = None) -> object:
    """Load the demo exports through the same ingest path as any upload (marked as demo)."""
    from cockpit.ingest.pipeline import load_files

    # The demo's exports are different reports (the contact centre's calls and the service
    # desk's tickets both fill contacts for the same months): each adds, none replaces another.
    report = load_files(store, demo_uploads(), user=user, is_demo=True, replace=False)
    from cockpit.demo.owners import seed_meeting, seed_owners_and_alerts

    seed_owners_and_alerts(store, report)
    seed_meeting(store)
    return report


def _workbook() -> Workbook:
    wb = Workbook()
    wb.properties.creator = synth.COMPANY
    wb.properties.lastModifiedBy = synth.COMPANY
    wb.properties.created = EXPORTED
    wb.properties.modified = EXPORTED
    wb.remove(wb.active)
    return wb


def _xlsx_bytes(wb: Workbook) -> bytes:
    """Save, then rewrite the zip with fixed entry times so equal content gives equal bytes."""
    raw = io.BytesIO()
    wb.save(raw)  # stamps properties.modified with the current time; restored below
    wb.properties.modified = EXPORTED
    core = tostring(wb.properties.to_tree())
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            data = core if item.filename == "docProps/core.xml" else src.read(item.filename)
            dst.writestr(info, data)
    return out.getvalue()


def _title(ws, lines: list[str]) -> int:
    """Write a title block and a blank row; return the next free row."""
    for i, text in enumerate(lines, start=1):
        ws.cell(i, 1, text).font = _BOLD if i == 1 else Font(italic=True)
    return len(lines) + 2


def _header(ws, row: int, names) -> None:
    for col, name in enumerate(names, start=1):
        ws.cell(row, col, name).font = _BOLD


def _rows(table: pa.Table, columns: list[str]) -> list[tuple]:
    """Rows of `table` as Python values, in `columns` order (whole numbers as int)."""
    cols = []
    for name in columns:
        arr = table.column(name)
        if pa.types.is_floating(arr.type):
            values = arr.to_pylist()
            values = [v if v is None or v != int(v) else int(v) for v in values]
        elif pa.types.is_timestamp(arr.type) and _all_midnight(values := arr.to_pylist()):
            values = [None if v is None else v.date() for v in values]  # dates, as exported
        else:
            values = arr.to_pylist()
        cols.append(values)
    return list(zip(*cols, strict=True))


def _all_midnight(values: list) -> bool:
    return all(v is None or v.time() == dt.time() for v in values)


def _write_rows(ws, first_row: int, rows, formats: dict[int, str]) -> int:
    """Append rows from `first_row`; `formats` maps 1-based column -> number format."""
    r = first_row
    for r, row in enumerate(rows, start=first_row):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c, value)
            if c in formats and not isinstance(value, str):
                cell.number_format = formats[c]
    return r + 1 if rows else first_row


def _money_text(value: float) -> str:
    text = f"{abs(value):,.2f}"
    return f"({text})" if value < 0 else text


def _orders_workbook(tables: dict[str, pa.Table], rng: np.random.Generator) -> Workbook:
    wb = _workbook()
    ws = wb.create_sheet("Orders")
    super_row = _title(ws, [synth.COMPANY, "Sales order lines", "Exported 02/11/2026"])
    for label, c0, c1 in ORDER_GROUPS:
        ws.cell(super_row, c0, label).font = _BOLD
        ws.cell(super_row, c0).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=super_row, start_column=c0, end_row=super_row, end_column=c1)
    _header(ws, super_row + 1, [h for h, _ in ORDER_HEADERS])
    orders = tables["orders"]
    rows = [list(r) for r in _rows(orders, [c for _, c in ORDER_HEADERS])]
    # Some ERP rows carry Net Sales as currency text, as when a user pasted from a report.
    net_col = [c for _, c in ORDER_HEADERS].index("revenue")
    for i in np.flatnonzero(rng.random(len(rows)) < 0.03):
        rows[i][net_col] = f"£{rows[i][net_col]:,.2f}"
    formats = {2: _DMY, 3: _DMY, 4: _DMY, 5: _DMY, 14: _MONEY, 15: _MONEY, 16: _MONEY}
    total_row = _write_rows(ws, super_row + 2, rows, formats)
    ws.cell(total_row, 1, "Total").font = _BOLD
    for col, name in ((13, "quantity"), (14, "revenue"), (15, "cost"), (16, "freight_cost")):
        total = round(float(pc.sum(orders.column(name)).as_py()), 2)
        cell = ws.cell(total_row, col, total)
        cell.number_format = _MONEY
        cell.font = _BOLD
    ws.freeze_panes = ws.cell(super_row + 2, 1)

    returns = tables["returns"].sort_by([("return_date", "ascending"), ("order_id", "ascending")])
    wr = wb.create_sheet("Returns")
    _header(wr, 1, ["Order No", "Return Date", "Reason", "Qty Returned", "Refund"])
    cols = ["order_id", "return_date", "reason", "quantity", "refund"]
    _write_rows(wr, 2, _rows(returns, cols), {2: _DMY, 5: _MONEY})

    notes = wb.create_sheet("Notes")
    for i, line in enumerate(ORDER_NOTES, start=1):
        notes.cell(i, 1, line)
    return wb


ORDER_NOTES = (
    "About this export",
    "This report lists every sales order line entered in the ERP for the period shown, one "
    "row per line. An order can have several lines and lines added after the order date.",
    "Net Sales is after discount and excludes VAT. Some rows pasted from the legacy report "
    "show Net Sales as text with a pound sign; the amounts are the same.",
    "Dispatch Date and Delivered On are blank where the order had not shipped or no proof of "
    "delivery had been received when the report was run.",
    "Freight is the carrier charge allocated to the line; blank where the invoice is pending.",
    "The Total row at the bottom sums Qty, Net Sales, Cost and Freight over all lines.",
)


def _production_workbook(tables: dict[str, pa.Table]) -> Workbook:
    wb = _workbook()
    runs = wb.create_sheet("Runs")
    _header(runs, 1, [h for h, _ in RUN_HEADERS])
    _write_rows(runs, 2, _rows(tables["production"], [c for _, c in RUN_HEADERS]), {2: _DMY})

    wide = wb.create_sheet("Downtime by cause")
    causes = [c[0] for c in synth.CAUSES]
    _header(wide, 1, ["Batch", *causes])
    down = tables["downtime"]
    batch = down.column("batch").to_pylist()
    cause = down.column("cause").to_pylist()
    minutes = down.column("minutes").to_pylist()
    per_batch: dict[str, dict[str, float]] = {}
    for b, c, m in zip(batch, cause, minutes, strict=True):
        cell = per_batch.setdefault(b, {})
        cell[c] = cell.get(c, 0) + m
    rows = [
        (b, *(int(per_batch[b][c]) if c in per_batch[b] else None for c in causes))
        for b in sorted(per_batch)
    ]
    _write_rows(wide, 2, rows, {})

    lookup = wb.create_sheet("Causes")
    _header(lookup, 1, ["Cause", "Category", "Operator Error"])
    _write_rows(lookup, 2, [(c, cat, "Y" if err else "N") for c, cat, err in synth.CAUSES], {})

    readme = wb.create_sheet("Read me")
    for i, line in enumerate(PRODUCTION_NOTES, start=1):
        readme.cell(i, 1, line)
    return wb


PRODUCTION_NOTES = (
    "MES production log",
    "Runs: one row per batch (a line running one product for one shift). Planned Min is the "
    "scheduled time, Run Min the time the line was producing; the rest is idle or downtime.",
    "Ideal Min is the time the batch's units would take at the line's rated speed.",
    "Downtime by cause: minutes lost per batch, one column per cause; a blank cell means no "
    "downtime of that cause.",
    "Causes: the category of each cause and whether it counts as an operator error.",
)


def _budget_workbook(budget: pa.Table) -> Workbook:
    wb = _workbook()
    ws = wb.create_sheet("Budget vs Actual")
    header_row = _title(ws, [synth.COMPANY, "Budget vs actual by department", "Amounts in GBP"])
    accounts = list(dict.fromkeys(budget.column("account").to_pylist()))
    _header(
        ws,
        header_row,
        [
            "Month",
            "Department",
            *(f"{a}_{part}" for a in accounts for part in ("Budget", "Actual")),
        ],
    )
    cells: dict[tuple, dict[str, tuple[float, float]]] = {}
    for month, unit, account, b, a in zip(
        *(budget.column(c).to_pylist() for c in ("month", "unit", "account", "budget", "actual")),
        strict=True,
    ):
        cells.setdefault((month, unit), {})[account] = (b, a)
    totals = np.zeros(2 * len(accounts))
    r = header_row
    for month in sorted({m for m, _ in cells}):
        for dept in BUDGET_DEPARTMENTS:
            if (month, dept) not in cells:
                continue
            r += 1
            day = _month_end(month) if dept == MONTH_END_DEPARTMENT else month
            ws.cell(r, 1, day.strftime("%d/%m/%Y"))
            ws.cell(r, 2, dept)
            for i, account in enumerate(accounts):
                pair = cells[(month, dept)].get(account)
                if pair is None:
                    continue  # the department has no such account: blank pair
                for j, value in enumerate(pair):
                    totals[2 * i + j] += value
                    # Finance shows credits in parentheses, as text.
                    cell = ws.cell(r, 3 + 2 * i + j, _money_text(value) if value < 0 else value)
                    cell.number_format = _MONEY
    r += 1
    ws.cell(r, 1, "Grand Total").font = _BOLD
    for i, value in enumerate(totals):
        cell = ws.cell(r, 3 + i, round(float(value), 2))
        cell.number_format = _MONEY
        cell.font = _BOLD
    return wb


def _month_end(day: dt.date) -> dt.date:
    nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


CONTACT_HEADERS = (
    "Ticket ID",
    "Opened",
    "Closed",
    "Channel",
    "Agent",
    "Topic",
    "Answered",
    "Resolved",
    "FCR",
    "Wait (s)",
    "Handle Time (s)",
    "CSAT",
    "Within SLA",
)


def _contacts_csv(contacts: pa.Table, rng: np.random.Generator) -> bytes:
    """UTF-8 with BOM, CRLF; Y/N, Yes/No and TRUE/FALSE booleans; "N/A" CSAT on abandoned calls."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(CONTACT_HEADERS)
    cols = [
        "contact_id",
        "contact_date",
        "resolved_at",
        "channel",
        "agent",
        "topic",
        "answered",
        "resolved",
        "first_contact_resolved",
        "wait_seconds",
        "handle_seconds",
        "csat",
        "sla_met",
    ]
    na_for_abandoned = rng.random(contacts.num_rows) < 0.5
    for i, row in enumerate(_rows(contacts, cols)):
        cid, opened, closed, chan, agent, topic, ans, res, fcr, wait, handle, csat, sla = row
        out.writerow(
            [
                cid,
                opened.strftime("%Y-%m-%d %H:%M:%S"),
                closed.strftime("%Y-%m-%d %H:%M:%S") if closed else "",
                chan,
                agent or "",
                topic,
                "Y" if ans else "N",
                "Yes" if res else "No",
                "TRUE" if fcr else "FALSE",
                wait,
                "" if handle is None else handle,
                "N/A" if csat is None and not ans and na_for_abandoned[i] else (csat or ""),
                "Y" if sla else "N",
            ]
        )
    return buf.getvalue().encode("utf-8-sig")


def _survey_workbook(surveys: pa.Table) -> Workbook:
    wb = _workbook()
    ws = wb.create_sheet("Responses")
    header_row = _title(
        ws,
        [
            "Customer survey export - NPS",
            "Question: How likely are you to recommend Northwind Components to a colleague? (0-10)",
        ],
    )
    _header(
        ws, header_row, ["Response Date", "Likelihood to recommend", "Segment", "Site", "Channel"]
    )
    surveys = surveys.sort_by("response_date")
    cols = ["response_date", "score", "segment", "site", "channel"]
    _write_rows(ws, header_row + 1, _rows(surveys, cols), {1: _DMY})
    return wb


def _targets_workbook(targets: pa.Table) -> Workbook:
    wb = _workbook()
    ws = wb.create_sheet("Plan")
    _header(ws, 1, ["KPI", "Month", "Site", "Target", "Amber Threshold"])
    cols = ["kpi", "month", "site", "target", "amber_threshold"]
    _write_rows(ws, 2, _rows(targets, cols), {2: "mmm yyyy"})
    return wb


SALES_PLAN_TITLE = "Northwind Components — sales budget by site"
SALES_PLAN_UPLIFT = 1.03  # the budget asks for 3% above the smoothed run rate


def sales_budget(orders: pa.Table) -> dict[tuple[str, dt.date], int]:
    """(site, month) -> budgeted revenue: each site's monthly revenue smoothed over three
    months (two at the ends), times the uplift, rounded to the nearest 1,000."""
    revenue: dict[tuple[str, dt.date], float] = {}
    for day, site, value in zip(
        *(orders.column(c).to_pylist() for c in ("order_date", "site", "revenue")), strict=True
    ):
        key = (site, day.replace(day=1))
        revenue[key] = revenue.get(key, 0.0) + (value or 0.0)
    months = sorted({m for _, m in revenue})
    out = {}
    for site in synth.SITES:
        series = [revenue.get((site, m), 0.0) for m in months]
        for i, month in enumerate(months):
            window = series[max(0, i - 1) : i + 2]
            out[(site, month)] = int(round(sum(window) / len(window) * SALES_PLAN_UPLIFT, -3))
    return out


def _sales_plan_workbook(orders: pa.Table) -> Workbook:
    """Months across: a row per site, a real date cell per month shown 'Nov-24', a Total
    column and a Total row (neither is a month or a site)."""
    wb = _workbook()
    ws = wb.create_sheet("Sales budget")
    header_row = _title(ws, [SALES_PLAN_TITLE])
    budget = sales_budget(orders)
    months = sorted({m for _, m in budget})
    ws.cell(header_row, 1, "Site").font = _BOLD
    for j, month in enumerate(months, start=2):
        cell = ws.cell(header_row, j, dt.datetime(month.year, month.month, 1))
        cell.number_format = "mmm-yy"
        cell.font = _BOLD
    total_col = len(months) + 2
    ws.cell(header_row, total_col, "Total").font = _BOLD
    col_totals = [0] * len(months)
    r = header_row
    for r, site in enumerate(synth.SITES, start=header_row + 1):
        ws.cell(r, 1, site)
        for j, month in enumerate(months):
            value = budget[(site, month)]
            col_totals[j] += value
            ws.cell(r, j + 2, value).number_format = "#,##0"
        ws.cell(r, total_col, sum(budget[(site, m)] for m in months)).number_format = "#,##0"
    r += 1
    ws.cell(r, 1, "Total").font = _BOLD
    for j, value in enumerate([*col_totals, sum(col_totals)], start=2):
        cell = ws.cell(r, j, value)
        cell.number_format = "#,##0"
        cell.font = _BOLD
    ws.column_dimensions["A"].width = 12
    return wb


TICKET_HEADERS = (
    "Ticket Number",
    "Date Created",
    "Subject",
    "From",
    "Priority",
    "Department",
    "Help Topic",
    "Source",
    "Current Status",
    "Last Updated",
    "Due Date",
    "Overdue",
    "Answered",
    "Agent Assigned",
    "Close Date",
)
TICKETS_PER_CONTACT = 0.18  # web-form and email tickets beside the calls and chats
TICKET_SLA_HOURS = {"High": 24, "Normal": 48, "Low": 72}
TICKET_REPEATS = 2  # exports across pages list a couple of tickets twice
_STAMP = "%Y-%m-%d %H:%M"


def _tickets_csv(tables: dict[str, pa.Table], rng: np.random.Generator) -> bytes:
    """osTicket's ticket export: 0/1 Overdue and Answered, a status word, a due date; the
    tickets follow the contact centre's monthly volume, agents and topics; slower (more
    overdue) when the centre is short of agents; tickets still open at export are blank in
    Close Date; two tickets listed twice, as paged exports do."""
    contacts = tables["contacts"]
    opened = contacts.column("contact_date").to_pylist()
    agents_of = contacts.column("agent").to_pylist()
    by_month: dict[dt.date, list[str]] = {}
    for when, agent in zip(opened, agents_of, strict=True):
        on_duty = by_month.setdefault(when.date().replace(day=1), [])
        if agent and agent not in on_duty:
            on_duty.append(agent)
    months = sorted(by_month)
    volume = {m: 0 for m in months}
    for when in opened:
        volume[when.date().replace(day=1)] += 1
    customers = sorted(set(tables["orders"].column("customer").to_pylist()))
    short = {m for m in months if len(by_month[m]) < 12}  # the short-staffed month(s)
    end = EXPORTED
    rows = []
    number = 100001
    for month in months:
        n = int(round(volume[month] * TICKETS_PER_CONTACT))
        nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        days = (nxt - month).days
        starts = sorted(
            dt.datetime(month.year, month.month, 1) + dt.timedelta(days=int(d), minutes=int(mi))
            for d, mi in zip(
                rng.integers(0, days, n), rng.integers(7 * 60, 19 * 60, n), strict=True
            )
        )
        slow = 1.8 if month in short else 1.0
        for created in starts:
            priority = ("Normal", "High", "Low")[int(_pick_one(rng, [0.7, 0.2, 0.1]))]
            due = created + dt.timedelta(hours=TICKET_SLA_HOURS[priority])
            # Most tickets close within a day; about one in twelve waits on the customer for
            # days; most of the last week's were still open when the export ran.
            scale = 60.0 if rng.random() < 0.08 else 9.0
            hours = rng.exponential(scale * slow)
            closed = created + dt.timedelta(minutes=int(30 + hours * 60))
            if end - created < dt.timedelta(days=6) and rng.random() < 0.6:
                closed = end + dt.timedelta(days=1)
            topic = synth.TOPICS[int(rng.integers(0, len(synth.TOPICS)))]
            customer = customers[int(rng.integers(0, len(customers)))]
            agent = by_month[month][int(rng.integers(0, len(by_month[month])))]
            still_open = closed > end
            status = "Open" if still_open else ("Closed" if rng.random() < 0.8 else "Resolved")
            overdue = (end if still_open else closed) > due
            updated = end - dt.timedelta(hours=int(rng.integers(2, 30))) if still_open else closed
            updated = max(updated, created + dt.timedelta(minutes=5))
            rows.append(
                [
                    str(number),
                    created.strftime(_STAMP),
                    f"{topic} - {customer}",
                    customer,
                    priority,
                    "Customer Service",
                    topic,
                    "Web" if rng.random() < 0.65 else "Email",
                    status,
                    updated.strftime(_STAMP),
                    due.strftime(_STAMP),
                    int(overdue),
                    1,  # an agent has replied to every ticket, open ones included
                    agent,
                    "" if still_open else closed.strftime(_STAMP),
                ]
            )
            number += 1
    for i in sorted(rng.choice(len(rows), TICKET_REPEATS, replace=False), reverse=True):
        rows.insert(int(i) + 1, list(rows[int(i)]))
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(TICKET_HEADERS)
    out.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _pick_one(rng: np.random.Generator, p) -> int:
    return int(np.searchsorted(np.cumsum(p), rng.random() * sum(p), side="right"))


if __name__ == "__main__":
    for written in write_demo_files(DEMO_DIR):
        print(written)
