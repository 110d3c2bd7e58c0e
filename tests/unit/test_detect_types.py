"""Column kinds decided from every value of the column, with evidence and placeholders."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pytest

from cockpit.ingest.detect_types import profile_column


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    yield c
    c.close()


def prof(con, values, name="Value", **kw):
    return profile_column(con, pa.array(values, pa.string()), 3, name, **kw)


def test_day_first_decided_by_a_late_value(con):
    values = ["01/02/2024"] * 500 + ["31/01/2024"]
    p = prof(con, values, "Ship Date")
    assert (p.kind, p.date_order, p.ambiguous) == ("date", "dmy", None)
    assert p.evidence == "day-first dates (31/01/2024 seen)"
    assert p.index == 3 and p.name == "Ship Date"


def test_month_first_from_second_part_above_12(con):
    p = prof(con, ["1/2/24", "12/31/24", "2/3/2024"])
    assert (p.kind, p.date_order) == ("date", "mdy")
    assert "12/31/24" in p.evidence


def test_ambiguous_dates_are_reported_and_default_day_first(con):
    p = prof(con, ["01/02/2024", "03/04/2024"])
    assert p.kind == "date" and p.date_order == "dmy"
    assert "cannot be told apart" in p.ambiguous
    forced = prof(con, ["01/02/2024", "03/04/2024"], date_order="mdy")
    assert forced.date_order == "mdy" and forced.ambiguous is None


def test_wrong_order_value_in_a_day_first_column_is_bad_not_a_note(con):
    p = prof(con, ["31/01/2024", "15/02/2024", "01/03/2024"] * 4 + ["12/31/2024"])
    assert p.kind == "date" and p.date_order == "dmy"
    assert "both day-first" in p.ambiguous and "12/31/2024" in p.ambiguous
    assert p.bad_count == 1 and p.bad_sample == ["12/31/2024"]


def test_text_month_dates_and_placeholders(con):
    values = ["02-Jun-06", "14-Nov-06", "Date Not Captured", "Pre-PQ Process", "N/A", None]
    p = prof(con, values, "Delivered Date")
    assert p.kind == "date" and p.evidence == "text-month dates (02-Jun-06)"
    assert p.placeholders == {"Date Not Captured": 1, "Pre-PQ Process": 1, "N/A": 1}
    assert p.null_count == 4 and p.bad_count == 0


def test_month_name_first_dates_and_month_labels(con):
    assert prof(con, ["Jun 2, 2006", "June 30, 2007"]).date_order == "mdy"
    p = prof(con, ["Jan 2024", "Feb 2024", "2024-03"], "Period")
    assert p.kind == "date" and "month labels" in p.evidence


def test_iso_and_calamine_datetimes(con):
    assert prof(con, ["2024-01-05 00:00:00", "2024-02-01 00:00:00"]).kind == "date"
    p = prof(con, ["2024-01-05 08:30:00", "2024-02-01 00:00:00"], "Opened")
    assert p.kind == "timestamp" and p.date_order == "ymd"


def test_excel_serial_dates_need_a_date_name(con):
    p = prof(con, ["45292", "45293", "45300"], "Order Date")
    assert (p.kind, p.serial, p.evidence) == ("date", True, "Excel serial dates")
    assert prof(con, ["45292", "45293"], "Units").kind == "number"


def test_times_and_durations(con):
    assert prof(con, ["08:30", "17:45:10"], "Start").kind == "time"
    assert prof(con, ["1899-12-31 08:30:00"], "Start").kind == "time"
    assert prof(con, ["0:45", "1:15:00"], "Downtime").kind == "duration"
    assert prof(con, ["23:00", "26:15"], "Stop").kind == "duration"
    assert prof(con, ["1900-01-01 02:15:00"], "Stop").kind == "duration"


def test_currency_thousands_parentheses_and_percent(con):
    p = prof(con, ["$1,234.50", "(2,000.00)", "USD 15", "7-"], "Amount")
    assert p.kind == "number"
    assert p.evidence.startswith("numbers with currency")
    assert "thousands separators" in p.evidence and "negatives like" in p.evidence
    q = prof(con, ["12.5%", "3%", "100%"], "Share")
    assert q.kind == "percent" and q.evidence.startswith("percentages")


def test_decimal_comma_numbers(con):
    p = prof(con, ["1.234,56", "7,25", "-3,5"], decimal_comma=True)
    assert p.kind == "number" and "thousands separators" in p.evidence


def test_booleans_and_markers(con):
    assert prof(con, ["Y", "N", "y"]).kind == "bool"
    assert prof(con, ["TRUE", "false"]).kind == "bool"
    assert prof(con, ["1", "0", "1"], "Units").kind == "number"
    assert prof(con, ["1", "0", "1"], "SLA met").kind == "bool"
    m = prof(con, ["x", None, "X", None], "Operator error")
    assert m.kind == "bool" and m.marker and "blank = no" in m.evidence


def test_notes_in_a_number_column_are_placeholders(con):
    values = (
        ["780.34", "4521.5", "1653.78"] * 3
        + ["Freight Included in Commodity Cost"] * 2
        + ["See ASN-93 (ID#:1281)", "See ASN-94 (ID#:1282)", "Invoiced Separately", "TBD"]
    )
    p = prof(con, values, "Freight Cost (USD)")
    assert p.kind == "number" and p.bad_count == 0
    assert p.placeholders == {
        "Freight Included in Commodity Cost": 2,
        "See ASN-# (ID#:#)": 2,
        "Invoiced Separately": 1,
        "TBD": 1,
    }
    assert p.null_count == 6


def test_a_lone_word_in_a_number_column_is_bad(con):
    p = prof(con, [str(i) for i in range(1, 20)] + ["abc", "12 kg"], "Quantity")
    assert p.kind == "number"
    assert p.bad_count == 2 and sorted(p.bad_sample) == ["12 kg", "abc"]


def test_repeated_word_is_a_placeholder(con):
    p = prof(con, ["5", "6", "7", "Pending", "Pending"], "Quantity")
    assert p.kind == "number" and p.placeholders == {"Pending": 2} and p.bad_count == 0


def test_mostly_codes_stay_text(con):
    p = prof(con, ["SCMS-4", "SCMS-13", "12", "SO-1074", "N/A", "NA"], "PO / SO #")
    assert p.kind == "text"
    # In a text column only unmistakable markers are placeholders ("NA" may be a region).
    assert p.placeholders == {"N/A": 1}


def test_comment_column_with_some_numbers_stays_text(con):
    words = ["late", "damaged", "wrong item", "refund asked", "call back", "no answer"]
    values = [f"customer says {w} again" for w in words] * 2 + [f"{w} today" for w in words]
    values += ["5", "6", "7"]
    assert prof(con, values, "Comment").kind == "text"


def test_empty_and_placeholder_only_columns(con):
    assert prof(con, [None, " ", ""]).kind == "empty"
    p = prof(con, ["N/A", "-", None])
    assert p.kind == "empty" and p.placeholders == {"N/A": 1, "-": 1} and p.null_count == 3


def test_sample_holds_frequent_raw_values(con):
    p = prof(con, ["b", "a", "a", "c"])
    assert p.sample[0] == "a" and set(p.sample) == {"a", "b", "c"}


# --- columns with very many distinct values: a sample decides, the whole column settles ---


def _many_timestamps(n: int) -> list[str]:
    """n distinct day-first "dd/mm/yyyy HH:MM" values, every day part at most 12."""
    return [f"{1 + i % 12:02d}/{1 + i // 12 % 12:02d}/2024 {i // 144 % 24:02d}:{i % 60:02d}"
            for i in range(n)]  # fmt: skip


@pytest.fixture
def small_sample(monkeypatch):
    """Thresholds low enough that a 3k-value column takes the sampled path."""
    from cockpit.ingest import detect_types

    monkeypatch.setattr(detect_types, "SAMPLE_DISTINCT", 100)
    monkeypatch.setattr(detect_types, "HUGE_DISTINCT", 1000)


def test_sampled_column_settles_date_order_on_a_value_outside_the_sample(con, small_sample):
    values = list(dict.fromkeys(_many_timestamps(3000)))
    # One day-first witness, one bad value, a repeated note: each a single value of 3k.
    values += ["25/03/2024 10:00", "garbage", "Pending", "Pending", "N/A"]
    p = prof(con, values, "Opened")
    assert p.distinct > 1000  # the sampled path really ran
    assert (p.kind, p.date_order, p.ambiguous) == ("timestamp", "dmy", None)
    assert p.evidence.startswith("day-first dates (25/03/2024 10:00 seen)")
    assert p.bad_count == 1 and p.bad_sample == ["garbage"]
    assert p.placeholders == {"N/A": 1, "Pending": 2}
    assert p.null_count == 3
    assert p.fast_format == "%d/%m/%Y %H:%M" and p.fast_length == 16


def test_sampled_and_exact_profiles_agree(con, monkeypatch):
    from cockpit.ingest import detect_types

    values = [f"{(i * 37) % 5000 / 4:.2f}" for i in range(6000)] + ["12 kg", "tbd", "-"]
    exact = prof(con, values, "Net Sales")
    monkeypatch.setattr(detect_types, "SAMPLE_DISTINCT", 100)
    monkeypatch.setattr(detect_types, "HUGE_DISTINCT", 1000)
    sampled = prof(con, values, "Net Sales")
    keys = ("kind", "evidence", "bad_count", "bad_sample", "placeholders", "null_count")
    assert {k: getattr(sampled, k) for k in keys} == {k: getattr(exact, k) for k in keys}
    assert exact.kind == "number" and exact.bad_sample == ["12 kg"]
    assert exact.placeholders == {"tbd": 1, "-": 1}


def test_sampled_serial_range_is_checked_on_every_value(con, small_sample):
    # Serial-looking numbers with one far outside the Excel date range: not dates.
    values = [str(40000 + i) for i in range(3000)] + ["9000000"]
    assert prof(con, values, "Order Date").kind == "number"
    assert prof(con, values[:-1], "Order Date").kind == "date"


def test_sampled_date_failures_come_from_the_settling_pass_and_match_exact(con, monkeypatch):
    from cockpit.ingest import detect_types

    start = dt.datetime(2024, 1, 1)
    values = [
        (start + dt.timedelta(minutes=7 * i)).strftime("%Y-%m-%d %H:%M:%S") for i in range(6000)
    ]
    values += ["garbage", "31-31-2024", "Pending", "Pending", "Delivered to dock 4", "N/A", "N/A"]
    exact = prof(con, values, "Opened")
    monkeypatch.setattr(detect_types, "SAMPLE_DISTINCT", 100)
    monkeypatch.setattr(detect_types, "HUGE_DISTINCT", 1000)
    passes = []
    real = detect_types._failures
    monkeypatch.setattr(
        detect_types,
        "_failures",
        lambda c, ps, d: passes.append([list(p.formats) for p in ps]) or real(c, ps, d),
    )
    sampled = prof(con, values, "Opened")
    # The whole-column pass found the failures; the one later pass is the retry of the bad
    # values with every date family (which finds nothing more here).
    every = detect_types.date_formats("dmy")
    assert len(passes) == 1 and passes[0][0][: len(sampled.formats)] == sampled.formats
    assert set(every) <= set(passes[0][0]) and set(every) - set(sampled.formats)
    keys = ("kind", "bad_count", "bad_sample", "placeholders", "null_count", "fast_format")
    assert {k: getattr(sampled, k) for k in keys} == {k: getattr(exact, k) for k in keys}
    assert sampled.kind == "timestamp" and sampled.bad_count == 2
    assert sorted(sampled.bad_sample) == ["31-31-2024", "garbage"]
    assert sampled.placeholders == {"N/A": 2, "Pending": 2, "Delivered to dock 4": 1}
