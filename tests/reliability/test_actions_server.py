"""GET /api/actions through the running app server: a viewer reads the actions (overdue
first, `status=` narrows them) and the call is audited like the others."""

from __future__ import annotations

import datetime as dt

from cockpit import actions, auth
from cockpit.store import Store
from reliability.test_server import AppServer


def test_get_api_actions_lists_them_for_a_viewer(tmp_path):
    server = AppServer(tmp_path)
    store = Store.open(server.db)
    try:
        today = dt.date.today()
        late = actions.raise_action(store, auth.LOCAL_ADMIN, kpi="oee_pct", what="Fix line 2",
                                    owner="Tom Berg", due=today - dt.timedelta(days=1))  # fmt: skip
        soon = actions.raise_action(store, auth.LOCAL_ADMIN, kpi="nps", what="Call detractors",
                                    owner="Lena Fox", due=today + dt.timedelta(days=6))  # fmt: skip
    finally:
        store.close()
    server.start()
    try:
        viewer = server.token("vera", "viewer")
        status, rows = server.call("GET", "/api/actions", viewer)
        assert status == 200
        assert [(r["action_id"], r["status"], r["owner"]) for r in rows] == [
            (late, "overdue", "Tom Berg"), (soon, "open", "Lena Fox")]  # fmt: skip
        status, rows = server.call("GET", "/api/actions?status=open", viewer)
        assert status == 200 and [r["action_id"] for r in rows] == [soon]
        status, _ = server.call("GET", "/api/actions")
        assert status == 401
    finally:
        server.stop()
