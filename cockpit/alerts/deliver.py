"""Deliver alerts by e-mail (SMTP with STARTTLS) and webhook (a JSON POST with a `text`
field, which Slack and Teams incoming webhooks accept), off the load's path.

Deliveries are rows of `alert_deliveries`, queued after the load committed; a background
thread sends them, and retries a failure with back-off (1 min, 5 min, 30 min, 2 h, 6 h)
before marking it failed. Nothing here ever runs inside a load's transaction.

Where the settings come from, first found wins: $COCKPIT_SMTP (smtp://[user:password@]
host:port) and $COCKPIT_WEBHOOK; Settings (`smtp`, `alert_webhook`); the [smtp] table of
.streamlit/secrets.toml.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import smtplib
import threading
import tomllib
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cockpit import queries

log = logging.getLogger(__name__)
BACKOFF_S = (60, 300, 1800, 7200, 21600)  # the waits after the 1st, 2nd, ... failure
TIMEOUT_S = 10.0
SECRETS = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml"
LOOPBACK = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "ops-cockpit@localhost"
    starttls: bool = True  # required before a password leaves a non-loopback host

    def public(self) -> dict:
        """What Settings may show: everything but the password."""
        return {"host": self.host, "port": self.port, "user": self.user, "sender": self.sender,
                "starttls": self.starttls, "password_set": bool(self.password)}  # fmt: skip


def parse_smtp_url(url: str) -> SmtpConfig:
    """smtp://[user:password@]host:port -> SmtpConfig (ValueError with what is wrong)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("COCKPIT_SMTP must look like smtp://[user:password@]host:port")
    return SmtpConfig(
        host=parts.hostname, port=parts.port or 587,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )  # fmt: skip


def _secrets_smtp() -> dict:
    try:
        return dict(tomllib.loads(SECRETS.read_text(encoding="utf-8")).get("smtp", {}))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def smtp_config(store) -> SmtpConfig | None:
    """The SMTP server to send through, or None (no e-mail)."""
    if os.environ.get("COCKPIT_SMTP"):
        return parse_smtp_url(os.environ["COCKPIT_SMTP"])
    conf = store.get_setting("smtp") or _secrets_smtp()
    if not conf or not conf.get("host"):
        return None
    return SmtpConfig(
        host=conf["host"], port=int(conf.get("port") or 587), user=conf.get("user") or None,
        password=conf.get("password") or None,
        sender=conf.get("sender") or SmtpConfig.sender,
        starttls=bool(conf.get("starttls", True)),
    )  # fmt: skip


def webhook_url(store) -> str | None:
    return os.environ.get("COCKPIT_WEBHOOK") or store.get_setting("alert_webhook") or None


# -- sending ------------------------------------------------------------------------------


def subject(alert: dict) -> str:
    head = {"fired": "Alert", "normal": "Back to normal", "event": "Alert"}[alert["state"]]
    return f"[Ops Cockpit] {head}: {alert['message'][:150]}"


def body(alert: dict) -> str:
    return f"{alert['message']}\n\nSee the numbers as they were: {alert['link']}\n"


def send_email(conf: SmtpConfig, to: str, alert: dict) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = conf.sender, to, subject(alert)
    msg.set_content(body(alert))
    send_message(conf, msg)


def send_message(conf: SmtpConfig, msg: EmailMessage) -> dict:
    """Send one message through the SMTP server (STARTTLS when offered; a password is never
    sent in clear to another machine); the recipients it refused, {} when none (alerts and
    the scheduled briefs alike)."""
    if not msg["From"]:
        msg["From"] = conf.sender
    with smtplib.SMTP(conf.host, conf.port, timeout=TIMEOUT_S) as smtp:
        smtp.ehlo()
        if conf.starttls and smtp.has_extn("starttls"):
            smtp.starttls()
            smtp.ehlo()
        elif conf.password and conf.host not in LOOPBACK:
            raise RuntimeError("the SMTP server offers no STARTTLS: the password is not sent")
        if conf.user and conf.password:
            smtp.login(conf.user, conf.password)
        return smtp.send_message(msg)


def post_webhook(url: str, alert: dict) -> None:
    data = json.dumps({"text": f"{alert['message']}\n{alert['link']}"}).encode()
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:  # noqa: S310 - configured URL
        resp.read()


