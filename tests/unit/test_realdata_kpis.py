"""The KPI side on real exports: rows put in by hand (ledger.load_table, no ingest), figures
computed here independently and checked against ../shared/realdata/README.md."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from shared_files import needs_realdata

from cockpit import ledger
from cockpit.kpis import make_period, period_between, scorecard


def _value(store, kpi_id, period, **kw):
    return scorecard(store, period=period, kpi_ids=[kpi_id], **kw)[0]


def _when(v):
    """A timestamp cell, or None for NULL / NA / an Excel zero date stored as text."""
    return v if isinstance(v, dt.datetime) else None


def test_truck_bookings_on_time_at_the_precision_of_date_and_time(store):
    import openpyxl

    path = needs_realdata("truck_trips_eta", "Master Data.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    head = {name: i for i, name in enumerate(rows[0])}
    lines = [
        {
            "order_id": str(r[head["BookingID"]]),
            "order_date": r[head["BookingID_Date"]].date(),
            "promised_date": _when(r[head["Planned_ETA"]]),
            "delivered_date": _when(r[head["actual_eta"]]),
        }
        for r in rows[1:]
    ]
    assert len(lines) == 6880
    # Independently: per booking the earliest promise and the latest delivery.
    bookings: dict[str, dict] = {}
    for line in lines:
        b = bookings.setdefault(line["order_id"], {"booked": line["order_date"], "p": [], "d": []})
        b["booked"] = min(b["booked"], line["order_date"])
        b["p"] += [line["promised_date"]] if line["promised_date"] else []
        b["d"] += [line["delivered_date"]] if line["delivered_date"] else []

    def on_time(bs):
        both = [b for b in bs if b["p"] and b["d"]]
        return len(both), 100 * sum(max(b["d"]) <= min(b["p"]) for b in both) / len(both)

    aug = [b for b in bookings.values() if b["booked"].strftime("%Y-%m") == "2020-08"]
    n_all, all_pct = on_time(bookings.values())
    n_aug, aug_pct = on_time(aug)
    assert (len(bookings), n_all, round(all_pct, 4)) == (6875, 6836, 37.3464)
    assert (len(aug), n_aug, round(aug_pct, 4)) == (1622, 1613, 65.5921)

    ledger.load_table(store, "orders", lines)
    months = sorted({b["booked"].replace(day=1) for b in bookings.values()})
    whole = _value(store, "on_time_pct", period_between(months[0], months[-1]))
    assert whole.value == pytest.approx(all_pct, rel=1e-12)
    august = make_period("month", dt.date(2020, 8, 1))
    assert _value(store, "on_time_pct", august).value == pytest.approx(aug_pct, rel=1e-12)
    assert _value(store, "orders", august).value == 1622


def _scms_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%d-%b-%y").date()
    except ValueError:
        return None  # "Date Not Captured", "N/A - From RDC", ...


def test_scms_lines_without_an_order_id_give_line_level_on_time(store):
    path = needs_realdata("SCMS_Delivery_History_Dataset.csv")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        records = list(csv.DictReader(fh))
    # No order id mapped: every line is an order of its own. The order date is the
    # scheduled date here: the file has no order date every line carries.
    lines = [
        {
            "order_date": _scms_date(r["Scheduled Delivery Date"]),
            "promised_date": _scms_date(r["Scheduled Delivery Date"]),
            "delivered_date": _scms_date(r["Delivered to Client Date"]),
        }
        for r in records
    ]
    assert len(lines) == 10324 and all(line["order_date"] for line in lines)
    on_time = sum(line["delivered_date"] <= line["promised_date"] for line in lines)
    assert (on_time, round(100 * on_time / len(lines), 4)) == (9138, 88.5122)
    ledger.load_table(store, "orders", lines)
    months = sorted({line["order_date"].replace(day=1) for line in lines})
    period = period_between(months[0], months[-1])
    assert _value(store, "orders", period).value == 10324
    assert _value(store, "on_time_pct", period).value == pytest.approx(100 * 9138 / 10324)


def test_sales_by_store_meet_the_city_budget(store):
    import fastexcel
    import openpyxl

    path = needs_realdata("ventas_presupuesto_es", "Presupuesto.xlsx")
    book = fastexcel.read_excel(str(path))
    sales = book.load_sheet_by_name("Ventas").to_arrow().to_pylist()
    shops = book.load_sheet_by_name("Tiendas").to_arrow().to_pylist()
    # The budget's months are date cells in its header row: read as cells, with openpyxl.
    wb = openpyxl.load_workbook(path, read_only=True)
    budget = list(wb["Presupuesto"].iter_rows(values_only=True))
    wb.close()
    city = {int(s["ID_Tienda"]): s["Ciudad"] for s in shops}
    targets = [
        {"kpi": "revenue", "month": m.date(), "site": row[0], "target": float(t)}
        for row in budget[1:]
        for m, t in zip(budget[0][1:], row[1:], strict=True)
    ]
    lines = [
        {"order_id": str(int(s["ID_Venta"])), "order_date": s["Fecha"].date(),
         "site": city[int(s["ID_Tienda"])], "revenue": float(s["Monto"])}
        for s in sales
    ]  # fmt: skip
    assert len(lines) == 115773 and len(targets) == 13 * 12
    assert round(sum(line["revenue"] for line in lines), 2) == 16_348_978.73
    assert sum(t["target"] for t in targets) == 15_360_000
    ledger.load_table(store, "orders", lines)
    ledger.load_table(store, "targets", targets)

    def revenue(period, **kw):
        return _value(store, "revenue", period, compare="target", **kw)

    year = revenue(period_between("2020-01", "2020-12"))
    assert round(year.value, 2) == 16_348_978.73 and year.target == 15_360_000
    assert round(100 * year.value / year.target, 4) == 106.4387
    jan = revenue(make_period("month", dt.date(2020, 1, 1)))
    assert (round(jan.value, 2), jan.target) == (1_398_773.52, 1_280_000)
    bogota = revenue(make_period("month", dt.date(2020, 1, 1)), filters={"site": ["Bogotá"]})
    assert (round(bogota.value, 2), bogota.target) == (118_220.86, 100_000)
