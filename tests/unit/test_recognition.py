"""Recognition on real-world layouts, never on a guess.

Each fixture copies the header set of a public export or a widely shared analyst workbook
(the columns as published; the rows are made up, a handful each):
- Microsoft's Power BI "Financial Sample" (aggregated sales by product and month);
- Maven Analytics' "Manufacturing Line Productivity" (runs with Start/End Time and a batch);
- a personal-finance transactions list (Date, Category, Amount) as budgeting apps export it;
- the UCI "Productivity Prediction of Garment Employees" team-day log;
- a project budget with income and expense budget/actual pairs per Project_ID;
- PwC's call-centre dashboard data (Date and Time apart, AvgTalkDuration as h:mm:ss);
- the Superstore "Returns" sheet (Returned, Order ID; no return date);
- the same layouts in Spanish, French and German.
"""

from __future__ import annotations

import datetime as dt

import pytest
from workbooks import text, xlsx

from cockpit.ingest.header_words import words
from cockpit.ingest.pipeline import prepare_file

D = dt.date


def prepare(store, data: bytes | str, name: str):
    data = data.encode() if isinstance(data, str) else data
    prepared = prepare_file(store, data, name)
    assert prepared.error is None, prepared.error
    return {s.raw.sheet: s for s in prepared.sheets}


def only(store, data, name):
    (sheet,) = prepare(store, data, name).values()
    return sheet


# --------------------------------------------------------------------------------------
# header words


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("BookingID_Date", "booking id date"),
        ("shipDate", "ship date"),
        ("Ship.Date", "ship date"),
        ("  Ship Date  ", "ship date"),
        ("Wait (s)", "wait"),
        ("17. How would you rate the service?", "how would you rate service"),
        ("Fecha de pedido", "date order"),
        ("Date de commande", "date order"),
        ("Bestelldatum", "bestelldatum"),  # compounds are not split; 'Datum' alone is
        ("Datum", "date"),
        ("Data do pedido", "date order"),
        ("Data dell'ordine", "date order"),
        ("Región", "region"),
        ("Nombre de trains annulés", "number trains cancelled"),
        ("Centro de Coste", "cost centre"),
        ("Chiffre d'affaires", "revenue"),
    ],
)
def test_header_words_in_any_spelling_and_language(header, expected):
    assert words(header) == expected


# --------------------------------------------------------------------------------------
# loads by itself only on evidence


def test_aggregated_monthly_sales_is_orders_not_downtime(store):
    rows = [["Segment", "Country", "Product", "Discount Band", "Units Sold",
             "Manufacturing Price", "Sale Price", "Gross Sales", "Discounts", "Sales", "COGS",
             "Profit", "Date", "Month Number", "Month Name", "Year"]]  # fmt: skip
    for i in range(6):
        rows.append(["Government", "Canada", "Carretera", "None", 1618.5 + i, 3, 20,
                     32370 + i, 0, 32370 + i, 16185, 16185 + i, D(2014, 1 + i, 1), 1 + i,
                     "January", 2014])  # fmt: skip
    sheet = only(store, xlsx({"Sheet1": rows}), "Financial Sample.xlsx")
    assert (sheet.status, sheet.mapping.dataset) == ("ready", "orders")
    assert sheet.mapping.columns["order_date"] == "Date"
    assert sheet.mapping.columns["quantity"] == "Units Sold"
    assert sheet.mapping.columns["revenue"] == "Sales"
    assert sheet.mapping.columns["cost"] == "COGS"
    assert "order_id" not in sheet.mapping.columns


