"""Issue 23: `cockpit demo`, `whatif` and `goalseek` go through the running app server (they
waited for the database file, then failed); GET /api/whatif and /api/goalseek (viewer) and
POST /api/demo (admin) are audited like the other calls."""

from __future__ import annotations

import json
import urllib.parse
from types import SimpleNamespace

from reliability.test_server import AppServer, _open_after

WHATIF = ["--driver", "volume=+10%", "--driver", "agents=+2", "--baseline-months", "6"]


def test_demo_whatif_and_goalseek_go_through_the_running_app(tmp_path):
    server = AppServer(tmp_path).start()
    try:
        demo = server.cli("demo", timeout=600)
        assert demo.returncode == 0, demo.stderr
        assert "orders" in demo.stdout and "rows loaded" in demo.stdout
        again = server.cli("demo", "--if-empty")
        assert again.returncode == 0, again.stderr
        assert "database already has data; demo not seeded" in again.stdout

        whatif = server.cli("whatif", *WHATIF, "--json")
        assert whatif.returncode == 0, whatif.stderr
        via_cli = json.loads(whatif.stdout)
        text = server.cli("whatif", *WHATIF)
        assert text.returncode == 0, text.stderr
        assert "drivers: volume +10, agents +2" in text.stdout

        target = next(o for o in via_cli["outputs"] if o["id"] == "revenue")["baseline"] * 1.05
        seek = ["--output", "revenue", "--target", str(target), "--driver", "volume"]
        goal = server.cli("goalseek", *seek, "--json")
        assert goal.returncode == 0, goal.stderr
        via_cli_goal = json.loads(goal.stdout)

        viewer = server.token("vera", "viewer")
        query = urllib.parse.urlencode(
            [("driver", "volume=+10%"), ("driver", "agents=+2"), ("baseline_months", "6")]
        )
        status, via_api = server.call("GET", f"/api/whatif?{query}", viewer)
        assert status == 200 and via_api == via_cli
        query = urllib.parse.urlencode(
            [("output", "revenue"), ("target", str(target)), ("driver", "volume")]
        )
        status, via_api_goal = server.call("GET", f"/api/goalseek?{query}", viewer)
        assert status == 200 and via_api_goal == via_cli_goal
        status, doc = server.call("GET", "/api/whatif?driver=speed%3D5", viewer)
        assert status == 400 and "unknown driver 'speed'" in doc["error"]
        status, doc = server.call("POST", "/api/demo", viewer)
        assert status == 403 and "admin" in doc["error"]
    finally:
        store = _open_after(server)
    try:
        from cockpit.commands import goalseek, whatif

        args = SimpleNamespace(driver=["volume=+10%", "agents=+2"], baseline_months=6,
                               filter=[], asof=None, month=None)  # fmt: skip
        assert json.loads(json.dumps(whatif.document(store, args))) == via_cli
        args = SimpleNamespace(output="revenue", target=target, driver="volume", set=[],
                               baseline_months=3, filter=[], asof=None, month=None)  # fmt: skip
        expected = goalseek.document(store, args)
        demo_loads = store.scalar(
            """select count(*) from loads where is_demo and "user" = 'local-cli'"""
        )
        audit = store.rows(
            """select "user", detail->>'path' as path, cast(detail->>'status' as int) as status
               from audit where action = 'api' and "user" = 'vera' order by "at", rowid"""
        )
    finally:
        store.close()
    assert json.loads(json.dumps(expected)) == via_cli_goal
    assert via_cli_goal["reachable"] and abs(via_cli_goal["achieved"] - target) < 0.01 * target
    assert demo_loads >= 6
    assert [(a["path"], a["status"]) for a in audit] == [
        ("/api/whatif", 200), ("/api/goalseek", 200), ("/api/whatif", 400), ("/api/demo", 403)
    ]  # fmt: skip
