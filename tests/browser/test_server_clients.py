"""The app server and its other clients (issue 15), with real processes: a scheduled CLI load
lands while eight browser sessions read, each seeing the numbers before or after, never an
error; and a database held by another process shows a "busy" note, then recovers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect
from reliability.bad_files import csv_text

from browser.conftest import REPO, Ui, _start, _stop

SESSIONS = 8
NEW_ORDERS = 7


def _cli(db: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "COCKPIT_DB": str(db), "PYTHONPATH": str(REPO)}
    env.pop("COCKPIT_SERVER", None)
    return subprocess.Popen(
        [sys.executable, "-m", "cockpit", *args, "--db", str(db)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_cli_load_lands_while_eight_sessions_read(fresh_server, browser, screenshots, tmp_path):
    server = fresh_server(demo=True)
    kpis = _cli(server.db, "kpis", "--json")
    doc = json.loads(kpis.communicate(timeout=120)[0])
    before = int(next(k for k in doc["kpis"] if k["id"] == "orders")["value"])
    month = doc["period"]["end"]
    # New orders in the month shown, at a site the demo does not have: nothing replaced.
    rows = [["Order ID", "Order Date", "Site", "Qty", "Revenue"]] + [
        [f"NEW{i}", f"{month}-0{1 + i}", "Testville", 1, 10.0] for i in range(NEW_ORDERS)
    ]
    (tmp_path / "scheduled.csv").write_text(csv_text(rows))
    allowed = {f"{before:,}", f"{before + NEW_ORDERS:,}"}

    contexts = [
        browser.new_context(viewport={"width": 1440, "height": 1200}) for _ in range(SESSIONS)
    ]
    uis = [Ui(c.new_page(), screenshots) for c in contexts]
    try:
        for ui in uis:
            ui.open(server.page_url("/"))
            assert ui.metric("Orders") == f"{before:,}"
        load = _cli(server.db, "load", str(tmp_path / "scheduled.csv"))
        seen = set()
        rounds = 0
        while load.poll() is None or rounds < 2:
            if load.poll() is not None:
                rounds += 1
            for ui in uis:
                ui.page.reload()
                ui.idle()
                expect(ui.page.get_by_test_id("stException")).to_have_count(0)
                value = ui.metric("Orders")
                assert value in allowed, value
                seen.add(value)
        out, err = load.communicate()
        assert load.returncode == 0, err
        assert "scheduled.csv: loaded" in out
        for i, ui in enumerate(uis):
            ui.page.reload()
            ui.idle()
            assert ui.metric("Orders") == f"{before + NEW_ORDERS:,}"
            if i == 0:
                ui.shot("after-scheduled-load")
    finally:
        for c in contexts:
            c.close()


def test_a_database_held_by_another_process_shows_busy_then_recovers(ui, tmp_path):
    db = tmp_path / "held.duckdb"
    # The holder lets go when told (a line on stdin, or at most 120 s), not after a fixed
    # time: a slow server start on a busy machine must still find the file held.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import select, sys; from cockpit.store import Store; "
         f"s = Store.open({str(db)!r}); print('held', flush=True); "
         "select.select([sys.stdin], [], [], 120)"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
        stdin=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    server = _start(db, tmp_path)
    try:
        ui.page.goto(server.page_url("/"))
        expect(
            ui.page.get_by_text("The database is busy (a load is running); retrying")
        ).to_be_visible()
        ui.shot("database-busy")
        expect(ui.page.get_by_test_id("stException")).to_have_count(0)
        assert "Conflicting lock" not in ui.page.content()
        holder.stdin.write("go\n")
        holder.stdin.flush()
        holder.wait(timeout=60)
        # The page tries again by itself and opens once the file is free.
        expect(ui.page.get_by_text("The database is busy")).to_have_count(0, timeout=60_000)
        expect(ui.page.get_by_role("heading", level=1).first).to_be_visible()
        expect(ui.page.get_by_test_id("stException")).to_have_count(0)
        ui.shot("database-recovered")
    finally:
        holder.kill()
        _stop(server.process)