def test_production_runs_with_start_and_end_times_are_production(store):
    rows = [["Date", "Product", "Batch", "Operator", "Start Time", "End Time"],
            [D(2024, 8, 29), "CO-600", 422111, "Charlie", dt.time(11, 50), dt.time(14, 5)],
            [D(2024, 8, 29), "CO-600", 422112, "Charlie", dt.time(14, 5), dt.time(15, 57)],
            [D(2024, 8, 29), "OR-600", 422113, "Dennis", dt.time(23, 10), dt.time(1, 40)],
            [D(2024, 8, 30), "LE-600", 422114, "Dee", dt.time(8, 0), dt.time(9, 15)]]  # fmt: skip
    products = [["Product", "Flavor", "Size", "Min batch time"], ["CO-600", "Cola", 600, 60],
                ["OR-600", "Orange", 600, 60], ["LE-600", "Lemon Lime", 600, 60]]  # fmt: skip
    book = xlsx({"Line productivity": rows, "Products": products})
    sheets = prepare(store, book, "line.xlsx")
    sheet = sheets["Line productivity"]
    assert (sheet.status, sheet.mapping.dataset) == ("ready", "production")
    # The product lookup's minimum batch time is each run's ideal time: performance, OEE.
    assert sheet.rows.column("ideal_minutes").to_pylist() == [60.0] * 4
    assert sheets["Products"].status == "raw-only"
    assert sheet.mapping.combine == {"start_time": "Date", "end_time": "Date"}
    got = sheet.rows.to_pydict()
    assert got["start_time"][0] == dt.datetime(2024, 8, 29, 11, 50)
    # 23:10 to 01:40 runs across midnight: 150 minutes, not minus 1,290.
    assert got["planned_minutes"] == [135.0, 112.0, 150.0, 75.0]


def test_personal_finance_transactions_are_never_contacts(store):
    rows = [["Date", "Description", "Category", "Amount", "Account Name"]]
    rows += [[D(2018, 1, 1 + i), f"Shop {i}", "Groceries", 12.5 * (i + 1), "Checking"]
             for i in range(8)]  # fmt: skip
    sheet = only(store, text(rows), "personal_transactions.csv")
    assert sheet.status in ("held", "raw-only")
    assert sheet.mapping.dataset != "contacts"


def test_garment_team_day_log_is_not_unpivoted_as_downtime(store):
    header = ["date", "quarter", "department", "day", "team", "targeted_productivity", "smv",
              "wip", "over_time", "incentive", "idle_time", "idle_men", "no_of_style_change",
              "no_of_workers", "actual_productivity"]  # fmt: skip
    rows = [header] + [[D(2015, 1, 1 + i), "Quarter1", "sweing", "Thursday", 1 + i % 3, 0.8,
                        26.16, 1108, 7080, 98, 0, 0, 0, 59, 0.94] for i in range(8)]  # fmt: skip
    sheet = only(store, text(rows), "garments_worker_productivity.csv")
    assert sheet.status != "ready" or sheet.mapping.dataset not in ("downtime", "contacts")
    assert sheet.mapping.unpivot is None


def test_project_budget_pairs_take_the_project_id_as_unit(store):
    rows = [["Project_ID", "Month", "Income_Budget", "Income_Actual", "Expense_Budget",
             "Expense_Actual"],
            ["P-001", D(2023, 1, 1), 5000, 5200, 3000, 3100],
            ["P-002", D(2023, 1, 1), 8000, 7600, 6000, 6400],
            ["P-001", D(2023, 2, 1), 5000, 4900, 3000, 2900]]  # fmt: skip
    sheet = only(store, xlsx({"Projects": rows}), "project_budget.xlsx")
    assert (sheet.status, sheet.mapping.dataset) == ("ready", "budget")
    assert sheet.mapping.columns["unit"] == "Project_ID"
    got = sheet.rows.to_pydict()
    kinds = dict(zip(got["account"], got["kind"], strict=False))
    assert kinds == {"Income": "income", "Expense": "cost"}


