"""The brief on a schedule, end to end: the app server (`streamlit run server.py`) sends a due
schedule's PDF to a real SMTP server (aiosmtpd) started here, once; after a restart (a new
server process on the same database) nothing more is sent. The PDF is read with pdftotext
and says what the HTML brief says. `cockpit brief --pdf` goes through the running server;
`--send` with a dead SMTP server records a failed send and does not crash."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from cockpit import auth, ledger
from cockpit.briefs import document, schedule
from cockpit.store import Store
from reliability.test_server import REPO, AppServer, _free_port

ADMIN = auth.User("ada", "admin")
CHROMIUM = Path("/usr/bin/chromium")
VIEW = "http://cockpit.test/?compare=yoy"
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() or not shutil.which("pdftotext"),
    reason="needs Debian's chromium and pdftotext (make chromium)",
)


class _Inbox:
    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


def _pdf_text(data: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _html_text(markup: str) -> str:
    """The brief's visible text: its body without tags, entities decoded."""
    body = markup.split("<body>", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _words(text: str) -> Counter:
    """The words of a text, case folded (the headings print in capitals), in any order (the
    PDF's text runs by blocks on the page, the HTML's by its source)."""
    return Counter(text.casefold().split())


def _wait(predicate, what: str, server: AppServer, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    log = (server.workdir / f"server-{server.port}.log").read_text(errors="replace")
    raise AssertionError(f"timed out waiting for {what}; the server said:\n{log[-3000:]}")


def _seed(db: Path, tables: dict) -> None:
    """Data, and a yearly schedule saved two years ago: its latest slot is due, once."""
    store = Store.open(db)
    try:
        for name, rows in tables.items():
            ledger.load_table(store, name, rows)
        two_years_ago = schedule.utc_now() - dt.timedelta(days=730)
        schedule.save(store, ADMIN, name="Board pack", when="0 7 2 1 *", view_url=VIEW,
                      recipients="coo@example.com, cfo@example.com",
                      now=two_years_ago)  # fmt: skip
    finally:
        store.close()


def _ticks(server: AppServer) -> int:
    return server.get("/api/health")["schedule_ticks"]


def test_a_due_schedule_is_sent_once_with_the_pdf_and_not_again_after_a_restart(
    tmp_path, smtp, tiny_tables
):
    port, inbox = smtp
    server = AppServer(tmp_path)
    _seed(server.db, tiny_tables)
    server.env["COCKPIT_SMTP"] = f"smtp://127.0.0.1:{port}"
    server.env["COCKPIT_PUBLIC_URL"] = "http://cockpit.test"
    server.start()
    try:
        _wait(lambda: inbox.messages, "the scheduled e-mail", server)
        _wait(lambda: _ticks(server) >= 1, "the scheduler's first round", server)
    finally:
        server.stop()
    assert len(inbox.messages) == 1
    # A new server process on the same database: its first round finds nothing due.
    server.start()
    try:
        _wait(lambda: _ticks(server) >= 1, "the restarted scheduler's first round", server)
        admin, viewer = server.token("ada", "admin"), server.token("vera", "viewer")
        out = server.cli("brief", "--view", VIEW, "--pdf", str(tmp_path / "cli.pdf"),
                         "--token", admin)  # fmt: skip
        assert out.returncode == 0, out.stderr
        status, listed = server.call("GET", "/api/briefs", viewer)
        assert status == 200
        assert [(s["name"], s["when"]) for s in listed["schedules"]] == [
            ("Board pack", "Cron 0 7 2 1 *")
        ]
        assert [(s["status"], s["trigger"]) for s in listed["sends"]] == [("sent", "server")]
        status, refused = server.call("POST", "/api/briefs/Board%20pack/send", viewer)
        assert status == 403, refused
    finally:
        server.stop()
    assert len(inbox.messages) == 1

    rcpt, msg = inbox.messages[0]
    assert rcpt == ["coo@example.com", "cfo@example.com"]
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf)) == 1
    text = _pdf_text(pdf, tmp_path, "mailed.pdf")

    store = Store.open(server.db)
    try:
        sends = schedule.list_sends(store, ADMIN)
        state, _ = document.state_from_url(VIEW)
        brief = document.from_view(store, state, base_url="http://cockpit.test")
        version = store.latest_seq()
    finally:
        store.close()
    assert [(s["schedule"], s["status"], s["trigger"], s["error"]) for s in sends] == [
        ("Board pack", "sent", "server", None)
    ]
    assert sends[0]["slot"].month == 1 and sends[0]["slot"].day == 2
    assert sends[0]["link"] == f"http://cockpit.test/?compare=yoy&asof={version}"
    assert sends[0]["link"] in msg.get_body(("plain",)).get_content()

    # The PDF says what the HTML brief of the same view and version says: the headline, every
    # KPI's name and value, the movers; word for word.
    assert brief.subtitle in " ".join(text.split())
    assert len(brief.labels) >= 20
    for label in brief.labels:
        assert label in text, label
    assert _words(text) == _words(_html_text(brief.html)), "PDF and HTML texts differ"
    # `cockpit brief --pdf` through the running server: the same text.
    assert _words(_pdf_text((tmp_path / "cli.pdf").read_bytes(), tmp_path, "c.pdf")) == _words(text)


def _cli(db: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cockpit", "brief", *args, "--db", str(db)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_cli_without_a_server_sends_records_a_dead_smtp_server_and_writes_the_pdf(
    tmp_path, tiny_tables
):
    db = tmp_path / "c.duckdb"
    _seed(db, tiny_tables)
    out = _cli(db, "--send", "Board pack", env={"COCKPIT_SMTP": f"smtp://127.0.0.1:{_free_port()}"})
    assert out.returncode == 1, out.stderr
    assert "failed" in out.stdout and "ConnectionRefusedError" in out.stdout
    listed = _cli(db, "--sends", "--json")
    assert listed.returncode == 0, listed.stderr
    sends = json.loads(listed.stdout)
    assert [(s["schedule"], s["status"], s["trigger"]) for s in sends] == [
        ("Board pack", "failed", "cli")
    ]
    assert sends[0]["recipients"] == ["coo@example.com", "cfo@example.com"]
    made = _cli(db, "--view", VIEW, "--pdf", str(tmp_path / "b.pdf"),
                env={"COCKPIT_PUBLIC_URL": "http://cockpit.test"})  # fmt: skip
    assert made.returncode == 0, made.stderr
    store = Store.open(db)
    try:
        owed = schedule.get(store, "Board pack").due(schedule.utc_now())
        state, _ = document.state_from_url(VIEW)
        brief = document.from_view(store, state, base_url="http://cockpit.test")
    finally:
        store.close()
    assert owed is not None  # the slot is still owed: the server retries it
    text = _pdf_text((tmp_path / "b.pdf").read_bytes(), tmp_path, "read.pdf")
    assert _words(text) == _words(_html_text(brief.html))
