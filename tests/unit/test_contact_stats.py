"""contact_stats (aggregated ACD rows) and the contact KPIs that add it to per-contact rows.

By hand, March 2024 (service-level threshold 20 s, the default):
  contact_stats r1: offered 100, answered 90, abandoned 10, ASA 10 s, AHT 200 s, SL 80 %
                r2: offered 50, answered 30, (abandoned blank -> 50 - 30 = 20), ASA 40 s,
                    AHT 100 s, SL 50 %, threshold 20 s
                r3: offered 10, answered 10, abandoned 0, SL 90 % at a 30 s threshold
                    (another measure: left out of service level), no ASA or AHT
  contacts c1: answered, wait 10 s, handle 300 s; c2: unanswered; c3: answered, wait 60 s,
               handle 100 s
  abandonment (10 + 20 + 0 + 1) / (100 + 50 + 10 + 3) = 31 / 163
  ASA (10*90 + 40*30 + 10 + 60) / (90 + 30 + 2) = 2170 / 122   (mean of rows would be 25)
  AHT (200*90 + 100*30 + 300 + 100) / (90 + 30 + 2) = 21400 / 122
  service level (0.8*90 + 0.5*30 + 1) / (90 + 30 + 2) = 88 / 122   (c1 waited <= 20 s)
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from shared_files import needs_realdata

from cockpit import datasets, ledger
from cockpit.kpis import make_period, scorecard
from cockpit.kpis.periods import data_months

MAR = dt.date(2024, 3, 1)
KPIS = ["abandon_pct", "asa_seconds", "aht_seconds", "service_level_pct"]

STATS = [
    {"interval_start": dt.datetime(2024, 3, 4, 9), "offered": 100, "answered": 90,
     "abandoned": 10, "asa_seconds": 10, "aht_seconds": 200, "service_level_pct": 80,
     "agent": "Ann", "channel": "Phone"},
    {"interval_start": dt.datetime(2024, 3, 4, 10), "offered": 50, "answered": 30,
     "asa_seconds": 40, "aht_seconds": 100, "service_level_pct": 50, "threshold_seconds": 20,
     "agent": "Bob", "channel": "Phone"},
    {"month": MAR, "offered": 10, "answered": 10, "abandoned": 0, "service_level_pct": 90,
     "threshold_seconds": 30, "agent": "Bob", "channel": "Chat"},
]  # fmt: skip
CONTACTS = [
    {"contact_date": dt.datetime(2024, 3, 5, 9), "answered": True, "wait_seconds": 10,
     "handle_seconds": 300},
    {"contact_date": dt.datetime(2024, 3, 5, 10), "answered": False, "wait_seconds": 90},
    {"contact_date": dt.datetime(2024, 3, 6, 9), "answered": True, "wait_seconds": 60,
     "handle_seconds": 100},
]  # fmt: skip


def _cards(store, **kw):
    cards = scorecard(store, period=make_period("month", MAR), kpi_ids=KPIS, **kw)
    return {c.id: c for c in cards}


def test_contact_stats_is_a_dataset_with_its_own_table_and_month():
    ds = datasets.get("contact_stats")
    assert ds.missing_required({"offered"}) == ["interval_start or month"]
    assert ds.missing_required({"month", "offered"}) == []
    # Headers of a real ACD export name its columns (after header normalisation).
    for header, column in [("incoming calls", "offered"), ("answered calls", "answered"),
                           ("abandoned calls", "abandoned"), ("answer speed avg", "asa_seconds"),
                           ("talk duration avg", "aht_seconds"),
                           ("service level 20 seconds", "service_level_pct"),
                           ("waiting time avg", "wait_seconds"),
                           ("llamadas abandonadas", "abandoned"),
                           ("niveau de service", "service_level_pct"),
                           ("angenommene anrufe", "answered"),
                           ("chamadas recebidas", "offered"),
                           ("tempo medio di risposta", "asa_seconds"),
                           ("gemiddelde afhandeltijd", "aht_seconds")]:  # fmt: skip
        assert header in ds.column(column).synonyms, header


def test_a_row_with_only_a_month_counts_in_that_month(store):
    ledger.load_table(store, "contact_stats", STATS)
    assert data_months(store)["contact_stats"] == {MAR: 3}


def test_aggregated_rows_alone_are_ratios_of_sums_weighted_by_answered_calls(store):
    ledger.load_table(store, "contact_stats", STATS)
    cards = _cards(store)
    assert cards["abandon_pct"].value == pytest.approx(100 * 30 / 160)
    assert cards["asa_seconds"].value == pytest.approx((900 + 1200) / 120)
    assert cards["aht_seconds"].value == pytest.approx((18000 + 3000) / 120)
    assert cards["service_level_pct"].value == pytest.approx(100 * 87 / 120)


def test_aggregated_rows_and_contacts_add_up(store):
    ledger.load_table(store, "contact_stats", STATS)
    ledger.load_table(store, "contacts", CONTACTS)
    cards = _cards(store)
    assert cards["abandon_pct"].value == pytest.approx(100 * 31 / 163)
    assert cards["asa_seconds"].value == pytest.approx(2170 / 122)
    assert cards["aht_seconds"].value == pytest.approx(21400 / 122)
    assert cards["service_level_pct"].value == pytest.approx(100 * 88 / 122)


def test_filters_apply_to_both_and_block_what_cannot_be_filtered(store):
    ledger.load_table(store, "contact_stats", STATS)
    ann = _cards(store, filters={"agent": ["Ann"]})
    assert ann["abandon_pct"].value == pytest.approx(10)
    assert ann["asa_seconds"].value == pytest.approx(10)
    ledger.load_table(store, "contacts", CONTACTS)
    topic = _cards(store, filters={"topic": ["Billing"]})
    # Aggregated rows have no topic: a topic filter cannot narrow them, so no value.
    assert topic["abandon_pct"].value is None
    assert topic["abandon_pct"].reason == "contact-centre statistics have no topic column"


def test_the_threshold_setting_picks_the_matching_rows(store):
    ledger.load_table(store, "contact_stats", STATS)
    store.set_setting("service_level_seconds", 30)
    # r2 (20 s) drops out; r1 has no threshold of its own, so it is taken at the setting's.
    assert _cards(store)["service_level_pct"].value == pytest.approx(100 * (72 + 9) / 100)


def _seconds(text: str) -> float:
    h, m, s = (int(x) for x in text.split(":"))
    return 3600 * h + 60 * m + s


def test_the_real_acd_summary_gives_the_readme_figures(store):
    path = needs_realdata("acd_daily_summary", "Call Center Data.csv")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        records = list(csv.DictReader(fh, delimiter=";"))
    assert len(records) == 1251
    rows = []
    for r in records:
        rows.append(
            {
                "month": dt.date(2024, 3, 1),
                "offered": float(r["Incoming Calls"]),
                "answered": float(r["Answered Calls"]),
                "abandoned": float(r["Abandoned Calls"]),
                "asa_seconds": _seconds(r["Answer Speed (AVG)"]),
                "aht_seconds": _seconds(r["Talk Duration (AVG)"]),
                "wait_seconds": _seconds(r["Waiting Time (AVG)"]),
                "service_level_pct": float(r["Service Level (20 Seconds)"].rstrip("%")),
            }
        )
    # The figures by an independent path (plain Python sums), then the README's.
    answered = sum(r["answered"] for r in rows)
    expected = {
        "abandon_pct": 100 * sum(r["abandoned"] for r in rows) / sum(r["offered"] for r in rows),
        "asa_seconds": sum(r["asa_seconds"] * r["answered"] for r in rows) / answered,
        "aht_seconds": sum(r["aht_seconds"] * r["answered"] for r in rows) / answered,
        "service_level_pct": sum(r["service_level_pct"] * r["answered"] for r in rows) / answered,
    }
    readme = {"abandon_pct": 10.9267, "asa_seconds": 29.8356, "aht_seconds": 159.5279,
              "service_level_pct": 66.7750}  # fmt: skip
    for kpi_id, value in readme.items():
        assert round(expected[kpi_id], 4) == value, kpi_id
    ledger.load_table(store, "contact_stats", rows)
    cards = _cards(store)
    for kpi_id, value in expected.items():
        assert cards[kpi_id].value == pytest.approx(value, rel=1e-12), kpi_id
    plain_mean = sum(r["service_level_pct"] for r in rows) / len(rows)
    assert round(plain_mean, 4) == 70.8729  # the wrong answer the KPI must not give
