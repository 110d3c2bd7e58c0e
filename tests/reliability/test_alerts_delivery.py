"""Alerts end to end through real servers: an SMTP server (aiosmtpd) and a webhook receiver
(http.server), both on free loopback ports; loads through the CLI with no app server."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from cockpit import alerts, auth
from cockpit import store as store_mod
from cockpit.alerts import rules
from cockpit.cli import main

ADMIN = auth.User("ada", "admin")
JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = f"Subject: {msg['Subject']}\n{msg.get_content()}"
        self.messages.append((envelope.rcpt_tos, text))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def webhook():
    posts = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            posts.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", posts
    server.shutdown()


def _orders_csv(path, month: dt.date, late: int, n: int = 10, order: int = 1):
    """n orders in `month`, `late` of them delivered after the promised date."""
    lines = ["Order ID,Order Date,Promised Date,Delivered Date,Quantity,Revenue,Site"]
    rows = []
    for i in range(n):
        day = month.replace(day=1 + i)
        promised = day + dt.timedelta(days=5)
        delivered = promised + dt.timedelta(days=3 if i < late else -1)
        rows.append(f"O{month:%m}{i},{day},{promised},{delivered},2,20.0,Leeds")
    lines += rows[::order]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "c.duckdb"
    monkeypatch.setenv("COCKPIT_PUBLIC_URL", "http://cockpit.test:8501")
    store = store_mod.get_store(path)
    rules.set_owner(store, "on_time_pct", "Priya", "priya@example.com", ADMIN)
    # One KPI watched (the default watches every KPI), no restatement rule: one alert a load.
    rules.save_rule(store, rules.Rule("default_red", "red", kpi="on_time_pct"), ADMIN)
    rules.save_rule(store, rules.Rule("default_restated", "restated", enabled=False), ADMIN)
    yield path, store
    store.close()


def _load(db_path, file) -> int:
    return main(["load", file, "--db", str(db_path)])


def test_red_then_same_numbers_then_back_to_normal(db, smtp, webhook, tmp_path, monkeypatch):
    (db_path, store), (controller, inbox), (hook_url, posts) = db, smtp, webhook
    monkeypatch.setenv("COCKPIT_SMTP", f"smtp://127.0.0.1:{controller.port}")
    monkeypatch.setenv("COCKPIT_WEBHOOK", hook_url)
    assert _load(db_path, _orders_csv(tmp_path / "jan.csv", JAN, late=0)) == 0
    assert inbox.messages == [] and posts == []  # green: nothing to say

    assert _load(db_path, _orders_csv(tmp_path / "feb.csv", FEB, late=5)) == 0
    seq = store.latest_seq()
    link = f"http://cockpit.test:8501/Efficiency?month=2025-02&asof={seq}"
    assert len(inbox.messages) == 1
    to, text = inbox.messages[0]
    assert to == ["priya@example.com"]
    assert "On-time delivery turned red: 50.0% in Feb 2025" in text and link in text
    assert len(posts) == 1 and posts[0]["text"].startswith("On-time delivery turned red: 50.0%")
    assert link in posts[0]["text"]

    # The same month again, the same numbers (rows in another order: a new file): nothing.
    assert _load(db_path, _orders_csv(tmp_path / "feb2.csv", FEB, late=5, order=-1)) == 0
    assert len(inbox.messages) == 1 and len(posts) == 1

    assert _load(db_path, _orders_csv(tmp_path / "feb3.csv", FEB, late=0)) == 0
    assert len(inbox.messages) == 2 and len(posts) == 2
    assert "On-time delivery is back to normal: 100.0% in Feb 2025" in inbox.messages[1][1]
    assert "Back to normal" in inbox.messages[1][1]  # the subject

    listed = alerts.list_alerts(store, ADMIN)
    assert [(a["state"], a["kpi"], a["before_value"], a["after_value"]) for a in listed] == [
        ("normal", "on_time_pct", 50.0, 100.0),
        ("fired", "on_time_pct", None, 50.0),
    ]
    assert {a["delivery"] for a in listed} == {"delivered"}


def test_a_dead_smtp_server_leaves_the_load_committed_and_retries(db, tmp_path, monkeypatch):
    db_path, store = db
    monkeypatch.setenv("COCKPIT_SMTP", f"smtp://127.0.0.1:{_free_port()}")  # nobody listens
    monkeypatch.delenv("COCKPIT_WEBHOOK", raising=False)
    assert _load(db_path, _orders_csv(tmp_path / "jan.csv", JAN, late=0)) == 0
    before = store.latest_seq()
    assert _load(db_path, _orders_csv(tmp_path / "feb.csv", FEB, late=5)) == 0
    assert store.latest_seq() == before + 1  # committed
    [alert] = alerts.list_alerts(store, ADMIN)
    assert alert["state"] == "fired" and alert["delivery"] == "delivery failed, retrying"
    assert "priya@example.com: retrying" in alert["deliveries"][0]
