"""Brief schedules: a view, a cron expression (weekly, monthly or any) and recipients; the
server sends the view's brief as a PDF with its pinned link, and records every send.

Each schedule keeps `last_slot`, the newest slot sent. A tick (the server's scheduler loop
each minute, or `cockpit brief --due`) sends a schedule when its latest slot is newer: a
schedule missed while the server was down is sent once when it is back, for the latest slot,
never once per missed slot. A failed send is recorded and retried with the alerts' back-off
(deliver.BACKOFF_S); after the last retry the slot is given up (recorded as failed).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from dataclasses import dataclass
from email.message import EmailMessage

from cockpit import auth, queries
from cockpit.alerts import deliver
from cockpit.alerts.evaluate import public_url
from cockpit.briefs import cron, document
from cockpit.store import audit

log = logging.getLogger(__name__)
MAX_NAME = 80
MAX_RECIPIENTS = 50
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
# One send at a time per process: the scheduler's tick and a `--send` through the API never
# send the same slot twice.
_SENDING = threading.Lock()


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str
    timezone: str
    view_url: str
    recipients: tuple[str, ...]
    enabled: bool = True
    last_slot: dt.datetime | None = None  # UTC

    @property
    def parsed(self) -> cron.Cron:
        return cron.parse(self.cron)

    def due(self, now_utc: dt.datetime) -> dt.datetime | None:
        """The slot to send at `now_utc`: the latest one, when newer than the last sent."""
        slot = cron.latest_slot(self.parsed, now_utc, self.timezone)
        if slot is None or (self.last_slot is not None and slot <= self.last_slot):
            return None
        return slot

    def next_slot(self, now_utc: dt.datetime) -> dt.datetime | None:
        return cron.next_slot(self.parsed, now_utc, self.timezone)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def list_schedules(store) -> list[Schedule]:
    return [
        Schedule(
            name=r["name"],
            cron=r["cron"],
            timezone=r["timezone"],
            view_url=r["view_url"],
            recipients=tuple(r["recipients"]),
            enabled=bool(r["enabled"]),
            last_slot=r["last_slot"],
        )  # fmt: skip
        for r in queries.run(store, "brief_schedules").to_pylist()
    ]


def get(store, name: str) -> Schedule:
    for s in list_schedules(store):
        if s.name == name:
            return s
    raise KeyError(f"no brief schedule named {name!r}")


def parse_recipients(text: str | list[str]) -> list[str]:
    """E-mail addresses from a comma, semicolon or line separated text (or a list)."""
    words = text if isinstance(text, list) else re.split(r"[,;\s]+", text or "")
    out = list(dict.fromkeys(w.strip() for w in words if w and w.strip()))
    bad = [w for w in out if not _EMAIL.fullmatch(w)]
    if bad:
        raise ValueError(f"not an e-mail address: {', '.join(bad[:3])}")
    if not out:
        raise ValueError("a schedule needs at least one recipient")
    if len(out) > MAX_RECIPIENTS:
        raise ValueError(f"at most {MAX_RECIPIENTS} recipients per schedule")
    return out


def save(store, user, *, name: str, when: str, view_url: str = "", recipients,
         timezone: str = "UTC", enabled: bool = True,
         now: dt.datetime | None = None) -> Schedule:  # fmt: skip
    """Create or change a schedule (admins). `when`: "weekly", "monthly" or a cron
    expression. A new or re-timed schedule starts after `now`: its first send is its next
    slot, not one already past."""
    auth.require(user, "settings")
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise ValueError(f"a schedule's name is 1-{MAX_NAME} characters")
    expression = cron.PRESETS.get((when or "").strip().lower(), (when or "").strip())
    parsed = cron.parse(expression)
    cron.zone(timezone)
    _, notices = document.state_from_url(view_url)
    if notices:
        raise ValueError("the view link: " + " ".join(notices))
    emails = parse_recipients(recipients)
    now = now or utc_now()
    try:
        old = get(store, name)
    except KeyError:
        old = None
    # Unchanged timing keeps its place; a new, re-timed or re-enabled schedule starts now
    # (switched back on after months, it does not send what fell due while it was off).
    same_timing = old is not None and (old.cron, old.timezone) == (parsed.text, timezone or "UTC")
    re_enabled = old is not None and not old.enabled and bool(enabled)
    if same_timing and not re_enabled:
        start = old.last_slot
    else:
        start = cron.latest_slot(parsed, now, timezone)
    with store.transaction() as cur:
        queries.execute(cur, "brief_schedule_put", schedule=name, cron=parsed.text,
                        timezone=timezone or "UTC", view_url=(view_url or "").strip(),
                        recipients=emails, enabled=bool(enabled), last_slot=start,
                        user_name=getattr(user, "name", None))  # fmt: skip
        audit(cur, getattr(user, "name", None), "brief_schedule",
              {"name": name, "cron": parsed.text, "timezone": timezone, "view": view_url,
               "recipients": emails, "enabled": bool(enabled)})  # fmt: skip
    return get(store, name)


def delete(store, user, name: str) -> None:
    auth.require(user, "settings")
    with store.transaction() as cur:
        queries.execute(cur, "brief_schedule_delete", schedule=name)
        audit(cur, getattr(user, "name", None), "brief_schedule_delete", {"name": name})


def list_sends(store, user, *, schedule: str | None = None, limit: int = 200) -> list[dict]:
    """Every send, newest first: schedule, slot, when, recipients, status, error (readers)."""
    auth.require(user, "read")
    return queries.run(store, "brief_sends", schedule_filter=schedule or None,
                       limit=int(limit)).to_pylist()  # fmt: skip


# -- sending -------------------------------------------------------------------------------


def message(conf: deliver.SmtpConfig, schedule: Schedule, brief: document.Brief,
            pdf: bytes) -> EmailMessage:  # fmt: skip
    msg = EmailMessage()
    msg["From"], msg["To"] = conf.sender, ", ".join(schedule.recipients)
    msg["Subject"] = f"[Ops Cockpit] {schedule.name}: {brief.title}, {brief.period_label}"
    msg.set_content(
        f"{brief.title}\n{brief.subtitle}\n\n"
        f"Open this view, pinned to the data of load {brief.version}:\n{brief.link}\n\n"
        f"The one-page brief is attached (PDF).\n"
        f"Sent by the schedule {schedule.name!r} ({cron.describe(schedule.cron)}).\n"
    )
    msg.add_attachment(pdf, maintype="application", subtype="pdf",
                       filename=brief.file_name("pdf"))  # fmt: skip
    return msg


def send(store, schedule: Schedule, *, slot: dt.datetime | None, trigger: str,
         now: dt.datetime | None = None, render=None) -> dict:  # fmt: skip
    """Compose, render and e-mail one schedule's brief now; record the send (sent or failed,
    with the error) and, when sent, move the schedule's last slot to `slot`. Never raises for
    a failed send: it is in the record."""
    from cockpit.export.pdf import html_to_pdf

    now = now or utc_now()
    render = render or html_to_pdf
    link = version = size = None
    error = None
    try:
        conf = deliver.smtp_config(store)
        if conf is None:
            raise RuntimeError("no SMTP server is set (Settings or COCKPIT_SMTP)")
        state, _ = document.state_from_url(schedule.view_url)
        brief = document.from_view(store, state, base_url=public_url(store))
        link, version = brief.link, brief.version
        pdf = render(brief.html)
        size = len(pdf)
        refused = deliver.send_message(conf, message(conf, schedule, brief, pdf))
        if refused:
            error = "refused: " + ", ".join(sorted(refused))[:250]
    except Exception as exc:  # noqa: BLE001 - any failure is recorded, shown and retried
        error = f"{type(exc).__name__}: {exc}"[:300]
        log.warning("brief %r not sent: %s", schedule.name, error)
    status = "failed" if error and not error.startswith("refused: ") else "sent"
    give_up = False
    if status == "failed" and slot is not None:
        failures = queries.run(store, "brief_slot_failures", schedule=schedule.name, slot=slot)
        give_up = failures.column("failures")[0].as_py() + 1 > len(deliver.BACKOFF_S)
    with store.transaction() as cur:
        send_id = queries.execute(
            cur, "brief_send_insert", schedule=schedule.name, slot=slot, at=now,
            trigger=trigger, recipients=list(schedule.recipients), status=status, error=error,
            link=link, version=version, pdf_bytes=size,
        ).fetchone()[0]  # fmt: skip
        if slot is not None and (status == "sent" or give_up):
            queries.execute(cur, "brief_schedule_slot", schedule=schedule.name, slot=slot)
    return {"send_id": send_id, "schedule": schedule.name, "slot": slot, "at": now,
            "status": status, "error": error, "link": link, "pdf_bytes": size}  # fmt: skip


def _waiting(store, schedule: Schedule, slot: dt.datetime, now: dt.datetime) -> bool:
    """Whether the slot failed before and its next retry is not due yet."""
    row = queries.run(store, "brief_slot_failures", schedule=schedule.name, slot=slot)
    failures, last_at = row.column("failures")[0].as_py(), row.column("last_at")[0].as_py()
    if not failures:
        return False
    wait = deliver.BACKOFF_S[min(failures, len(deliver.BACKOFF_S)) - 1]
    return now < last_at + dt.timedelta(seconds=wait)


def tick(store, now: dt.datetime | None = None, *, trigger: str = "server",
         render=None) -> list[dict]:  # fmt: skip
    """Send every enabled schedule that is due at `now` (UTC), once each; the sends made."""
    now = now or utc_now()
    sent = []
    with _SENDING:
        for schedule in list_schedules(store):
            try:
                slot = schedule.due(now) if schedule.enabled else None
            except ValueError:  # an expression saved by an older version: shown in Settings
                continue
            if slot is None or _waiting(store, schedule, slot, now):
                continue
            sent.append(send(store, schedule, slot=slot, trigger=trigger, now=now, render=render))
    return sent


def send_now(store, user, name: str, *, trigger: str = "cli", now: dt.datetime | None = None,
             render=None) -> dict:  # fmt: skip
    """Send a schedule's brief now (admins; `cockpit brief --send`, for crontab): recorded
    against its latest slot, so the server does not send that slot again."""
    auth.require(user, "settings")
    now = now or utc_now()
    with _SENDING:
        schedule = get(store, name)
        slot = cron.latest_slot(schedule.parsed, now, schedule.timezone)
        return send(store, schedule, slot=slot, trigger=trigger, now=now, render=render)
