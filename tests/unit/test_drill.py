"""Drill-through: the rows behind a KPI, for the view's months and filters, page by page."""

import datetime as dt

import pytest

from cockpit.kpis.catalogue import CATALOGUE
from cockpit.kpis.periods import make_period
from cockpit.screens import drill

JAN_TO_MAR = make_period("range", dt.date(2025, 3, 1), dt.date(2025, 1, 1))


def test_the_rows_behind_revenue_are_the_order_lines_of_the_view(tiny_db):
    got = drill.rows(tiny_db, CATALOGUE["revenue"], make_period("month", dt.date(2025, 1, 1)))
    assert got.dataset == "orders"
    # Lines dated in Jan 2025 (tests/conftest.py TINY_ORDERS): A, B (30 Jan), C, D.
    assert got.total == 4
    assert sorted(got.rows.column("order_id").to_pylist()) == ["A", "B", "C", "D"]
    assert sum(got.rows.column("revenue").to_pylist()) == 100 + 50 + 400 + 10
    assert not {"_load_id", "_row", "_month", "_rows"} & set(got.rows.column_names)


def test_filters_narrow_the_rows_and_pages_cover_them_once(tiny_db):
    lyon = drill.rows(tiny_db, CATALOGUE["orders"], JAN_TO_MAR, {"site": ["Lyon"]})
    assert sorted(lyon.rows.column("order_id").to_pylist()) == ["C", "D", "G"]
    seen = []
    for page in range(3):
        got = drill.rows(tiny_db, CATALOGUE["orders"], JAN_TO_MAR, page=page, page_size=3)
        assert got.total == 8 and got.pages == 3
        seen += got.rows.column("order_id").to_pylist()
    assert sorted(seen) == sorted("ABBCDEFG")
    assert (got.first_row, got.last_row) == (7, 8)


def test_a_filter_the_dataset_does_not_have_is_named(tiny_db):
    got = drill.rows(tiny_db, CATALOGUE["downtime_minutes"], JAN_TO_MAR, {"region": ["North"]})
    assert got.dataset == "downtime" and got.total == 3
    assert got.ignored_filters == ["region"]


def test_a_kpi_of_two_datasets_shows_the_one_with_rows_and_names_the_other(tiny_db):
    got = drill.rows(tiny_db, CATALOGUE["csat_pct"], make_period("month", dt.date(2025, 1, 1)))
    assert got.dataset == "contacts" and got.total > 0
    assert got.others == ["surveys"]
    with pytest.raises(ValueError, match="does not read"):
        drill.rows(tiny_db, CATALOGUE["revenue"], JAN_TO_MAR, dataset="contacts")


def test_pinned_rows_stay_as_they_were(tiny_db):
    from cockpit import ledger

    before = tiny_db.latest_seq()
    ledger.load_table(
        tiny_db,
        "orders",
        [{"order_id": "N", "order_date": dt.date(2025, 1, 9), "quantity": 1, "revenue": 5}],
    )
    month = make_period("month", dt.date(2025, 1, 1))
    assert drill.rows(tiny_db, CATALOGUE["orders"], month).total == 5
    assert drill.rows(tiny_db, CATALOGUE["orders"], month, as_of=before).total == 4


def test_every_dataset_but_targets_has_a_drill_query_with_its_filters():
    from cockpit import datasets, queries

    for name, ds in datasets.DATASETS.items():
        if name == "targets":
            continue
        params = queries.parameters(queries.sql_text(f"drill_{name}"))
        dims = [p for p in params if p in datasets.FILTER_DIMENSIONS]
        assert dims == datasets.filter_dimensions(ds), name


def test_midnight_timestamps_read_as_dates_and_times_stay():
    import pyarrow as pa

    rows = pa.table(
        {
            "promised": pa.array([dt.datetime(2026, 11, 5), None], pa.timestamp("us")),
            "at": pa.array([dt.datetime(2026, 11, 5, 9, 30), None], pa.timestamp("us")),
        }
    )
    frame = drill.readable(rows)
    assert frame["promised"].tolist()[0] == dt.date(2026, 11, 5)
    assert frame["at"].tolist()[0] == dt.datetime(2026, 11, 5, 9, 30)


def test_a_dataset_label_inside_the_rows_sentence_keeps_its_acronym():
    # "1,251 contact-centre statistics (acd) rows behind Speed of answer"
    from cockpit import datasets
    from cockpit.ui.rows_page import _in_sentence

    assert _in_sentence(datasets.get("contact_stats").label) == "contact-centre statistics (ACD)"
    assert _in_sentence(datasets.get("orders").label) == "orders and shipping"
    assert _in_sentence("OEE runs") == "OEE runs"
