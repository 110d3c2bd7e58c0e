"""Owners and alerts: rules evaluated after every committed load (and daily for stale data),
each alert recorded with its load and values, then delivered in the app, by e-mail and by
webhook. See rules.py (what is watched), evaluate.py (when an alert fires) and deliver.py.

`after_commit` is called by cockpit.ingest.commit once a load's transaction committed, on
the thread that ran the load (the server's load queue, or the CLI process): it never raises,
so an alert problem never fails a load, and it never waits on SMTP (delivery is threaded).
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from cockpit import auth, queries
from cockpit.alerts import deliver, evaluate
from cockpit.alerts.evaluate import Fired

log = logging.getLogger(__name__)
SEEN_KEY = "alerts_seen:{user}"


def after_commit(store, load_ids: list[int], *, today: dt.date | None = None) -> list[int]:
    """Evaluate the rules on each committed load's version; record and send what fired.
    Returns the new alerts' ids ([] on any failure, which is logged, never raised)."""
    ids: list[int] = []
    try:
        for load_id in load_ids:
            if _is_demo(store, load_id):
                continue  # seeded in pieces: evaluated once at its end (seed_demo)
            fired = evaluate.after_load(store, load_id, today=today)
            if fired:
                seq = queries.run(store, "alert_load", load_id=load_id).column("seq")[0].as_py()
                ids += record(store, fired, load_id=load_id, seq=seq)
    except Exception:  # noqa: BLE001 - an alert must never fail or block a load
        log.exception("alert evaluation after loads %s failed", load_ids)
    return ids


def _is_demo(store, load_id: int) -> bool:
    rows = queries.run(store, "alert_load", load_id=load_id).to_pylist()
    return bool(rows and rows[0]["is_demo"])


def after_demo(store, load_ids: list[int]) -> list[int]:
    """The demo company's alerts: every KPI's rules on the last demo load's version, once."""
    try:
        if not load_ids:
            return []
        last = max(load_ids)
        first = queries.run(store, "alert_load", load_id=min(load_ids)).column("seq")[0]
        # Compared with the version before the demo's first piece: the pieces before the
        # last already hold nearly all of it, so "before" would equal "after".
        since = (first.as_py() or 1) - 1
        fired = evaluate.after_load(store, last, every_kpi=True, since=since)
        seq = queries.run(store, "alert_load", load_id=last).column("seq")[0].as_py()
        return record(store, fired, load_id=last, seq=seq) if fired else []
    except Exception:  # noqa: BLE001 - the demo loads stand without their alerts
        log.exception("demo alerts failed")
        return []


def daily_check(store, today: dt.date | None = None) -> list[int]:
    """The stale-data rules as of `today` (the server runs it once a day)."""
    try:
        fired = evaluate.stale_alerts(store, today or dt.date.today())
        return record(store, fired, load_id=None, seq=store.latest_seq()) if fired else []
    except Exception:  # noqa: BLE001 - logged; tomorrow's run tries again
        log.exception("daily alert check failed")
        return []


def record(store, fired: list[Fired], *, load_id: int | None, seq: int | None) -> list[int]:
    """Store the alerts, open/close their conditions and queue their deliveries, in one
    transaction; then wake the sender."""
    webhook = deliver.webhook_url(store)
    # No SMTP server set: e-mail is not a channel (the alerts stay in the app).
    try:
        smtp = deliver.smtp_config(store) is not None
    except ValueError:  # a malformed COCKPIT_SMTP: queued, and its failure shown per delivery
        smtp = True
    emails = {id(f): evaluate.recipients(store, f) if smtp else [] for f in fired}
    now = dt.datetime.now()
    ids, queued = [], False
    with store.transaction() as cur:
        for f in fired:
            alert_id = queries.execute(
                cur, "alert_insert", rule_id=f.rule.rule_id, kind=f.kind, condition_key=f.key,
                state=f.state, kpi=f.kpi, alert_site=f.site, dataset=f.dataset, month=f.month,
                load_id=load_id, seq=seq, before_value=_num(f.before), after_value=_num(f.after),
                message=f.message, link=f.link,
            ).fetchone()[0]  # fmt: skip
            ids.append(alert_id)
            if f.key and f.state == "fired":
                queries.execute(cur, "alert_open_put", condition_key=f.key, alert_id=alert_id)
            elif f.key:
                queries.execute(cur, "alert_open_delete", condition_key=f.key)
            targets = [("email", e) for e in emails[id(f)]] + (
                [("webhook", webhook)] if webhook else []
            )
            for channel, target in targets:
                queries.execute(cur, "alert_delivery_put", alert_id=alert_id, delivery_channel=channel,
                                target=target, next_at=now)  # fmt: skip
                queued = True
    if queued:
        deliver.kick(store)
    return ids


def _num(v):
    return None if v is None else float(v)


def list_alerts(store, user: auth.User | None, *, kpi: str | None = None,
                state: str | None = None, kind: str | None = None, limit: int = 500) -> list[dict]:  # fmt: skip
    """Alerts newest first, each with its KPI, load, values, state and delivery: anyone
    who may read the cockpit."""
    auth.require(user, "read")
    rows = queries.run(store, "alerts_list", kpi_filter=kpi or None, state_filter=state or None,
                       kind_filter=kind or None, limit=int(limit)).to_pylist()  # fmt: skip
    return rows


def as_json(rows: list[dict]) -> list[dict]:
    """Alerts as plain JSON values (dates as text)."""
    return json.loads(json.dumps(rows, default=str))


def new_since_visit(store, user_name: str) -> tuple[int, int]:
    """(alerts since this user last opened the Alerts page, the newest alert id)."""
    seen = int(store.get_setting(SEEN_KEY.format(user=user_name)) or 0)
    row = queries.run(store, "alerts_since", seen_id=seen).to_pylist()[0]
    return int(row["new_alerts"]), int(row["newest"])


def mark_seen(store, user_name: str, newest: int) -> None:
    """The user has seen the alerts up to `newest` (not audited: it is a page visit)."""
    key = SEEN_KEY.format(user=user_name)
    if int(store.get_setting(key) or 0) >= newest:
        return
    with store.transaction() as cur:
        queries.execute(cur, "setting_put", key=key, value=json.dumps(newest))