def test_call_centre_date_and_time_become_one_timestamp(store):
    rows = [["Call Id", "Agent", "Date", "Time", "Topic", "Answered (Y/N)", "Resolved",
             "Speed of answer in seconds", "AvgTalkDuration", "Satisfaction rating"],
            ["ID0001", "Diane", "2021-01-01", "9:12:58", "Contract related", "Y", "Y", 109,
             "0:02:23", 3],
            ["ID0002", "Becky", "2021-01-01", "9:12:58", "Technical Support", "Y", "N", 70,
             "0:04:02", 3],
            ["ID0003", "Stewart", "2021-01-01", "9:47:31", "Payment related", "Y", "Y", 10,
             "0:02:11", 3],
            ["ID0004", "Greg", "2021-01-01", "9:47:31", "Contract related", "N", "N", None,
             None, None]]  # fmt: skip
    sheet = only(store, text(rows), "call_centre.csv")
    assert (sheet.status, sheet.mapping.dataset) == ("ready", "contacts")
    assert sheet.mapping.columns["handle_seconds"] == "AvgTalkDuration"
    assert sheet.mapping.columns["wait_seconds"] == "Speed of answer in seconds"
    got = sheet.rows.to_pydict()
    assert got["contact_date"][:2] == [dt.datetime(2021, 1, 1, 9, 12, 58)] * 2
    assert got["handle_seconds"][:3] == [143.0, 242.0, 131.0]
    assert got["answered"] == [True, True, True, False]


def test_returns_without_a_return_date_load_as_returns(store):
    rows = [["Returned", "Order ID"], ["Yes", "CA-2016-152156"], ["Yes", "CA-2016-138688"],
            ["Yes", "US-2015-108966"]]  # fmt: skip
    sheet = prepare(store, xlsx({"Returns": rows}), "Superstore.xlsx")["Returns"]
    assert (sheet.status, sheet.mapping.dataset) == ("ready", "returns")
    assert sheet.rows.num_rows == 3


def test_a_lone_date_and_one_number_is_never_enough(store):
    rows = [["Date", "Value"]] + [[f"2024-01-{1 + i:02d}", 10 + i] for i in range(10)]
    sheet = only(store, text(rows), "export.csv")
    assert sheet.status in ("held", "raw-only")


def test_downtime_minutes_beyond_a_day_are_held(store):
    rows = [["Date", "Line", "Stop reason", "Downtime minutes"]]
    rows += [[f"2024-01-{1 + i:02d}", "L1", "Jam", 5000 + i] for i in range(10)]
    sheet = only(store, text(rows), "stops.csv")
    assert (sheet.status, sheet.mapping.dataset) == ("held", "downtime")
    assert any("within a day" in h for h in sheet.mapping.held)


def test_spanish_french_and_german_orders_exports(store):
    es = [
        ["Fecha de pedido", "Nº de pedido", "Cliente", "Cantidad", "Importe"],
        ["2024-03-01", "P-1", "Ana", 2, 20.0],
        ["2024-03-02", "P-2", "Luis", 1, 12.5],
    ]
    fr = [
        ["Date de commande", "N° de commande", "Client", "Quantité", "Montant"],
        ["2024-03-01", "C-1", "Marie", 2, 20.0],
        ["2024-03-02", "C-2", "Paul", 1, 12.5],
    ]
    de = [
        ["Datum", "Bestellnummer", "Kunde", "Menge", "Umsatz"],
        ["2024-03-01", "B-1", "Jonas", 2, 20.0],
        ["2024-03-02", "B-2", "Mia", 1, 12.5],
    ]
    for rows, name in ((es, "pedidos.csv"), (fr, "commandes.csv"), (de, "bestellungen.csv")):
        sheet = only(store, text(rows, ";"), name)
        assert (sheet.status, sheet.mapping.dataset) == ("ready", "orders"), name
        assert set(sheet.mapping.columns) >= {"order_date", "customer", "quantity", "revenue"}


# --------------------------------------------------------------------------------------
# service-desk ticket exports (column names as each tool exports them)


