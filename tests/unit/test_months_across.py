"""months_across: budgets and sales targets with the months across the columns, unpivoted.

Layouts are built from public templates and exports (each cited where it is used); the
expected figures are the cells written here, summed by hand.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from shared_files import needs_realdata
from workbooks import xlsx

from cockpit.ingest.detect_sheet import analyse_sheet
from cockpit.ingest.months_across import (
    account_key,
    actuals_from_transactions,
    detect,
    parse_month_header,
)
from cockpit.ingest.read import read_file
from cockpit.ingest.typed import typed_sheet

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    yield c
    c.close()


def sheets(con, data: bytes, name: str) -> dict:
    """{sheet: (typed table, columns, title, file)} for every sheet of a file."""
    out = {}
    for raw in read_file(data, name):
        a = analyse_sheet(raw)
        out[raw.sheet] = (typed_sheet(con, raw, a).table, a.columns, a.title, raw.file, a)
    return out


def run(con, data: bytes, name: str, sheet: str | None = None):
    found = sheets(con, data, name)
    key = sheet if sheet is not None else next(iter(found))
    table, columns, title, file, _ = found[key]
    return detect(table, columns, sheet=key, title=title, file=file)


def csv(rows: list[list]) -> bytes:
    return "\n".join(",".join("" if v is None else str(v) for v in r) for r in rows).encode()


def total(rows: pa.Table, col: str) -> float:
    return pc.sum(rows[col]).as_py()


def value(rows: pa.Table, **where) -> list:
    out = []
    for r in rows.to_pylist():
        if all(r[k] == v for k, v in where.items()):
            out.append(r)
    return out


# --- headers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("January", (None, 1, [])),
        ("Jan", (None, 1, [])),
        ("JAN", (None, 1, [])),
        ("Sept.", (None, 9, [])),
        ("Jan-19", (2019, 1, [])),
        ("Dec-05", (2005, 12, [])),
        ("Jan 2019", (2019, 1, [])),
        ("Jan'19", (2019, 1, [])),
        ("2024-03", (2024, 3, [])),
        ("03/2024", (2024, 3, [])),
        ("2020-01-01 00:00:00", (2020, 1, [])),  # a date cell shown mmm-yy, as calamine reads it
        ("Enero", (None, 1, [])),
        ("févr. 2021", (2021, 2, [])),
        ("März", (None, 3, [])),
        ("mrt", (None, 3, [])),
        ("Enero de 2020", (2020, 1, [])),
        ("Jan Budget", (None, 1, ["budget"])),
        ("Actual Feb-24", (2024, 2, ["actual"])),
    ],
)
def test_month_headers_in_the_forms_exports_write(header, expected):
    assert parse_month_header(header) == expected


@pytest.mark.parametrize(
    "header", ["Jan 15", "Jan 15 2020", "Total", "Q1", "Marketing", "2024", "Amount", "13/2024"]
)
def test_headers_that_are_not_a_month(header):
    assert parse_month_header(header) is None


# --- the real Presupuesto workbook ------------------------------------------------------------


def test_presupuesto_real_file_is_revenue_targets_by_city(con):
    path = needs_realdata("ventas_presupuesto_es", "Presupuesto.xlsx")
    found = sheets(con, path.read_bytes(), path.name)
    table, columns, title, file, _ = found["Presupuesto"]
    r = detect(table, columns, sheet="Presupuesto", title=title, file=file)
    assert r is not None and r.dataset == "targets"
    assert r.rows.num_rows == 13 * 12
    assert total(r.rows, "target") == 15_360_000
    assert len(set(r.rows["site"].to_pylist())) == 13
    bogota_jan = value(r.rows, site="Bogotá", month=dt.date(2020, 1, 1))
    assert [x["target"] for x in bogota_jan] == [100_000]
    jan = value(r.rows, month=dt.date(2020, 1, 1))
    assert sum(x["target"] for x in jan) == 1_280_000  # README: budget 2020-01
    assert set(r.rows["kpi"].to_pylist()) == {"revenue"}
    assert r.reasons[0] == "12 month columns Jan 2020 … Dec 2020 unpivoted"
    assert "'Ciudad'" in r.reasons[1] and "presupuesto" in r.reasons[1]
    # The sales sheet beside it (one row per sale with a date) is not months-across.
    table, columns, title, file, _ = found["Ventas"]
    assert detect(table, columns, sheet="Ventas", title=title, file=file) is None


def test_real_date_cells_as_headers(con):
    """Months written as date cells (shown mmm-yy in Excel), as in the Presupuesto sheet."""
    header = ["Tienda"] + [dt.datetime(2021, m, 1) for m in range(1, 13)]
    rows = [header, ["Lima", *range(100, 1300, 100)], ["Quito", *[50] * 12]]
    data = xlsx({"Presupuesto": rows})
    r = run(con, data, "ventas.xlsx")
    assert r.dataset == "targets"
    assert total(r.rows, "target") == sum(range(100, 1300, 100)) + 600
    assert value(r.rows, site="Lima", month=dt.date(2021, 12, 1))[0]["target"] == 1200


# --- sales targets by salesperson or region -----------------------------------------------------


# Header set of a public sales export: "SalesRep,District,Jan,...,Dec,Total,Avg"
# (a ColdFusion spreadsheet demo building a sales sheet from csv/sales.csv, found by searching
# public code for "Jul,Aug,Sep,Oct,Nov,Dec,Total").
SALESREP_HEADER = ["SalesRep", "District", *MONTHS, "Total", "Avg"]


def salesrep_rows():
    a = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210]
    b = [90, None, 95, 0, 100, 100, 100, 100, 100, 100, 100, 100]  # Feb blank, Apr a real 0
    return (
        [
            SALESREP_HEADER,
            ["Ann Lee", "North", *a, sum(a), sum(a) / 12],
            ["Bo Diaz", "South", *b, sum(v or 0 for v in b), 90.4],
        ],
        a,
        b,
    )


def test_quota_by_salesperson_is_targets_with_blank_not_zero(con):
    rows, a, b = salesrep_rows()
    r = run(con, csv(rows), "sales_quota_2019.csv")
    assert r is not None and r.dataset == "targets"
    assert r.rows.num_rows == 12 + 11  # Bo's blank February gives no row
    assert total(r.rows, "target") == sum(a) + sum(v for v in b if v is not None)
    bo = {x["month"]: x["target"] for x in value(r.rows, site="Bo Diaz")}
    assert dt.date(2019, 2, 1) not in bo
    assert bo[dt.date(2019, 4, 1)] == 0  # a written zero stays a zero
    assert "year 2019 from the file name 'sales_quota_2019.csv'" in r.reasons
    assert "column 'Total': a total" in r.left_out
    assert "column 'Avg': an average" in r.left_out
    assert "column 'District': not used" in r.left_out


def test_sales_by_salesperson_without_a_plan_word_is_held(con):
    """'sales.csv' may be actual sales per rep: loading it as targets would be a guess."""
    rows, _, _ = salesrep_rows()
    assert run(con, csv(rows), "sales_2019.csv") is None


# A regional sales sheet as a public demo-data generator writes it ("sales pivot -- wide,
# months as columns, region rows": Region,Jan,...,Jun,Total).
def test_region_targets_half_year_with_total_column_and_row(con):
    rows = [
        ["Region", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Total"],
        ["North", 41000, 38000, 45000, 47000, 44000, 49000, 264000],
        ["South", 52000, 55000, 51000, 58000, 61000, 59000, 336000],
        ["Total", 93000, 93000, 96000, 105000, 105000, 108000, 600000],
    ]
    r = run(con, csv(rows), "sales_target_2026.csv")
    assert r.dataset == "targets"
    assert r.rows.num_rows == 12
    assert total(r.rows, "target") == 264000 + 336000
    assert r.reasons[0] == "6 month columns Jan 2026 … Jun 2026 unpivoted"


# --- budgets with sections, subtotals and captions ---------------------------------------------


# Layout of the Vertex42 "Home Budget Worksheet" (JAN … DEC, TOTALS; "Income Categories",
# "TOTAL INCOME", "Deductible Expenses" with group labels such as "Health"), as shown at
# https://id.scribd.com/document/53237171/home-budget-worksheet. Its title carries the
# template's copyright year, which is not the budget's year.
def vertex42_rows():
    pay = [3000] * 12
    bonus = [None] * 11 + [1500]
    med = [250] * 12
    unreimb = [40, 40, 40, None, None, None, None, None, None, None, None, 60]
    total_income = [p + (b or 0) for p, b in zip(pay, bonus, strict=True)]
    return [
        ["VX42 Home Budget Worksheet Created by Eric Bray and Vertex42 LLC © 2007 Vertex42 LLC"],
        [None, *[m.upper() for m in MONTHS], "TOTALS"],
        ["Income Categories"],
        ["Take Home Pay", *pay, sum(pay)],
        ["Bonuses", *bonus, 1500],
        ["TOTAL INCOME", *total_income, sum(total_income)],
        [None],
        ["Deductible Expenses"],
        ["Business Expenses"],
        ["Unreimbursed", *unreimb, 180],
        ["Health"],
        ["Medical Insurance", *med, sum(med)],
        ["Total Deductible Expenses", *[m + (u or 0) for m, u in zip(med, unreimb, strict=True)],
         sum(med) + 180],
    ], pay, bonus, med, unreimb  # fmt: skip


def test_vertex42_home_budget_sections_totals_and_copyright_year(con):
    rows, pay, bonus, med, unreimb = vertex42_rows()
    r = run(con, xlsx({"Budget": rows}), "home_budget_2021.xlsx")
    assert r is not None and r.dataset == "budget"
    assert "year 2021 from the file name 'home_budget_2021.xlsx'" in r.reasons
    got = r.rows.to_pylist()
    assert {x["month"].year for x in got} == {2021}
    by = {}
    for x in got:
        by.setdefault((x["account"], x["kind"]), 0)
        by[(x["account"], x["kind"])] += x["budget"]
    assert by == {
        ("Take Home Pay", "income"): 36000,
        ("Bonuses", "income"): 1500,
        ("Unreimbursed", "cost"): 180,
        ("Medical Insurance", "cost"): 3000,
    }
    assert all(x["actual"] is None for x in got)
    assert {x["unit"] for x in got} == {"Budget"}  # the sheet name
    assert r.rows.num_rows == 12 + 1 + 4 + 12  # blank cells give no row
    left = "\n".join(r.left_out)
    # Totals whose numbers sum the rows above are left out by the layout (detect_header),
    # before months across sees them; else months across names them.
    from cockpit.ingest.detect_header import find_layout
    from cockpit.ingest.read import read_file

    (raw,) = read_file(xlsx({"Budget": rows}), "home_budget_2021.xlsx")
    left += "\n".join(why for _, why in find_layout(raw).excluded_rows)
    assert "'TOTAL INCOME'" in left
    assert "'Total Deductible Expenses'" in left
    assert "'Income Categories': a section label (income)" in left
    assert "'Deductible Expenses': a section label (cost)" in left
    assert "'Health': no month values (a group label)" in left
    assert "column 'TOTALS': a total" in left


# SCORE's "Profit and Loss Projection (12 Months)" template: months as mmm-yy from the fiscal
# year start, a "%" column after each month, "IND. %" and "YEARLY" columns, sections
# "Revenue (Sales)", "Cost of Sales", "Expenses", lines "Total …", "Gross Profit", "Net Profit"
# (http://www.docstoc.com/docs/415200/12-Month-Profit-and-Loss-Projection1%5B1%5D).
def test_score_pl_projection_fiscal_year_with_percent_columns(con):
    fiscal = ["Jun-05", "Jul-05", "Aug-05", "Sep-05", "Oct-05", "Nov-05", "Dec-05",
              "Jan-06", "Feb-06", "Mar-06", "Apr-06", "May-06"]  # fmt: skip
    header = [None, "IND. %"]
    for m in fiscal:
        header += [m, "%"]
    header += ["YEARLY", "%"]

    def line(label, values):
        out = [label, 50.0]
        for v in values:
            out += [v, 12.5]
        return out + [sum(values), 100.0]

    sales1, sales2 = [1000] * 12, [500 + 10 * i for i in range(12)]
    cogs1, salary = [400] * 12, [300] * 12
    rows = [
        ["Profit and Loss Projection (12 Months)"],
        ["Enter your Company Name here"],
        header,
        ["Revenue (Sales)"],
        line("Category 1", sales1),
        line("Category 2", sales2),
        line("Total Revenue (Sales)", [a + b for a, b in zip(sales1, sales2, strict=True)]),
        ["Cost of Sales"],
        line("Category 1", cogs1),
        line("Total Cost of Sales", cogs1),
        line("Gross Profit", [a + b - c for a, b, c in zip(sales1, sales2, cogs1, strict=True)]),
        ["Expenses"],
        line("Salary expenses", salary),
        line("Total Expenses", salary),
        line("Net Profit", [a + b - c - d for a, b, c, d in zip(sales1, sales2, cogs1, salary,
                                                              strict=True)]),
    ]  # fmt: skip
    r = run(con, xlsx({"P&L": rows}), "projection.xlsx")
    assert r is not None and r.dataset == "budget"
    assert r.reasons[0] == "12 month columns Jun 2005 … May 2006 unpivoted"
    got = r.rows.to_pylist()
    sums = {}
    for x in got:
        key = (x["account"], x["kind"])
        sums[key] = sums.get(key, 0) + x["budget"]
    assert sums == {
        ("Category 1", "income"): sum(sales1),
        ("Category 2", "income"): sum(sales2),
        ("Category 1", "cost"): sum(cogs1),
        ("Salary expenses", "cost"): sum(salary),
    }
    assert min(x["month"] for x in got) == dt.date(2005, 6, 1)
    assert max(x["month"] for x in got) == dt.date(2006, 5, 1)
    left = "\n".join(r.left_out)
    assert "column 'IND. %': a percentage" in left
    assert "column 'YEARLY': a total" in left
    assert "'Gross Profit': a computed line" in left
    assert "'Net Profit': a computed line" in left


# The "12-Month Profit and Loss Projection" form (Category | Jan … Dec | Total Year; "Gross
# Sales", "Total Gross Sales", "Less: Returns/Allowances", "Net Sales", "Other Income",
# "Total Revenue"), https://zapof.com/form-template/R1QcH/12-month-profit-and-loss-projection-form
def test_pl_form_with_less_and_net_lines_and_figures_in_thousands(con):
    a, b, ret, other = [10] * 12, [5] * 12, [1] * 12, [2] * 12
    rows = [
        ["12-Month Profit and Loss Projection"],
        ["Figures in USD thousands"],
        ["Category", *MONTHS, "Total Year"],
        ["Gross Sales"],
        ["Product/Service A", *a, sum(a)],
        ["Product/Service B", *b, sum(b)],
        ["Total Gross Sales", *[x + y for x, y in zip(a, b, strict=True)], sum(a) + sum(b)],
        ["Less: Returns/Allowances", *ret, sum(ret)],
        ["Net Sales", *[14] * 12, 168],
        ["Other Income", *other, sum(other)],
        ["Total Revenue", *[16] * 12, 192],
    ]
    r = run(con, xlsx({"Plan FY2024": rows}), "pl.xlsx")
    assert r is not None and r.dataset == "budget"
    assert "year 2024 from the sheet name 'Plan FY2024'" in r.reasons
    assert any(s.startswith("figures in thousands") for s in r.reasons)
    got = r.rows.to_pylist()
    assert {x["account"] for x in got} == {"Product/Service A", "Product/Service B", "Other Income"}
    assert sum(x["budget"] for x in got) == (sum(a) + sum(b) + sum(other)) * 1000
    assert {x["kind"] for x in got} == {"income"}  # all under the "Gross Sales" section
    left = "\n".join(r.left_out)
    assert "'Less: Returns/Allowances': a deduction line" in left
    assert "'Net Sales': a computed line" in left
    assert "column 'Total Year': a total" in left


# Spanish "Plantilla de Ingresos y Gastos Mensuales" (Enero … Diciembre; "Ingresos", "Total
# Ingresos", "Gastos Fijos", "% de Ingreso", "Neto (Ingresos - Gastos)", "Acumulado"),
# https://es.scribd.com/document/550380518/2-Plantilla-de-Ingresos-y-Gastos
SPANISH = ["Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto",
           "Septiembre", "Octubre", "Noviembre", "Diciembre"]  # fmt: skip


def spanish_rows():
    salario, luz, agua = [2000] * 12, [80] * 12, [30] * 12
    return (
        [
            ["Plantilla de Ingresos y Gastos Mensuales"],
            [None, *SPANISH],
            ["Ingresos"],
            ["Salario Neto", *salario],
            ["Total Ingresos", *salario],
            ["Gastos Fijos"],
            ["Electricidad", *luz],
            ["Agua", *agua],
            ["Total Gastos Fijos", *[110] * 12],
            ["% de Ingreso", *[0.055] * 12],
            ["Neto (Ingresos - Gastos)", *[1890] * 12],
            ["Acumulado", *[1890 * (i + 1) for i in range(12)]],
        ],
        salario,
        luz,
        agua,
    )


def test_spanish_budget_sections_and_computed_rows(con):
    rows, salario, luz, agua = spanish_rows()
    r = run(con, xlsx({"Presupuesto 2023": rows}), "finanzas.xlsx")
    assert r is not None and r.dataset == "budget"
    got = r.rows.to_pylist()
    sums = {}
    for x in got:
        sums[(x["account"], x["kind"])] = sums.get((x["account"], x["kind"]), 0) + x["budget"]
    assert sums == {
        ("Salario Neto", "income"): sum(salario),
        ("Electricidad", "cost"): sum(luz),
        ("Agua", "cost"): sum(agua),
    }
    left = "\n".join(r.left_out)
    assert "'% de Ingreso': a percentage row" in left
    assert "'Neto (Ingresos - Gastos)': a computed line" in left
    assert "'Acumulado': a computed line" in left
    assert "'Gastos Fijos': a section label (cost)" in left


def test_spanish_tracker_without_budget_or_actual_word_is_held(con):
    """'Ingresos y Gastos' says neither budget nor actual: which value it is would be a guess."""
    rows, _, _, _ = spanish_rows()
    rows[0] = ["Plantilla de Ingresos y Gastos 2023"]
    assert run(con, xlsx({"Hoja1": rows}), "finanzas.xlsx") is None


# --- years -------------------------------------------------------------------------------------


def test_year_from_title_and_none_without_a_year(con):
    rows = [["Budget 2022"], ["Account", "Jan", "Feb", "Mar"], ["Rent", 1000, 1000, 1000]]
    r = run(con, xlsx({"Sheet1": rows}), "plan.xlsx")
    assert r.reasons[1] == "year 2022 from the title 'Budget 2022'"
    assert set(r.rows["month"].to_pylist()) == {dt.date(2022, m, 1) for m in (1, 2, 3)}
    rows[0] = ["Budget"]
    assert run(con, xlsx({"Sheet1": rows}), "plan.xlsx") is None


def test_one_sheet_per_year(con):
    def year_sheet(base):
        return [["Account", *MONTHS], ["Travel", *[base] * 12], ["Software", *[base * 2] * 12]]

    data = xlsx({"2019": year_sheet(10), "2020": year_sheet(20)})
    found = sheets(con, data, "opex_budget.xlsx")
    out = []
    for name, (table, columns, title, file, _) in found.items():
        r = detect(table, columns, sheet=name, title=title, file=file)
        assert r.reasons[1] == f"year {name} from the sheet name '{name}'"
        out.append(r.rows)
    rows = pa.concat_tables(out)
    assert rows.num_rows == 48
    by_year = {}
    for x in rows.to_pylist():
        by_year[x["month"].year] = by_year.get(x["month"].year, 0) + x["budget"]
    assert by_year == {2019: 12 * 30, 2020: 12 * 60}
    assert {x["unit"] for x in rows.to_pylist()} == {"2019", "2020"}
    assert {x["kind"] for x in rows.to_pylist()} == {"cost"}


def test_fiscal_months_without_years_are_held(con):
    """Jul … Dec, Jan … Jun under "Budget 2022": which half is 2022 is a guess."""
    order = MONTHS[6:] + MONTHS[:6]
    rows = [["Budget 2022"], ["Account", *order], ["Rent", *[1] * 12]]
    assert run(con, xlsx({"S": rows}), "b.xlsx") is None


# --- cost centres, helper lists, budget vs actual ------------------------------------------------


def test_cost_centre_unit_column_iso_months_and_helper_list(con):
    rows = [
        ["Kostenstelle", "Konto", "2024-01", "2024-02", "2024-03", "Summe", None, "Konten"],
        ["4100 Vertrieb", "Reisekosten", 500, 600, None, 1100, None, "Reisekosten"],
        ["4200 IT", "Software", 1200, 1200, 1200, 3600, None, "Software"],
        ["4200 IT", "Hardware", 300, None, 700, 1000, None, "Hardware"],
    ]
    r = run(con, xlsx({"Budget": rows}), "kosten.xlsx")
    assert r is not None and r.dataset == "budget"
    got = r.rows.to_pylist()
    assert len(got) == 7
    assert sum(x["budget"] for x in got) == 1100 + 3600 + 1000
    assert {x["unit"] for x in got} == {"4100 Vertrieb", "4200 IT"}
    assert "unit from column 'Kostenstelle'" in r.reasons
    assert "accounts from column 'Konto'" in r.reasons
    assert "column 'Summe': a total" in r.left_out
    assert "columns 'Konten': beside the table (after a blank column)" in r.left_out


# Budget vs actual with a merged month over "Budget" / "Actual" (the Excel "budget vs actual"
# monthly tracking layout): one row per account and month with both values.
def test_budget_and_actual_columns_per_month(con):
    rows = [
        ["Marketing budget vs actual 2023"],
        ["Account", "Jan", None, "Feb", None, "Mar", None],
        [None, "Budget", "Actual", "Budget", "Actual", "Budget", "Actual"],
        ["Ads", 100, 90, 100, 120, 100, None],
        ["Events", 50, 50, 50, 40, 50, 55],
    ]
    merges = {"S": ["B2:C2", "D2:E2", "F2:G2"]}
    r = run(con, xlsx({"S": rows}, merges=merges), "mkt.xlsx")
    assert r is not None and r.dataset == "budget"
    got = {(x["account"], x["month"].month): (x["budget"], x["actual"]) for x in r.rows.to_pylist()}
    assert got == {
        ("Ads", 1): (100, 90), ("Ads", 2): (100, 120), ("Ads", 3): (100, None),
        ("Events", 1): (50, 50), ("Events", 2): (50, 40), ("Events", 3): (50, 55),
    }  # fmt: skip
    assert "budget and actual columns told apart by their headers" in r.reasons


def test_actuals_sheet_and_budget_vs_actual_without_tags(con):
    rows = [["Account", "Jan-23", "Feb-23", "Mar-23"], ["Rent", 1000, 1000, 1100]]
    r = run(con, xlsx({"Actuals": rows}), "x.xlsx")
    assert r.dataset == "budget"
    assert [x["actual"] for x in r.rows.to_pylist()] == [1000, 1000, 1100]
    assert all(x["budget"] is None for x in r.rows.to_pylist())
    assert run(con, xlsx({"Budget vs Actual": rows}), "x.xlsx") is None


# A bird-atlas reporting-rate CSV quoted in a public test (Pentad,Spp,...,Jan … Dec,
# Total_Records,...): months across, but nothing about money or plans.
def test_months_across_without_finance_words_is_not_a_budget(con):
    rows = [
        ["Pentad", "Spp", "Common_group", "Common_species", *MONTHS, "Total_Records"],
        ["69_69", 6, "Grebe", "Little", 100.0, 0.0, None, None, 100.0, 0, 0, None, 33.3, 0, 0,
         33.3, 6],
        ["69_70", 7, "Heron", "Grey", 50.0, 0.0, 10, None, 100.0, 0, 0, None, 33.3, 0, 0, 3, 8],
    ]  # fmt: skip
    assert run(con, csv(rows), "south_africa.csv") is None


def test_a_dated_list_is_not_months_across(con):
    rows = [["Date", "Account", "Amount"], ["2024-01-05", "Rent", 100], ["2024-02-05", "Rent", 90]]
    assert run(con, csv(rows), "budget_2024.csv") is None


# --- transactions beside a budget -----------------------------------------------------------------


# The Transactions tab of a public personal-finance template: Date, Description, Amount,
# Category, Type (Income/Expense) (MarcArmy2003/personal-finance-tracker-2025,
# budget_template_notes.md); bank exports write spending negative.
def transactions_rows():
    return [
        ["Date", "Description", "Amount", "Category", "Type"],
        ["2024-01-03", "Supermarket", -52.5, "groceries", "Expense"],
        ["2024-01-17", "Market", -20.0, "Groceries", "Expense"],
        ["2024-01-31", "Power bill", -80.0, "utilities", "Expense"],
        ["2024-02-02", "Supermarket", -61.25, "Groceries", "Expense"],
        ["2024-02-01", "Landlord", -900.0, "Rent", "Expense"],
        ["2024-02-09", "Cinema", -15.0, "Fun", "Expense"],
        ["2024-02-25", "Employer", 2500.0, "Salary", "Income"],
        ["2024-02-26", "Refund", None, "Rent", "Expense"],
    ]


def test_transactions_summed_per_month_and_matched_account(con):
    table, columns, *_ = sheets(con, csv(transactions_rows()), "tx.csv")[None]
    budget = ["Grocery", "Utilities", "Rent", "Salary"]
    rows, reasons = actuals_from_transactions(table, columns, budget)
    got = {(x["month"], x["account"]): (x["actual"], x["kind"]) for x in rows.to_pylist()}
    assert got == {
        (dt.date(2024, 1, 1), "Grocery"): (72.5, "cost"),
        (dt.date(2024, 1, 1), "Utilities"): (80.0, "cost"),
        (dt.date(2024, 2, 1), "Grocery"): (61.25, "cost"),
        (dt.date(2024, 2, 1), "Rent"): (900.0, "cost"),
        (dt.date(2024, 2, 1), "Salary"): (2500.0, "income"),
    }
    text = "\n".join(reasons)
    assert "4 of 5 categories match" in text
    assert "'Fun' (1)" in text
    assert "1 transaction(s) without a date, category or amount left out" in text
    assert "counted positive for 'Grocery', 'Rent', 'Utilities'" in text
    assert "kind (income or cost) from column 'Type'" in text


def test_transactions_mostly_unmatched_or_not_a_list(con):
    table, columns, *_ = sheets(con, csv(transactions_rows()), "tx.csv")[None]
    assert actuals_from_transactions(table, columns, ["Travel", "Rent"]) is None  # 1 of 5
    rows = [["Account", *MONTHS[:3]], ["Rent", 1, 2, 3]]
    table, columns, *_ = sheets(con, csv(rows), "b.csv")[None]
    assert actuals_from_transactions(table, columns, ["Rent"]) is None


def test_account_key_ignores_case_accents_and_plurals():
    assert account_key("Office Supplies") == account_key("office supply")
    assert account_key("Utilités") == account_key("utilites")
    assert account_key("Groceries") == account_key("GROCERY")
    assert account_key("Glass") == "glass"


def test_accounts_by_region_are_a_budget_with_the_region_as_unit(con):
    rows = [
        ["Region", "Account", "Jan-24", "Feb-24", "Mar-24"],
        ["North", "Rent", 500, 500, 500],
        ["South", "Rent", 400, 400, None],
    ]
    r = run(con, xlsx({"Opex budget": rows}), "b.xlsx")
    assert r.dataset == "budget"
    got = r.rows.to_pylist()
    assert {x["unit"] for x in got} == {"North", "South"}
    assert sum(x["budget"] for x in got) == 2300
    assert "unit from column 'Region'" in r.reasons
