"""Every queries/*.sql file (present or added later) has a header and runs on tiny_db.

Parameters are read out of each file and bound from SAMPLES; a query that uses a new
parameter name fails here until a sample value is added below.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cockpit import queries
from cockpit.store import LATEST

JAN, MAR = dt.date(2025, 1, 1), dt.date(2025, 3, 1)
FILTERS = ("site", "region", "channel", "category", "product", "customer", "ship_mode",
           "line", "agent", "topic", "segment", "unit", "account", "cause")  # fmt: skip

SAMPLES: dict[str, object] = {
    "as_of": LATEST,
    "start": JAN,
    "end": MAR,
    "months": [JAN, dt.date(2025, 2, 1), MAR],
    "compare_months": [dt.date(2024, 10, 1), dt.date(2024, 11, 1), dt.date(2024, 12, 1)],
    "dimension": "site",
    "dimensions": ["site", "category"],
    "sla_keys": ["Standard", "Express", "Freight", "*"],
    "sla_days": [5, 2, 10, 5],
    "threshold_seconds": 20,
    "limit": 50,
    "offset": 0,
    # Money and its currency (cockpit/currency.py, cockpit/fx.py).
    "currency": "$",
    "rate": 0.8,
    "user": "vic",
    "named": "$",
    "datasets": ["orders"],
    "sites": None,
    "include_rejected": True,
    "as_data": True,
    "sha256": "0" * 64,
    "sheet": None,
    "dataset": "orders",
    "load_id": 1,
    "fingerprint": "no-such-layout",
    "batches": ["B1"],
    "user_name": "vic",
    "kind": "views",
    "item_name": "no-such-item",
    "owner": "vic",
    "shared": False,
    "value": '{"url": "?"}',
    "saved_at": "2026-01-02T03:04:05",
    "key": "no-such-setting",
    "now": 1.0e9,
    "recipe": "Bank call log",
    "recipe_version": 1,
    # Owners and alerts (cockpit/alerts).
    "kpi": "on_time_pct",
    "owner_site": "",
    "email": "vic@example.com",
    "rule_id": "default_red",
    "rule_site": None,
    "threshold": 2.0,
    "threshold_unit": "points",
    "days": 3,
    "subscribers": ["vic@example.com"],
    "enabled": True,
    "condition_key": "default_red|on_time_pct|",
    "alert_id": 1,
    "alert_site": None,
    "month": MAR,
    "seq": 1,
    "before_value": 90.0,
    "after_value": 80.0,
    "message": "On-time delivery turned red",
    "link": "http://localhost:8501/Efficiency?asof=1",
    "delivery_channel": "email",
    "target": "vic@example.com",
    "next_at": dt.datetime(2025, 4, 1, 9, 0),
    "at": dt.datetime(2025, 4, 1, 9, 0),
    "status": "retrying",
    "error": "ConnectionRefusedError",
    "kpi_filter": "on_time_pct",
    "state_filter": "fired",
    "kind_filter": "red",
    "seen_id": 0,
    "state": "fired",
    # Actions and meeting packs (cockpit/actions.py, cockpit/meetings.py).
    "action_id": 1,
    "what": "Re-plan the Lyon night shift",
    "due": dt.date(2025, 4, 8),
    "note": "after the audit",
    "pack_id": 1,
    "owner_filter": "vic",
    "pack_filter": 1,
    "from_seq": 0,
    "pack_name": "Ops review 1 Apr",
    "view": '{"period": "month"}',
    "agenda": "[]",
    "changes": "[]",
    "prev_pack_id": None,
    # Brief schedules and their sends (cockpit/briefs).
    "schedule": "Monday pack",
    "cron": "0 7 * * 1",
    "timezone": "UTC",
    "view_url": "?period=quarter",
    "recipients": ["vic@example.com"],
    "last_slot": dt.datetime(2025, 3, 31, 7, 0),
    "slot": dt.datetime(2025, 4, 7, 7, 0),
    "trigger": "server",
    "version": 1,
    "pdf_bytes": 60_000,
    "schedule_filter": "Monday pack",
    **{f: ["Leeds"] for f in FILTERS},
}


@pytest.mark.parametrize("name", queries.available())
def test_query_has_a_header_comment(name):
    assert queries.sql_text(name).startswith("--"), f"{name}.sql must start with a header comment"
    assert "grain" in queries.header(name).lower(), f"{name}.sql header must state its grain"


@pytest.mark.parametrize("name", queries.available())
@pytest.mark.parametrize("unfiltered", [True, False], ids=["no-filters", "filters"])
def test_query_runs_with_bound_parameters(tiny_db, name, unfiltered):
    wanted = queries.parameters(queries.sql_text(name))
    missing = [p for p in wanted if p not in SAMPLES]
    assert not missing, (
        f"{name}.sql uses parameter(s) {missing} with no sample value: add them to SAMPLES in "
        f"{__file__}"
    )
    params = {p: SAMPLES[p] for p in wanted}
    if unfiltered:
        params.update({p: None for p in wanted if p in FILTERS or p in ("dimension", "dimensions")})
    table = queries.run(tiny_db, name, **params)
    assert table.num_columns > 0