def test_osticket_export_is_contacts_with_sla_from_the_overdue_flag(store):
    # osTicket's ticket export: 'Overdue' and 'Answered' are 0/1, 'Current Status' a word.
    rows = [["Ticket Number", "Date Created", "Subject", "From", "Priority", "Department",
             "Help Topic", "Source", "Current Status", "Last Updated", "Due Date", "Overdue",
             "Answered", "Agent Assigned", "Close Date"],
            ["100001", "2024-03-01 09:00", "VPN", "Ann", "Normal", "IT", "Access", "Email",
             "Closed", "2024-03-02 10:00", "2024-03-03 09:00", 0, 1, "Bob",
             "2024-03-02 10:00"],
            ["100002", "2024-03-01 11:00", "Printer", "Cy", "High", "IT", "Hardware", "Phone",
             "Open", "2024-03-05 10:00", "2024-03-02 11:00", 1, 1, "Bob", None],
            ["100002", "2024-03-01 11:00", "Printer", "Cy", "High", "IT", "Hardware", "Phone",
             "Open", "2024-03-05 10:00", "2024-03-02 11:00", 1, 1, "Bob", None],
            ["100003", "2024-03-04 08:30", "Laptop", "Di", "Low", "IT", "Hardware", "Web",
             "Resolved", "2024-03-04 12:00", "2024-03-06 08:30", 0, 0, "Eve",
             "2024-03-04 12:00"]]  # fmt: skip
    sheet = only(store, text(rows), "osticket-tickets-2024-03.csv")
    assert (sheet.status, sheet.mapping.dataset) == ("ready", "contacts")
    assert sheet.mapping.columns["contact_id"] == "Ticket Number"
    assert sheet.mapping.columns["sla_met"] == "Overdue"
    assert "answered" not in sheet.mapping.columns  # a reply to a ticket is not a call picked up
    # The help topic, not the free-text subject line, is the topic.
    assert sheet.mapping.columns["topic"] == "Help Topic"
    got = sheet.rows.to_pydict()
    # The export listed ticket 100002 twice: dropped once, and said.
    assert got["contact_id"] == ["100001", "100002", "100003"]
    assert any("1 repeated rows dropped" in w for w in sheet.warnings)
    assert got["sla_met"] == [True, False, True]  # not overdue = SLA met
    assert got["resolved"] == [True, False, True]
    assert got["resolved_at"][0] == dt.datetime(2024, 3, 2, 10)


def test_jira_service_management_sla_from_the_due_date(store):
    rows = [["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority",
             "Assignee", "Reporter", "Created", "Updated", "Resolved", "Due date"],
            ["Cannot log in", "SD-1", 10001, "Service request", "Done", "High", "Ann", "Bo",
             "2024-05-02 09:15", "2024-05-03 10:00", "2024-05-03 10:00", "2024-05-04"],
            ["Broken link", "SD-2", 10002, "Incident", "Done", "Low", "Ann", "Cy",
             "2024-05-02 11:00", "2024-05-09 16:00", "2024-05-09 16:00", "2024-05-06"],
            ["New laptop", "SD-3", 10003, "Service request", "In Progress", "Medium", "Dee",
             "Cy", "2024-05-06 08:00", "2024-05-07 08:00", None, "2024-05-10"]]  # fmt: skip
    sheet = only(store, text(rows), "jira.csv")
    assert (sheet.status, sheet.mapping.dataset) == ("ready", "contacts")
    assert sheet.mapping.columns["contact_id"] == "Issue key"
    assert sheet.mapping.due == {"sla_met": "Due date"}
    got = sheet.rows.to_pydict()
    assert got["resolved"] == [True, True, False]
    assert got["sla_met"] == [True, False, None]  # resolved by the due date; open: unknown


# --------------------------------------------------------------------------------------
# months across the columns, and a transactions list beside the budget


