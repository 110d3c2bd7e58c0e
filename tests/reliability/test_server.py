"""One store, many clients (issue 15), with real processes: the app server (`streamlit run
server.py`) holds the database; the command line finds it and goes through its API; loads
queue and land in order; roles hold per token; every call is audited; a server killed with
SIGKILL in the middle of a load leaves all of it or none of it, and no scratch."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cockpit import navigation
from cockpit.store import Store
from reliability.bad_files import csv_text

REPO = Path(__file__).resolve().parents[2]
HEADER = ["Order ID", "Order Date", "Site", "Qty", "Revenue"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`streamlit run server.py` (or `script`) on its own database, scratch dirs and port."""

    def __init__(self, workdir: Path, script: str = "server.py"):
        self.workdir, self.script = workdir, script
        self.db = workdir / "cockpit.duckdb"
        for d in ("tmp", "shm"):
            (workdir / d).mkdir(exist_ok=True)
        self.env = {
            **os.environ,
            "COCKPIT_DB": str(self.db),
            "TMPDIR": str(workdir / "tmp"),
            "COCKPIT_SHM_DIR": str(workdir / "shm"),
            "PYTHONPATH": str(REPO),
        }
        self.env.pop("COCKPIT_SERVER", None)
        self.env.pop("COCKPIT_TOKEN", None)
        self.proc: subprocess.Popen | None = None

    def start(self) -> AppServer:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        log = (self.workdir / f"server-{self.port}.log").open("wb")
        cmd = [sys.executable, "-m", "streamlit", "run", self.script, "--server.port",
               str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (self.workdir / f"server-{self.port}.log").read_text()
            try:
                if self.get("/api/health")["status"] == "ok":
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the app server did not start")

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def call(self, method: str, path: str, token: str | None = None, body: bytes | None = None):
        req = urllib.request.Request(self.url + path, data=body, method=method)
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def get(self, path: str, token: str | None = None):
        return self.call("GET", path, token)[1]

    def cli(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "cockpit", *args, "--db", str(self.db)],
            cwd=REPO, env=self.env, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def token(self, name: str, role: str) -> str:
        out = self.cli("token", name, "--role", role)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()


@pytest.fixture
def app_server(tmp_path):
    server = AppServer(tmp_path).start()
    yield server
    server.stop()


def _orders_csv(path: Path, prefix: str, month: int, n: int, revenue: float) -> Path:
    rows = [HEADER] + [
        [f"{prefix}{i}", f"2025-{month:02d}-{1 + i % 28:02d}", ("Leeds", "Lyon")[i % 2], 1, revenue]
        for i in range(n)
    ]
    path.write_text(csv_text(rows))
    return path


def _open_after(server: AppServer) -> Store:
    """The database, opened by the test once the server has stopped."""
    server.stop()
    return Store.open(server.db)


def test_cli_goes_through_the_running_app_and_kpis_match_the_page_url(app_server, tmp_path):
    jan = _orders_csv(tmp_path / "jan.csv", "J", 1, 10, 5.0)
    out = app_server.cli("load", str(jan))
    assert out.returncode == 0, out.stderr  # before issue 15: "Conflicting lock is held"
    assert "jan.csv: loaded" in out.stdout and "10 rows loaded" in out.stdout
    loads = json.loads(app_server.cli("loads", "--json").stdout)
    assert [(r["file"], r["rows"]) for r in loads] == [("jan.csv", 10)]
    cli = json.loads(app_server.cli("kpis", "--json", "--period", "2025-01").stdout)
    viewer = app_server.token("vera", "viewer")
    status, page_style = app_server.call("GET", "/api/kpis?period=month&month=2025-01", viewer)
    assert status == 200 and page_style == cli
    # Several comparisons (issue 28): each KPI has each, in order, in both words of the API.
    several = json.loads(app_server.cli("kpis", "--json", "--period", "2025-01",
                                        "--compare", "yoy,prev").stdout)  # fmt: skip
    status, page_words = app_server.call(
        "GET", "/api/kpis?period=month&month=2025-01&compare=yoy,prev", viewer
    )
    assert status == 200 and page_words == several and several["compare"] == "yoy,prev"
    counted = next(k for k in several["kpis"] if k["id"] == "orders")
    assert list(counted["comparisons"]) == ["yoy", "prev"]
    assert counted["comparisons"]["prev"] == {"value": None, "change": None, "change_pct": None}
    orders = next(k for k in cli["kpis"] if k["id"] == "orders")
    revenue = next(k for k in cli["kpis"] if k["id"] == "revenue")
    assert (orders["value"], revenue["value"]) == (10, 50.0)  # 10 orders of 5.0
    sql = app_server.cli("sql", "select count(*) as n from orders_live", "--json")
    assert json.loads(sql.stdout) == [{"n": 10}]
    assert app_server.cli("undo", str(loads[0]["load_id"])).returncode == 0
    assert json.loads(app_server.cli("sql", "select count(*) as n from orders_live",
                                     "--json").stdout) == [{"n": 0}]  # fmt: skip


def test_streamlit_run_app_py_is_the_same_server_and_the_cli_goes_through_it(tmp_path):
    """Issue 22: `streamlit run app.py`, what a Streamlit user types first, served the pages
    only; once a page had opened the database every CLI command waited 601 s, then blamed
    "a load". It now serves what server.py serves: the API, the server file, the pages."""
    server = AppServer(tmp_path, script=navigation.ENTRY).start()  # app.py
    try:
        info = json.loads(Path(str(server.db) + ".server.json").read_text())
        assert (info["url"], info["pid"]) == (server.url, server.proc.pid)
        jan = _orders_csv(tmp_path / "jan.csv", "J", 1, 10, 5.0)
        out = server.cli("load", str(jan))
        assert out.returncode == 0, out.stderr
        assert "jan.csv: loaded" in out.stdout and "10 rows loaded" in out.stdout
        loads = json.loads(server.cli("loads", "--json").stdout)
        assert [(r["file"], r["rows"]) for r in loads] == [("jan.csv", 10)]
        with urllib.request.urlopen(server.url + "/", timeout=60) as page:
            assert page.status == 200 and b'<div id="root">' in page.read()
    finally:
        store = _open_after(server)
    try:  # the CLI went through the server's API (the server alone held the file)
        calls = store.rows(
            'select action, detail from audit where "user" = \'local-cli\' order by "at"'
        )
        assert any('"path": "/api/loads"' in c["detail"] for c in calls), calls
    finally:
        store.close()


def _load_at_once(files, server) -> list[tuple[str, str]]:
    """`cockpit load` of each file in its own process, all started together; (out, err) each,
    after checking that every one exited 0."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "cockpit", "load", str(f), "--db", str(server.db)],
            cwd=REPO,
            env=server.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for f in files
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * len(procs), outs
    return outs


def test_two_cli_loads_at_once_both_land_in_order(app_server, tmp_path):
    files = [_orders_csv(tmp_path / f"m{m}.csv", f"M{m}-", m, 30_000, float(m)) for m in (2, 3)]
    _load_at_once(files, app_server)
    loads = json.loads(app_server.cli("loads", "--json").stdout)
    assert sorted(r["file"] for r in loads) == ["m2.csv", "m3.csv"]
    assert sorted(r["seq"] for r in loads) == [1, 2]  # one after the other, never together
    assert all(r["rows"] == 30_000 for r in loads)
    store = _open_after(app_server)
    try:
        by_month = store.rows(
            "select month(_month) as m, count(*) as n, sum(revenue) as r from orders_live "
            "group by all order by m"
        )
    finally:
        store.close()
    assert by_month == [{"m": 2, "n": 30_000, "r": 60_000.0}, {"m": 3, "n": 30_000, "r": 90_000.0}]


def test_tokens_carry_roles_and_every_call_is_audited(app_server, tmp_path):
    viewer, analyst = app_server.token("vera", "viewer"), app_server.token("ann", "analyst")
    data = (tmp_path / "x.csv").write_bytes(
        b"Order ID,Order Date,Site,Qty,Revenue\nA,2025-01-02,Leeds,1,2\n"
    )
    body = (tmp_path / "x.csv").read_bytes()
    assert data
    assert app_server.call("GET", "/api/loads")[0] == 401
    assert app_server.call("GET", "/api/loads", "ck_forged")[0] == 401
    assert app_server.call("GET", "/api/loads", viewer)[0] == 200
    status, doc = app_server.call("POST", "/api/loads?file=x.csv&wait=1", viewer, body)
    assert status == 403 and "analyst" in doc["error"]
    status, doc = app_server.call("POST", "/api/sql", viewer, b'{"query": "select 1"}')
    assert status == 403
    status, doc = app_server.call("POST", "/api/sql", analyst, b'{"query": "select * from audit"}')
    assert status == 400 and "private" in doc["error"]
    status, doc = app_server.call("POST", "/api/loads?file=x.csv&wait=1", analyst, body)
    assert status == 200 and doc["report"]["ok"], doc
    load_id = doc["report"]["files"][0]["sheets"][0]["load_id"]
    assert app_server.call("POST", f"/api/loads/{load_id}/undo", viewer)[0] == 403
    # Tokens are kept hashed, never in clear.
    kept = (app_server.db.parent / "cockpit.duckdb.tokens.json").read_text()
    assert viewer not in kept and analyst not in kept
    store = _open_after(app_server)
    try:
        audit = store.rows(
            """select "user", detail->>'method' as method, detail->>'path' as path,
                      cast(detail->>'status' as int) as status
               from audit where action = 'api' order by "at", rowid"""
        )
        loaded_by = store.scalar('select "user" from loads where load_id = $i', {"i": load_id})
    finally:
        store.close()
    assert [(a["user"], a["method"], a["status"]) for a in audit] == [
        ("(no valid token)", "GET", 401), ("(no valid token)", "GET", 401),
        ("vera", "GET", 200), ("vera", "POST", 403), ("vera", "POST", 403),
        ("ann", "POST", 400), ("ann", "POST", 200), ("vera", "POST", 403),
    ]  # fmt: skip
    assert loaded_by == "ann"


def test_kill_9_of_the_server_mid_load_then_restart_all_or_nothing_no_scratch(tmp_path):
    server = AppServer(tmp_path).start()
    try:
        small = _orders_csv(tmp_path / "small.csv", "S", 1, 5, 1.0)
        assert server.cli("load", str(small)).returncode == 0
        big = _orders_csv(tmp_path / "big.csv", "B", 4, 400_000, 2.0)
        local = json.loads((tmp_path / "cockpit.duckdb.server.json").read_text())["local_token"]
        result = {}

        def post():
            result["r"] = server.call("POST", "/api/loads?file=big.csv", local, big.read_bytes())

        t = threading.Thread(target=post)
        t.start()
        t.join(timeout=120)
        job = result["r"][1]["job"]
        deadline = time.monotonic() + 60
        while server.get(f"/api/jobs/{job}", local)["state"] == "queued":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)  # inside the load: reading, typing or writing
        # Reads answer while the load runs (they read the last committed version).
        assert server.call("GET", "/api/loads", local)[0] == 200
        assert server.get(f"/api/jobs/{job}", local)["state"] == "running"
        server.stop(signal.SIGKILL)
        server.start()  # the restart: a stale server file, maybe scratch of the killed load
        assert list((tmp_path / "tmp").iterdir()) == [] and list((tmp_path / "shm").iterdir()) == []
        loads = json.loads(server.cli("loads", "--json").stdout)
        april = json.loads(
            server.cli("sql", "select count(*) as n, sum(revenue) as r from orders_live "
                       "where _month = '2025-04-01'", "--json").stdout
        )[0]  # fmt: skip
        files = {r["file"]: r for r in loads}
        assert files["small.csv"]["rows"] == 5
        if "big.csv" in files:  # it committed before the kill: all of it
            assert april == {"n": 400_000, "r": 800_000.0}
        else:  # or none of it
            assert april == {"n": 0, "r": None}
        # And the restarted server still loads.
        again = _orders_csv(tmp_path / "may.csv", "Y", 5, 3, 1.0)
        assert server.cli("load", str(again)).returncode == 0
    finally:
        server.stop()
    store = Store.open(server.db)
    try:
        assert store.scalar("select count(*) from loads where status = 'loading'") == 0
    finally:
        store.close()


def test_two_cli_loads_at_once_without_a_server_wait_for_each_other(tmp_path):
    """No app running: the second load waits for the first one's hold on the file (saying
    so) instead of failing with DuckDB's lock error; both land."""
    server = AppServer(tmp_path)  # not started: only its environment and CLI helper
    files = [_orders_csv(tmp_path / f"m{m}.csv", f"M{m}-", m, 60_000, 1.0) for m in (6, 7)]
    outs = _load_at_once(files, server)
    assert not any("Conflicting lock" in err or "Traceback" in err for _, err in outs)
    loads = json.loads(server.cli("loads", "--json").stdout)
    assert sorted((r["file"], r["rows"]) for r in loads) == [("m6.csv", 60_000), ("m7.csv", 60_000)]