def deliver_due(store, now: dt.datetime | None = None) -> dict[str, int]:
    """Try every delivery due by `now` once; {'sent': n, 'retrying': n, 'failed': n}."""
    now = now or dt.datetime.now()
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    due = queries.run(store, "alert_deliveries_due", at=now).to_pylist()
    conf, conf_error = None, None
    if any(d["channel"] == "email" for d in due):
        try:
            conf = smtp_config(store)
        except ValueError as exc:
            conf_error = exc
    for d in due:
        error = None
        try:
            if d["channel"] == "email":
                if conf_error is not None:
                    raise conf_error
                if conf is None:
                    raise RuntimeError("no SMTP server is set (Settings or COCKPIT_SMTP)")
                send_email(conf, d["target"], d)
            else:
                post_webhook(d["target"], d)
        except Exception as exc:  # noqa: BLE001 - any failure is kept and retried
            error = f"{type(exc).__name__}: {exc}"[:300]
        if error is None:
            status, next_at = "sent", None
        elif d["attempts"] < len(BACKOFF_S):
            status = "retrying"
            next_at = now + dt.timedelta(seconds=BACKOFF_S[d["attempts"]])
        else:
            status, next_at = "failed", None
        counts[status] += 1
        with store.transaction() as cur:
            queries.execute(cur, "alert_delivery_done", alert_id=d["alert_id"],
                            delivery_channel=d["channel"], target=d["target"], status=status,
                            next_at=next_at, error=error)  # fmt: skip
    return counts


# -- the background sender ----------------------------------------------------------------

_LOCK = threading.Lock()
_WORKERS: dict[int, tuple[threading.Thread, threading.Event]] = {}


def kick(store) -> threading.Thread:
    """Make sure a sender thread serves `store` now (started, or woken)."""
    with _LOCK:
        running = _WORKERS.get(id(store))
        if running and running[0].is_alive():
            running[1].set()
            return running[0]
        wake = threading.Event()
        thread = threading.Thread(target=_serve, args=(store, wake), name="cockpit-alerts",
                                  daemon=True)  # fmt: skip
        _WORKERS[id(store)] = (thread, wake)
        thread.start()
        return thread


def _serve(store, wake: threading.Event) -> None:
    while True:
        wake.clear()
        try:
            deliver_due(store)
            row = queries.run(store, "alert_deliveries_waiting").to_pylist()[0]
        except Exception:  # noqa: BLE001 - a closed store or a bug: stop, the rows stay
            log.exception("alert delivery stopped")
            row = {"waiting": 0}
        with _LOCK:
            if not row["waiting"]:
                _WORKERS.pop(id(store), None)
                return
        wait = (row["next_at"] - dt.datetime.now()).total_seconds() if row["next_at"] else 60
        wake.wait(min(max(wait, 0.05), 60))


def flush(store, timeout_s: float = 30.0) -> None:
    """Wait (at most `timeout_s`) for the first try of every queued delivery: a CLI load
    whose process ends next. Retries are left for the next run or the server."""
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            rows = queries.run(store, "alert_deliveries_pending").to_pylist()
            if not rows[0]["pending"]:
                return
        time.sleep(0.1)


def save_settings(store, user, *, smtp: dict | None, webhook: str | None) -> None:
    """Save the SMTP server and the webhook URL (admins). A blank password keeps the saved
    one; the audit log never holds it."""
    from cockpit import auth
    from cockpit.store import audit

    auth.require(user, "settings")
    if webhook and urlsplit(webhook).scheme not in ("http", "https"):
        raise ValueError("The webhook URL starts with https:// (or http://).")
    if smtp is not None:
        saved = store.get_setting("smtp") or {}
        smtp = {**smtp, "password": smtp.get("password") or saved.get("password")}
        if smtp.get("host") and not str(smtp.get("port") or "587").isdigit():
            raise ValueError("The SMTP port is a number, e.g. 587.")
    with store.transaction() as cur:
        if smtp is not None:
            queries.execute(cur, "setting_put", key="smtp", value=json.dumps(smtp))
        queries.execute(cur, "setting_put", key="alert_webhook", value=json.dumps(webhook or None))
        shown = {k: v for k, v in (smtp or {}).items() if k != "password"}
        audit(cur, user.name, "alert_delivery", {"smtp": shown, "webhook": webhook})
