"""Brief schedules: the cron parser and slots (hand-computed), a missed slot sent once, every
send recorded, a dead SMTP server recorded as a failed send and retried with back-off."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from cockpit import auth, ledger
from cockpit.briefs import cron, schedule

ADMIN = auth.User("ada", "admin")
T = dt.datetime


# -- cron ------------------------------------------------------------------------------------


def test_parse_fields_ranges_steps_lists_and_names():
    c = cron.parse("*/15 9-17/4 1,15 jan-mar mon-fri")
    assert c.minutes == {0, 15, 30, 45}
    assert c.hours == {9, 13, 17}
    assert c.days == {1, 15}
    assert c.months == {1, 2, 3}
    assert c.weekdays == {1, 2, 3, 4, 5}
    assert cron.parse("0 0 * * 7").weekdays == {0}  # 7 is Sunday too
    assert cron.parse("5/20 * * * *").minutes == {5, 25, 45}
    assert cron.parse(" 0  7 * *  1 ").text == "0 7 * * 1"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("0 7 * *", "5 fields"),
        ("60 * * * *", "minute: 60 is outside 0-59"),
        ("0 24 * * *", "hour: 24 is outside 0-23"),
        ("0 0 0 * *", "day of month: 0 is outside 1-31"),
        ("0 0 * 13 *", "month: 13 is outside 1-12"),
        ("*/0 * * * *", "step '0'"),
        ("0 5-1 * * *", "runs backwards"),
        ("0 x * * *", "'x' is not a number"),
    ],
)
def test_parse_refuses_what_is_wrong(text, words):
    with pytest.raises(ValueError, match=words):
        cron.parse(text)


def test_weekly_slot_monday_seven_utc():
    weekly = cron.parse(cron.WEEKLY)
    # 2026-12-07 is a Monday.
    assert cron.latest_slot(weekly, T(2026, 12, 7, 6, 59)) == T(2026, 11, 30, 7, 0)
    assert cron.latest_slot(weekly, T(2026, 12, 7, 7, 0)) == T(2026, 12, 7, 7, 0)
    assert cron.latest_slot(weekly, T(2026, 12, 10, 12, 0)) == T(2026, 12, 7, 7, 0)
    assert cron.next_slot(weekly, T(2026, 12, 7, 7, 0)) == T(2026, 12, 14, 7, 0)
    assert cron.next_slot(weekly, T(2026, 12, 7, 6, 59)) == T(2026, 12, 7, 7, 0)


def test_monthly_slot_the_second_after_the_loads():
    monthly = cron.parse(cron.MONTHLY)
    assert cron.latest_slot(monthly, T(2026, 3, 1, 12, 0)) == T(2026, 2, 2, 7, 0)
    assert cron.latest_slot(monthly, T(2026, 3, 2, 7, 0)) == T(2026, 3, 2, 7, 0)
    assert cron.latest_slot(monthly, T(2026, 1, 1, 0, 0)) == T(2025, 12, 2, 7, 0)
    assert cron.next_slot(monthly, T(2026, 12, 2, 7, 0)) == T(2027, 1, 2, 7, 0)


def test_day_of_month_or_day_of_week_when_both_are_given():
    # Vixie cron: the 13th, or any Friday. 2026-02-13 is a Friday, 2026-03-13 too;
    # 2026-03-06 is a Friday and 2026-04-13 a Monday.
    c = cron.parse("0 12 13 * fri")
    assert cron.latest_slot(c, T(2026, 3, 12, 0, 0)) == T(2026, 3, 6, 12, 0)
    assert cron.next_slot(c, T(2026, 4, 10, 12, 0)) == T(2026, 4, 13, 12, 0)


def test_a_rare_expression_is_found_years_back():
    leap = cron.parse("0 0 29 2 *")
    assert cron.latest_slot(leap, T(2027, 6, 1)) == T(2024, 2, 29, 0, 0)
    assert cron.next_slot(leap, T(2024, 2, 29, 0, 0)) == T(2028, 2, 29, 0, 0)


def test_slots_in_a_time_zone_are_returned_in_utc():
    weekly = cron.parse(cron.WEEKLY)
    # London in July is UTC+1: Monday 07:00 there is 06:00 UTC; in December it is UTC.
    assert cron.latest_slot(weekly, T(2026, 7, 6, 6, 30), "Europe/London") == T(2026, 7, 6, 6, 0)
    assert cron.latest_slot(weekly, T(2026, 12, 7, 7, 0), "Europe/London") == T(2026, 12, 7, 7, 0)
    # New York springs forward on 2026-03-08: 02:30 does not exist there that night; the
    # slot falls at 03:30 EDT = 07:30 UTC (the day before it was 02:30 EST = 07:30 UTC too).
    daily = cron.parse("30 2 * * *")
    assert cron.latest_slot(daily, T(2026, 3, 8, 12, 0), "America/New_York") == T(2026, 3, 8, 7, 30)
    assert cron.latest_slot(daily, T(2026, 3, 7, 12, 0), "America/New_York") == T(2026, 3, 7, 7, 30)
    with pytest.raises(ValueError, match="unknown time zone"):
        cron.zone("Mars/Olympus")


def test_describe_the_presets():
    assert cron.describe("0 7 * * 1") == "Weekly, Monday 07:00"
    assert cron.describe("0 7 2 * *").startswith("Monthly, the 2nd")
    assert cron.describe("*/5 * * * *") == "Cron */5 * * * *"


# -- schedules on a store --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch):
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setenv("COCKPIT_SMTP", f"smtp://127.0.0.1:{controller.port}")
    monkeypatch.setenv("COCKPIT_PUBLIC_URL", "http://cockpit.test")
    yield inbox
    controller.stop()


@pytest.fixture
def db(store, tiny_tables):
    for name, rows in tiny_tables.items():
        ledger.load_table(store, name, rows)
    return store


def fake_pdf(html: str) -> bytes:
    """Stands in for Chromium here (the reliability test renders with it)."""
    return b"%PDF-1.4 " + str(len(html)).encode()


def test_a_new_schedule_waits_for_its_next_slot(db, smtp):
    # Saved on Monday 08:00, after that Monday's 07:00: nothing until the next Monday.
    saved = schedule.save(db, ADMIN, name="Monday pack", when="weekly", view_url="",
                          recipients="coo@example.com", now=T(2026, 11, 30, 8, 0))  # fmt: skip
    assert saved.cron == "0 7 * * 1" and saved.last_slot == T(2026, 11, 30, 7, 0)
    assert schedule.tick(db, T(2026, 12, 6, 23, 59), render=fake_pdf) == []
    assert smtp.messages == []


def test_missed_slots_are_sent_once_then_nothing_until_the_next(db, smtp):
    schedule.save(db, ADMIN, name="Monday pack", when="weekly", view_url="?compare=yoy",
                  recipients="coo@example.com, ops@example.com",
                  now=T(2026, 11, 30, 8, 0))  # fmt: skip
    # Down over three Mondays (Dec 7, 14, 21): back on Dec 21 at 09:00, one send for Dec 21.
    sent = schedule.tick(db, T(2026, 12, 21, 9, 0), render=fake_pdf)
    assert [(s["slot"], s["status"]) for s in sent] == [(T(2026, 12, 21, 7, 0), "sent")]
    assert len(smtp.messages) == 1
    rcpt, msg = smtp.messages[0]
    assert rcpt == ["coo@example.com", "ops@example.com"]
    assert msg["Subject"].startswith("[Ops Cockpit] Monday pack: Operations scorecard")
    (pdf,) = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_content().startswith(b"%PDF-1.4 ") and pdf.get_filename().endswith(".pdf")
    body = msg.get_body(("plain",)).get_content()
    assert f"http://cockpit.test/?compare=yoy&asof={db.latest_seq()}" in body
    # The same minute again (a restart), and later that week: nothing more.
    assert schedule.tick(db, T(2026, 12, 21, 9, 0), render=fake_pdf) == []
    assert schedule.tick(db, T(2026, 12, 27, 23, 0), render=fake_pdf) == []
    assert len(smtp.messages) == 1
    # The next Monday: one more.
    assert len(schedule.tick(db, T(2026, 12, 28, 7, 0), render=fake_pdf)) == 1
    sends = schedule.list_sends(db, ADMIN)
    assert [(s["slot"], s["status"], s["trigger"], s["recipients"]) for s in sends] == [
        (T(2026, 12, 28, 7, 0), "sent", "server", ["coo@example.com", "ops@example.com"]),
        (T(2026, 12, 21, 7, 0), "sent", "server", ["coo@example.com", "ops@example.com"]),
    ]


def test_a_dead_smtp_server_is_a_failed_send_retried_with_back_off(db, monkeypatch):
    monkeypatch.setenv("COCKPIT_SMTP", f"smtp://127.0.0.1:{_free_port()}")  # nobody listens
    schedule.save(db, ADMIN, name="Monthly", when="monthly", recipients=["coo@example.com"],
                  now=T(2026, 11, 1))  # fmt: skip
    slot = T(2026, 11, 2, 7, 0)
    first = schedule.tick(db, T(2026, 11, 2, 7, 0), render=fake_pdf)
    assert [(s["slot"], s["status"]) for s in first] == [(slot, "failed")]
    assert "ConnectionRefusedError" in first[0]["error"]
    # Not again within the first wait (60 s); again after it; the slot is still owed.
    assert schedule.tick(db, T(2026, 11, 2, 7, 0, 59), render=fake_pdf) == []
    assert len(schedule.tick(db, T(2026, 11, 2, 7, 1), render=fake_pdf)) == 1
    assert schedule.get(db, "Monthly").last_slot == T(2026, 10, 2, 7, 0)
    # Every retry fails: after the last one (1 + 5 tries) the slot is given up.
    at = T(2026, 11, 2, 7, 1)
    for wait in (300, 1800, 7200, 21600):
        at += dt.timedelta(seconds=wait)
        assert len(schedule.tick(db, at, render=fake_pdf)) == 1
    assert schedule.get(db, "Monthly").last_slot == slot
    assert schedule.tick(db, at + dt.timedelta(days=1), render=fake_pdf) == []
    sends = schedule.list_sends(db, ADMIN, schedule="Monthly")
    assert [s["status"] for s in sends] == ["failed"] * 6


def test_send_now_counts_for_the_latest_slot(db, smtp):
    schedule.save(db, ADMIN, name="Monday pack", when="0 7 * * 1", recipients="coo@example.com",
                  now=T(2026, 11, 30, 8, 0))  # fmt: skip
    done = schedule.send_now(db, ADMIN, "Monday pack", now=T(2026, 12, 7, 7, 5), render=fake_pdf)
    assert (done["slot"], done["status"]) == (T(2026, 12, 7, 7, 0), "sent")
    assert schedule.tick(db, T(2026, 12, 7, 7, 6), render=fake_pdf) == []  # not twice
    assert len(smtp.messages) == 1


def test_only_admins_manage_and_the_inputs_are_checked(db):
    analyst = auth.User("ann", "analyst")
    with pytest.raises(auth.PermissionDenied):
        schedule.save(db, analyst, name="x", when="weekly", recipients="a@example.com")
    with pytest.raises(auth.PermissionDenied):
        schedule.send_now(db, analyst, "x")
    for kwargs, words in [
        ({"when": "every monday"}, "5 fields"),
        ({"recipients": "not-an-address"}, "not an e-mail address"),
        ({"recipients": ""}, "at least one recipient"),
        ({"view_url": "?period=fortnight"}, "the view link: Ignored period"),
        ({"timezone": "Nowhere/Else"}, "unknown time zone"),
    ]:
        args = {"name": "x", "when": "weekly", "recipients": "a@example.com", **kwargs}
        with pytest.raises(ValueError, match=words):
            schedule.save(db, ADMIN, **args)
    assert schedule.list_schedules(db) == []


def test_a_retimed_schedule_starts_after_now_and_an_unchanged_one_keeps_its_slot(db):
    first = schedule.save(db, ADMIN, name="p", when="weekly", recipients="a@example.com",
                          now=T(2026, 11, 30, 8, 0))  # fmt: skip
    same = schedule.save(db, ADMIN, name="p", when="weekly", recipients="b@example.com",
                         now=T(2026, 12, 20, 8, 0))  # fmt: skip
    assert same.last_slot == first.last_slot == T(2026, 11, 30, 7, 0)
    assert same.recipients == ("b@example.com",)
    monthly = schedule.save(db, ADMIN, name="p", when="monthly", recipients="b@example.com",
                            now=T(2026, 12, 20, 8, 0))  # fmt: skip
    assert monthly.last_slot == T(2026, 12, 2, 7, 0)
    # Off over two slots, then on again: it starts after the moment it is switched on.
    off = schedule.save(db, ADMIN, name="p", when="monthly", recipients="b@example.com",
                        enabled=False, now=T(2026, 12, 20, 8, 0))  # fmt: skip
    assert off.last_slot == T(2026, 12, 2, 7, 0)
    assert schedule.tick(db, T(2027, 2, 10), render=fake_pdf) == []
    on = schedule.save(db, ADMIN, name="p", when="monthly", recipients="b@example.com",
                       now=T(2027, 2, 10))  # fmt: skip
    assert on.last_slot == T(2027, 2, 2, 7, 0) and on.due(T(2027, 2, 10)) is None
    schedule.delete(db, ADMIN, "p")
    assert schedule.list_schedules(db) == []