def test_the_server_warms_the_default_view_up_at_start(tmp_path):
    # A database with data, loaded before the server starts (no server: the CLI opens it).
    server = AppServer(tmp_path)
    jan = _orders_csv(tmp_path / "jan.csv", "J", 1, 10, 5.0)
    out = subprocess.run(
        [sys.executable, "-m", "cockpit", "load", str(jan), "--db", str(server.db)],
        cwd=REPO, env=server.env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    server.start()
    try:
        deadline = time.monotonic() + 60
        while not server.get("/api/health").get("warm"):
            assert time.monotonic() < deadline, "the warm-up never finished"
            time.sleep(0.2)
    finally:
        server.stop()
    log = (tmp_path / f"server-{server.port}.log").read_text()
    assert "warm-up" not in log and "Traceback" not in log, log


def test_user_unlock_goes_through_the_running_app_and_needs_an_admin(tmp_path):
    from cockpit import auth, login

    store = Store.open(tmp_path / "cockpit.duckdb")
    brake = login.LoginBrake(sleep=lambda s: None)
    for _ in range(login.LOCK_AFTER):
        login.sign_in(store, auth.AuthConfig("password"), "mallory", "guess", brake=brake)
    store.close()
    server = AppServer(tmp_path).start()
    try:
        analyst = server.token("ann", "analyst")
        status, doc = server.call("POST", "/api/users/mallory/unlock", analyst)
        assert status == 403 and "admin role; you are an analyst" in doc["error"]
        out = server.cli("user", "mallory", "--unlock")  # the server holds the file
        assert (out.returncode, out.stdout, out.stderr) == (0, "unlocked mallory\n", "")
        store = _open_after(server)
    finally:
        server.stop()
    try:
        assert login.locked_names(store) == []
        assert (
            store.scalar("select \"user\" from audit where action = 'login_unlocked'")
            == "local-cli"
        )
    finally:
        store.close()
