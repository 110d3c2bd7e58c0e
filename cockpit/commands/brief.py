"""`cockpit brief`: the one-page brief of a view as PDF (or HTML); the brief schedules and
their sends; `--send NAME` (for crontab) and `--due` send schedules now."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

from cockpit import auth
from cockpit.commands import api_client, open_store, print_json, print_table
from cockpit.export.pdf import PdfUnavailable

SEND_FIELDS = ["send_id", "schedule", "slot", "at", "trigger", "status", "recipients", "error"]
SCHEDULE_FIELDS = ["name", "when", "timezone", "view_url", "recipients", "enabled", "last_slot",
                   "next_slot"]  # fmt: skip


def add_arguments(p) -> None:
    p.add_argument("--view", metavar="URL",
                   help="the view's link (or its ?query), as the Overview shares it; default: "
                        "the Overview as it opens")  # fmt: skip
    p.add_argument("--pdf", metavar="FILE", help="write the brief as PDF (headless Chromium)")
    p.add_argument("--html", metavar="FILE", help="write the brief as HTML")
    p.add_argument("--send", metavar="SCHEDULE",
                   help="e-mail a schedule's brief now and record it (for crontab)")  # fmt: skip
    p.add_argument("--due", action="store_true",
                   help="send every schedule that is due (the server does it each minute)")  # fmt: skip
    p.add_argument("--schedules", action="store_true", help="list the brief schedules")
    p.add_argument("--sends", action="store_true", help="list every send, newest first")
    p.add_argument("--schedule", metavar="NAME", help="with --sends: only this schedule's")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    actions = [args.pdf or args.html, args.send, args.due, args.schedules, args.sends]
    if sum(bool(a) for a in actions) != 1:
        print("error: give one of --pdf/--html FILE, --send SCHEDULE, --due, --schedules, --sends",
              file=sys.stderr)  # fmt: skip
        return 2
    client = api_client(args)
    try:
        if args.pdf or args.html:
            return _write(args, client)
        if args.send or args.due:
            return _send(args, client)
        return _list(args, client)
    except (ValueError, KeyError, auth.PermissionDenied, PdfUnavailable) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2


def document(store, view: str | None, fmt: str) -> dict:
    """The brief of `view` as a JSON document: the file's name and bytes (PDF in base64),
    the pinned link, the version, the ignored parameters (the API's and the CLI's)."""
    from cockpit.alerts.evaluate import public_url
    from cockpit.briefs import document as doc
    from cockpit.export.pdf import html_to_pdf

    state, notices = doc.state_from_url(view)
    brief = doc.from_view(store, state, base_url=public_url(store))
    out = {"file_name": brief.file_name(fmt), "link": brief.link, "version": brief.version,
           "notices": notices + list(brief.notices)}  # fmt: skip
    if fmt == "pdf":
        out["pdf_base64"] = base64.b64encode(html_to_pdf(brief.html)).decode("ascii")
    else:
        out["html"] = brief.html
    return out


def _write(args, client) -> int:
    fmt = "pdf" if args.pdf else "html"
    if client is not None:
        params = [("format", fmt)] + ([("view", args.view)] if args.view else [])
        doc = client.call("GET", "/api/brief", params)
    else:
        doc = document(open_store(args), args.view, fmt)
    for notice in doc["notices"]:
        print(f"note: {notice}", file=sys.stderr)
    target = Path(args.pdf or args.html)
    if fmt == "pdf":
        target.write_bytes(base64.b64decode(doc["pdf_base64"]))
    else:
        target.write_text(doc["html"], encoding="utf-8")
    print(f"{target} ({target.stat().st_size:,} bytes): {doc['link']}")
    return 0


def _send(args, client) -> int:
    from cockpit.briefs import schedule

    if client is not None:
        path = f"/api/briefs/{_quote(args.send)}/send" if args.send else "/api/briefs/due"
        rows = client.call("POST", path)
    else:
        store = open_store(args)
        if args.send:
            rows = schedule.send_now(store, auth.LOCAL_ADMIN, args.send)
        else:
            rows = schedule.tick(store, trigger="cli")
    rows = rows if isinstance(rows, list) else [rows]
    if args.json:
        print_json(rows)
    else:
        print_table(rows, ["send_id", "schedule", "slot", "status", "error"])
    return 0 if all(r["status"] == "sent" for r in rows) else 1


def schedules_doc(store, user) -> list[dict]:
    """The schedules with their cadence in words and next slot (UTC)."""
    from cockpit.briefs import cron, schedule

    auth.require(user, "read")
    now = schedule.utc_now()
    out = []
    for s in schedule.list_schedules(store):
        try:
            upcoming = s.next_slot(now)
        except ValueError:
            upcoming = None
        out.append({"name": s.name, "cron": s.cron, "when": cron.describe(s.cron),
                    "timezone": s.timezone, "view_url": s.view_url,
                    "recipients": list(s.recipients), "enabled": s.enabled,
                    "last_slot": s.last_slot, "next_slot": upcoming})  # fmt: skip
    return out


def _list(args, client) -> int:
    from cockpit.briefs import schedule

    if args.schedules:
        if client is not None:
            rows = client.call("GET", "/api/briefs")["schedules"]
        else:
            rows = schedules_doc(open_store(args), auth.LOCAL_ADMIN)
        fields = SCHEDULE_FIELDS
    else:
        if client is not None:
            params = [("schedule", args.schedule)] if args.schedule else []
            rows = client.call("GET", "/api/briefs", params)["sends"]
        else:
            rows = schedule.list_sends(open_store(args), auth.LOCAL_ADMIN, schedule=args.schedule)
        fields = SEND_FIELDS
    if args.json:
        print_json(rows)
    else:
        print_table(rows, fields)
    return 0


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
