"""Issue 22 through the real app server: POST /api/sql and `cockpit sql` never read private
tables, cannot switch the time limit off, answer bad bodies with 400/413 and strict JSON;
SIGTERM interrupts a running query; refusals say what was refused."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import threading
import time
import urllib.request

import pytest

from reliability.test_server import AppServer

RUNAWAY = "select count(*) from range(10000000000) a, range(1000) b"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = AppServer(tmp_path_factory.mktemp("sqlapi")).start()
    srv.analyst = srv.token("ann", "analyst")
    yield srv
    srv.stop()


def post_sql(server, doc, raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(doc).encode()
    return server.call("POST", "/api/sql", server.analyst, body)


def strict(text: bytes):
    """JSON as the standard has it: NaN and Infinity are not JSON."""
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))


@pytest.mark.parametrize(
    "query",
    [
        "with audit as (select * from audit) select * from audit",
        "with settings as (select * from settings) select * from settings",
        "with login_failures as (select * from login_failures) select * from login_failures",
        "with layouts as (select * from layouts) select * from layouts",
        "with rejects as (select * from rejects) select * from rejects",
        "select table_name from information_schema.tables",
        "select * from duckdb_columns()",
        "show all tables",
        "describe audit",
    ],
)
def test_the_api_never_reads_private_tables(server, query):
    status, doc = post_sql(server, {"query": query})
    assert status == 400, doc
    assert re.search("private|not available|not allowed", doc["error"]), doc


def test_show_tables_through_the_api_lists_only_what_the_explorer_reads(server):
    status, doc = post_sql(server, {"query": "show tables"})
    assert status == 200, doc
    names = {r["name"] for r in doc["rows"]}
    assert {"orders_live", "loads"} <= names
    assert not names & {"audit", "settings", "layouts", "rejects", "login_failures"}


def test_cockpit_sql_never_reads_the_audit_through_a_cte(server):
    out = server.cli("sql", "with audit as (select * from audit) select * from audit", "--json")
    assert out.returncode == 2 and "private" in out.stderr, out


@pytest.mark.parametrize("timeout", [0, -1])
def test_a_zero_or_negative_time_limit_is_the_minimum_not_none(server, timeout):
    status, doc = post_sql(server, {"query": RUNAWAY, "timeout": timeout})
    assert status == 400 and "Stopped after 0.1 s" in doc["error"], doc


@pytest.mark.parametrize(
    "raw",
    [b'{"query": "select 1", "timeout": NaN}', b'{"query": "select 1", "timeout": Infinity}',
     b'{"query": "select 1", "timeout": "soon"}'],
)  # fmt: skip
def test_a_time_limit_that_is_not_a_finite_number_is_a_400(server, raw):
    status, doc = post_sql(server, None, raw)
    assert status == 400 and "time limit" in doc["error"], doc


def test_an_oversized_body_is_a_413_before_it_is_read(server):
    status, doc = post_sql(server, None, b'{"query": "' + b"x" * (2 * 1024**2) + b'"}')
    assert status == 413 and "1 MB" in doc["error"], doc


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"\xff\xfe", b"[1, 2]", b'"select 1"', b'{"query": 1}',
     b'{"query": "select 1", "max_rows": null}', b'{"query": "select 1", "max_rows": "ten"}'],
)  # fmt: skip
def test_bad_sql_bodies_are_a_400_with_a_message(server, raw):
    status, doc = post_sql(server, None, raw)
    assert status == 400 and doc["error"], doc


def test_nan_and_infinity_are_sent_as_null_in_strict_json(server):
    req = urllib.request.Request(
        server.url + "/api/sql",
        data=b"{\"query\": \"select 'nan'::double as a, 'inf'::double as b, 1.5 as c\"}",
        method="POST",
        headers={"Authorization": f"Bearer {server.analyst}"},
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        doc = strict(r.read())
    assert doc["rows"] == [{"a": None, "b": None, "c": 1.5}]


def test_a_bad_map_on_the_loads_endpoint_is_a_400_not_a_traceback(server):
    status, doc = server.call(
        "POST", "/api/loads?file=x.csv&map=bad", server.analyst, b"a,b\n1,2\n"
    )
    assert status == 400 and "map" in doc["error"] and "bad" in doc["error"], doc
    log = "".join(p.read_text() for p in server.workdir.glob("server-*.log"))
    assert "SystemExit" not in log and "Traceback" not in log


def test_refused_kpi_parameters_say_what_was_refused(server):
    status, doc = server.call("GET", "/api/kpis?period=quarter&month=2025-13", server.analyst)
    assert status == 400, doc
    assert doc["error"].startswith("Refused") and "month='2025-13'" in doc["error"], doc
    assert "Ignored" not in doc["error"]


def test_undoing_an_unknown_load_is_a_404(server):
    status, doc = server.call("POST", "/api/loads/987654/undo", server.analyst)
    assert status == 404 and "987654" in doc["error"], doc


def test_sigterm_interrupts_a_running_query_instead_of_waiting_for_it(tmp_path):
    srv = AppServer(tmp_path).start()
    try:
        analyst = srv.token("ann", "analyst")
        answer = {}
        doc = json.dumps({"query": RUNAWAY, "timeout": 300}).encode()

        def run():
            try:
                answer["r"] = srv.call("POST", "/api/sql", analyst, doc)
            except OSError as exc:  # the server may close the connection on its way out
                answer["r"] = exc

        client = threading.Thread(target=run)
        client.start()
        time.sleep(2.0)  # let the query start
        srv.proc.send_signal(signal.SIGTERM)
        try:
            code = srv.proc.wait(timeout=60)  # the query alone would run for 300 s
        except subprocess.TimeoutExpired:
            pytest.fail("the server waited for the running query instead of stopping it")
        client.join(60)
        assert code == 0 or code == -signal.SIGTERM
        if isinstance(answer.get("r"), tuple):
            status, body = answer["r"]
            assert status == 400 and "shutting down" in body["error"], body
    finally:
        srv.stop()
