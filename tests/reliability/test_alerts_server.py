"""Alerts through the running app server: a load sent to the API is evaluated in the server's
load queue and its webhook is posted from there; GET /api/alerts (and `cockpit alerts`
through the server) lists it, and the call is audited like the others."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

from cockpit.store import Store
from reliability.test_alerts_delivery import FEB, JAN, _orders_csv, webhook  # noqa: F401
from reliability.test_server import REPO, AppServer


def test_an_api_load_fires_in_the_queue_and_get_api_alerts_lists_it(tmp_path, webhook):  # noqa: F811
    hook_url, posts = webhook
    server = AppServer(tmp_path)
    server.env["COCKPIT_WEBHOOK"] = hook_url
    server.env["COCKPIT_PUBLIC_URL"] = "http://cockpit.test"
    server.start()
    try:
        analyst, viewer = server.token("ann", "analyst"), server.token("vera", "viewer")
        for name, month, late in (("jan.csv", JAN, 0), ("feb.csv", FEB, 5)):
            body = Path(_orders_csv(tmp_path / name, month, late=late)).read_bytes()
            status, doc = server.call("POST", f"/api/loads?file={name}&wait=1", analyst, body)
            assert status == 200 and doc["report"]["ok"], doc
        load_id = doc["report"]["files"][0]["sheets"][0]["load_id"]
        status, listed = server.call("GET", "/api/alerts?kpi=on_time_pct", viewer)
        assert status == 200
        assert [(a["kpi"], a["state"], a["load_id"], a["after_value"]) for a in listed] == [
            ("on_time_pct", "fired", load_id, 50.0)
        ]
        assert listed[0]["link"].startswith("http://cockpit.test/Efficiency?month=2025-02&asof=")
        # The CLI finds the server and asks it.
        out = subprocess.run(
            [sys.executable, "-m", "cockpit", "alerts", "--json", "--kpi", "on_time_pct",
             "--db", str(server.db), "--token", viewer],
            cwd=REPO, env=server.env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        assert [a["alert_id"] for a in json.loads(out.stdout)] == [listed[0]["alert_id"]]
        deadline = dt.datetime.now() + dt.timedelta(seconds=30)
        while dt.datetime.now() < deadline and not any("On-time" in p["text"] for p in posts):
            time.sleep(0.2)
        assert any(p["text"].startswith("On-time delivery turned red: 50.0%") for p in posts)
    finally:
        server.stop()
    store = Store.open(server.db)
    try:
        calls = store.rows(
            """select "user", detail->>'path' as path from audit
               where action = 'api' and detail->>'path' = '/api/alerts'"""
        )
    finally:
        store.close()
    assert [c["user"] for c in calls] == ["vera", "vera"]
