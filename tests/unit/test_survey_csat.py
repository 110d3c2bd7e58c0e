"""Surveys carry a 1-5 csat beside the 0-10 score; CSAT reads contacts and surveys together.

By hand, January 2025:
  surveys  s1 score 10 csat 5; s2 score 6 (no csat); s3 csat 4 (no score); s4 csat 2;
           s5 csat 9 (off the 1-5 scale: left out)
  contacts c1 csat 5; c2 csat 3; c3 no csat
  CSAT % = (s1, s3 + c1) / (s1, s3, s4 + c1, c2) = 3 / 5 = 60 %
  CSAT mean = (5 + 4 + 2 + 5 + 3) / 5 = 3.8
  NPS over the two scores: (1 promoter - 1 detractor) / 2 = 0
"""

from __future__ import annotations

import datetime as dt

import pytest

from cockpit import datasets, ledger
from cockpit.kpis import make_period, scorecard

JAN = dt.date(2025, 1, 1)
SURVEYS = [
    {"response_date": dt.date(2025, 1, 3), "score": 10, "csat": 5, "site": "Leeds"},
    {"response_date": dt.date(2025, 1, 4), "score": 6, "site": "Lyon"},
    {"response_date": dt.date(2025, 1, 5), "csat": 4, "site": "Leeds"},
    {"response_date": dt.date(2025, 1, 6), "csat": 2, "site": "Lyon"},
    {"response_date": dt.date(2025, 1, 7), "csat": 9, "site": "Lyon"},
]
CONTACTS = [
    {"contact_date": dt.datetime(2025, 1, 8, 9), "csat": 5},
    {"contact_date": dt.datetime(2025, 1, 9, 9), "csat": 3},
    {"contact_date": dt.datetime(2025, 1, 9, 10)},
]
KPIS = ["csat_pct", "csat_mean", "nps"]


def _cards(store, **kw):
    return {c.id: c for c in scorecard(store, period=make_period("month", JAN), kpi_ids=KPIS, **kw)}


def test_a_survey_needs_a_date_and_a_score_or_a_csat():
    surveys = datasets.get("surveys")
    assert surveys.missing_required({"response_date", "csat"}) == []
    assert surveys.missing_required({"response_date", "score"}) == []
    assert surveys.missing_required({"response_date"}) == ["score or csat"]


def test_surveys_alone_give_csat(store):
    ledger.load_table(store, "surveys", SURVEYS)
    cards = _cards(store)
    assert cards["csat_pct"].value == pytest.approx(100 * 2 / 3)
    assert cards["csat_mean"].value == pytest.approx(11 / 3)
    assert cards["nps"].value == pytest.approx(0)


def test_csat_adds_contacts_and_surveys_as_one_ratio_of_sums(store):
    ledger.load_table(store, "surveys", SURVEYS)
    ledger.load_table(store, "contacts", CONTACTS)
    cards = _cards(store)
    assert cards["csat_pct"].value == pytest.approx(60)
    assert cards["csat_mean"].value == pytest.approx(3.8)


def test_a_site_filter_applies_to_surveys_and_blocks_when_contacts_cannot_follow(store):
    ledger.load_table(store, "surveys", SURVEYS)
    leeds = _cards(store, filters={"site": ["Leeds"]})
    assert leeds["csat_pct"].value == pytest.approx(100)  # s1 5, s3 4
    assert leeds["csat_mean"].value == pytest.approx(4.5)
    ledger.load_table(store, "contacts", CONTACTS)
    leeds = _cards(store, filters={"site": ["Leeds"]})
    assert leeds["csat_pct"].value is None
    assert leeds["csat_pct"].reason == "contacts have no site column"


def test_surveys_without_csat_leave_csat_to_the_contacts(store):
    ledger.load_table(store, "surveys", [{"response_date": dt.date(2025, 1, 3), "score": 9}])
    assert _cards(store)["csat_pct"].value is None
    assert _cards(store)["csat_pct"].reason == "no CSAT ratings (1-5) in this period"
    ledger.load_table(store, "contacts", CONTACTS)
    assert _cards(store)["csat_pct"].value == pytest.approx(50)