def test_budget_with_months_across_and_its_transactions_as_actuals(store):
    # A household/small-business budget workbook as budgeting templates lay it out: a
    # 'Budget' sheet with a row per category and Jan..Dec across, a 'Transactions' sheet.
    budget = [["Household budget 2024"], [None],
              ["Category", "Jan", "Feb", "Mar", "Total"],
              ["Income:", None, None, None, None],
              ["Salary", 3000, 3000, 3000, 9000],
              ["Expenses:", None, None, None, None],
              ["Groceries", 400, 400, 450, 1250],
              ["Rent", 1200, 1200, 1200, 3600],
              ["Total expenses", 1600, 1600, 1650, 4850]]  # fmt: skip
    transactions = [["Date", "Description", "Category", "Amount"],
                    [D(2024, 1, 3), "Market", "Groceries", 120.5],
                    [D(2024, 1, 20), "Market", "Groceries", 80.0],
                    [D(2024, 1, 1), "Landlord", "Rent", 1200.0],
                    [D(2024, 2, 2), "Market", "Groceries", 99.5],
                    [D(2024, 2, 25), "Employer", "Salary", 3000.0]]  # fmt: skip
    sheets = prepare(store, xlsx({"Budget": budget, "Transactions": transactions}), "home.xlsx")
    b = sheets["Budget"]
    assert (b.status, b.mapping.dataset, b.mapping.shape) == ("ready", "budget", "months across")
    got = b.rows.to_pydict()
    assert sum(v for v in got["budget"] if v) == 9000 + 1250 + 3600  # no total rows, no Total
    assert dict(zip(got["account"], got["kind"], strict=True))["Salary"] == "income"
    t = sheets["Transactions"]
    assert (t.status, t.mapping.dataset) == ("ready", "budget")
    actual = {(m.month, a): v for m, a, v in zip(*t.rows.select(["month", "account", "actual"])
                                                   .to_pydict().values(), strict=True)}  # fmt: skip
    assert actual[(1, "Groceries")] == 200.5 and actual[(2, "Groceries")] == 99.5
    assert actual[(1, "Rent")] == 1200.0 and actual[(2, "Salary")] == 3000.0


def test_maven_line_productivity_workbook_loads_whole(store):
    # Maven Analytics' "Manufacturing Line Productivity": runs, a product lookup, downtime
    # per batch with factors numbered 1..12 under a merged "Downtime factor" super-header,
    # and the factors lookup (code -> description, operator error).
    T = dt.time
    runs = [["Date", "Product", "Batch", "Operator", "Start Time", "End Time"],
            [D(2024, 8, 29), "CO-600", 422111, "Charlie", T(11, 50), T(14, 5)],
            [D(2024, 8, 29), "OR-600", 422113, "Dennis", T(23, 10), T(1, 40)],
            [D(2024, 8, 30), "LE-600", 422114, "Dee", T(8, 0), T(9, 15)]]  # fmt: skip
    products = [["Product", "Flavor", "Size", "Min batch time"], ["CO-600", "Cola", 600, 60],
                ["OR-600", "Orange", 600, 60], ["LE-600", "Lemon Lime", 600, 60]]  # fmt: skip
    down = [[None, "Downtime factor"] + [None] * 11, ["Batch", *range(1, 13)],
            [422111, None, 60, *[None] * 8, 15, None],
            [422113, None, None, 20, *[None] * 9],
            [422114, None, None, None, None, 15, *[None] * 7]]  # fmt: skip
    factors = [["Factor", "Description", "Operator Error"], [1, "Emergency stop", "No"],
               [2, "Batch change", "Yes"], [3, "Labeling error", "Yes"],
               [4, "Inventory shortage", "No"], [5, "Product spill", "Yes"],
               *[[i, f"Factor {i}", "No"] for i in range(6, 13)]]  # fmt: skip
    book = xlsx({"Line productivity": runs, "Products": products, "Line downtime": down,
                 "Downtime factors": factors}, merges={"Line downtime": ["B1:M1"]})  # fmt: skip
    sheets = prepare(store, book, "Manufacturing_Line_Productivity.xlsx")
    assert sheets["Line productivity"].mapping.dataset == "production"
    dt_sheet = sheets["Line downtime"]
    assert (dt_sheet.status, dt_sheet.mapping.dataset) == ("ready", "downtime")
    got = dt_sheet.rows.to_pydict()
    by_cause = dict(zip(got["cause"], got["minutes"], strict=True))
    assert by_cause == {"Batch change": 60.0, "Factor 11": 15.0, "Labeling error": 20.0,
                        "Product spill": 15.0}  # fmt: skip
    assert sum(got["minutes"]) == 110.0
    errors = dict(zip(got["cause"], got["operator_error"], strict=True))
    assert errors["Batch change"] is True and errors["Factor 11"] is False
    # Dates come from the production runs of the same batch.
    assert set(zip(got["batch"], got["date"], strict=True)) == {
        ("422111", D(2024, 8, 29)),
        ("422113", D(2024, 8, 29)),
        ("422114", D(2024, 8, 30)),
    }
    assert sheets["Downtime factors"].status == "raw-only"
