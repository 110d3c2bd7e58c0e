"""Meeting packs: "Start a meeting" pins the data version and keeps the agenda (issue 26).

The agenda is the red and amber KPIs of the view the meeting was started from, the one
furthest off its target first: distance = |value - target| / |target| (a target of 0: the
plain gap). Each item keeps its card (value, target, status), owner and what moved, computed
once at the pinned version and stored with the pack, so the pack's link opens the same
numbers for everyone, whatever was loaded since. Its actions are read live: the open actions
on the KPI, the last meeting's actions on it, and those raised in this meeting (they carry
the pack's id). The packs, newest first, are the record of decisions.
"""

from __future__ import annotations

import datetime as dt
import json
import math

from cockpit import actions, auth, currency, kpis, links, queries
from cockpit.alerts import rules
from cockpit.export.brief import brief_html
from cockpit.kpis import changes as kpi_changes
from cockpit.screens import scorecard_view
from cockpit.store import audit

AGENDA_STATUSES = ("red", "amber")
MAX_CHANGES_PER_LOAD = 8
NAME_MAX = 120


class MeetingError(ValueError):
    """A meeting that cannot be started; the message says why."""


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def distance(value, target) -> float | None:
    """How far off target, relative to the target: |value - target| / |target|; None
    without both, or when the target is 0 (no relative distance: see agenda_order)."""
    if _missing(value) or _missing(target) or not target:
        return None
    return abs(float(value) - float(target)) / abs(float(target))


def agenda_order(item: dict) -> tuple:
    """Furthest off target first; KPIs whose target is 0 (a budget variance) have no
    relative distance and come after the rest, red before amber."""
    d = item["distance"]
    return (d is None, -(d or 0.0), item["status"] != "red", item["label"])


def default_name(day: dt.date) -> str:
    """ "Ops review 30 Nov" (the name field's suggestion)."""
    return f"Ops review {day.day} {day:%b}"


def build_agenda(values: list, movers: list[dict], owners: dict, *, compare: str = "prev",
                 filters: dict | None = None) -> list[dict]:  # fmt: skip
    """The red and amber KPIs, furthest off target first, each with its card, owner and
    what moved (the "what moved" sentence when it is among the movers, else its change)."""
    moved = {m["id"]: m["text"] for m in movers}
    sites = (filters or {}).get("site") or []
    site = sites[0] if len(sites) == 1 else None
    items = []
    for v in values:
        if v.status not in AGENDA_STATUSES:
            continue
        if _missing(v.value) or _missing(v.target):
            continue
        d = distance(v.value, v.target)
        card = scorecard_view.card_view(v, compare=compare)
        owner = rules.owner_of(owners, v.id, site)
        change = card["change_text"]
        vs = scorecard_view.COMPARE_SHORT.get(compare, "")
        items.append({
            "kpi": v.id, "label": card["label"], "group": card["group"], "status": v.status,
            "value": v.value, "target": v.target, "distance": d,
            "distance_text": f"{d:.1%} off target" if d is not None else "off its target of 0",
            "value_text": card["value_text"], "target_text": card["target_text"],
            "change_text": change, "status_text": card["status_text"],
            "owner": owner["owner"] if owner else "",
            "moved": moved.get(v.id) or (f"{change} {vs}".strip() if change else "no change"),
        })  # fmt: skip
    items.sort(key=agenda_order)
    return items


def changes_since(store, from_seq: int | None, to_seq: int) -> list[dict]:
    """What the loads between two packs changed: per load, its summary and first changes
    (cockpit/kpis/changes.py). Empty for the first pack."""
    if from_seq is None:
        return []
    out = []
    for load in queries.run(
        store, "loads_between", from_seq=int(from_seq), seq=int(to_seq)
    ).to_pylist():
        got = kpi_changes.load_changes(store, load["load_id"])
        out.append({
            "load_id": load["load_id"], "file": load["file"], "dataset": load["dataset"],
            "summary": got["summary"],
            "changes": [c["text"] for c in got["changes"][:MAX_CHANGES_PER_LOAD]],
            "more": max(0, len(got["changes"]) - MAX_CHANGES_PER_LOAD),
        })  # fmt: skip
    return out


def latest_pack(store) -> dict | None:
    rows = queries.run(store, "packs_list").to_pylist()
    return rows[0] if rows else None


def start_meeting(
    store,
    user: auth.User,
    *,
    name: str,
    period,
    compare: str = "prev",
    filters: dict | None = None,
    view_url: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Pin the newest data version and keep the meeting's pack (analysts and admins): the
    agenda of the view (`period`, `compare`, `filters`) at that version and what changed
    since the last pack. Returns the pack's id."""
    auth.require(user, "meetings")
    name = (name or "").strip()
    if not name:
        raise MeetingError("Name the meeting (e.g. Ops review 30 Nov).")
    if len(name) > NAME_MAX:
        raise MeetingError(f"Keep the meeting's name under {NAME_MAX} characters.")
    seq = store.latest_seq()
    if not seq:
        raise MeetingError("No data is loaded yet: there is nothing to review.")
    filters = {k: list(v) for k, v in (filters or {}).items() if v}
    currency.use_view(store, seq, filters)  # the texts kept say money as the view shows it
    values = kpis.scorecard(store, period=period, compare=compare, filters=filters, as_of=seq)
    movers = kpis.what_moved(store, period=period, compare=compare, filters=filters, as_of=seq,
                             cards=None if compare == "target" else values)  # fmt: skip
    agenda = build_agenda(values, movers, rules.owners_by_kpi(store), compare=compare,
                          filters=filters)  # fmt: skip
    prev = latest_pack(store)
    changed = changes_since(store, prev["seq"] if prev else None, seq)
    view = {
        "period": period.kind, "month": f"{period.end:%Y-%m}", "start": f"{period.start:%Y-%m}",
        "compare": compare, "filters": filters, "url": view_url, "period_label": period.label,
        "basis": scorecard_view.period_basis(period, compare),
        "headline": scorecard_view.headline(values),
    }  # fmt: skip
    with store.transaction() as cur:
        pack_id = queries.execute(
            cur, "pack_insert", pack_name=name, seq=seq, view=json.dumps(view),
            agenda=json.dumps(agenda), changes=json.dumps(changed),
            prev_pack_id=prev["pack_id"] if prev else None, user_name=user.name,
            at=now or dt.datetime.now(),
        ).fetchone()[0]  # fmt: skip
        audit(cur, user.name, "meeting_start", {"pack_id": pack_id, "name": name, "seq": seq})
    return int(pack_id)


def _loads(value):
    return json.loads(value) if isinstance(value, str) else value


def get_pack(store, pack_id: int) -> dict | None:
    """The stored pack (agenda, changes and view parsed), or None."""
    rows = queries.run(store, "pack_get", pack_id=int(pack_id)).to_pylist()
    if not rows:
        return None
    pack = rows[0]
    for key in ("view", "agenda", "changes"):
        pack[key] = _loads(pack[key]) or ({} if key == "view" else [])
    return pack


def pack_seq(store, pack_id: int) -> int | None:
    """The data version a pack is pinned to (the shell pins a `pack=` link to it)."""
    pack = get_pack(store, pack_id)
    return int(pack["seq"]) if pack else None


def pack_view(store, user: auth.User | None, pack_id: int, *, today: dt.date | None = None) -> dict:
    """A pack with its actions, read live: each agenda item's `last_actions` (the previous
    meeting's on its KPI, done or not) and `open_actions` (the other open ones on it); the
    pack's own `actions`. KeyError when there is no such pack."""
    auth.require(user, "read")
    pack = get_pack(store, pack_id)
    if pack is None:
        raise KeyError(f"there is no meeting pack {pack_id}")
    every = actions.list_actions(store, user, today=today)
    pack["actions"] = [a for a in every if a["pack_id"] == pack["pack_id"]]
    prev = pack["prev_pack_id"]
    for item in pack["agenda"]:
        on_kpi = [a for a in every if a["kpi"] == item["kpi"]]
        last = [a for a in on_kpi if prev is not None and a["pack_id"] == prev]
        item["last_actions"] = last  # each with its status: done, open or overdue
        # The other open ones (raised since, or earlier): each action is listed once.
        item["open_actions"] = [a for a in on_kpi if a["status"] != "done" and a not in last]
    return pack


def list_packs(store, user: auth.User | None) -> list[dict]:
    """Every pack, newest first, with its agenda size and actions (raised, done)."""
    auth.require(user, "read")
    return queries.run(store, "packs_list").to_pylist()


def pack_url(pack_id: int, base: str = "") -> str:
    """The pack's link: /Meeting?pack=N (the shell pins it to the pack's data version)."""
    return links.to_url(links.ViewState(page="meeting", pack=int(pack_id)), base)


def brief(pack: dict, *, link: str, when_text: str) -> str:
    """The pack's one-page brief (cockpit/export/brief.py): its agenda's cards, what moved,
    and its actions."""
    view = pack["view"]
    cards = [{
        "id": i["kpi"], "label": i["label"], "group": i["group"], "status": i["status"],
        "status_text": i["status_text"], "value_text": i["value_text"],
        "target_text": i["target_text"], "change_text": i["distance_text"], "owner": i["owner"],
    } for i in pack["agenda"]]  # fmt: skip
    return brief_html(
        title=pack["name"],
        subtitle=f"{view.get('basis', '')} · {view.get('headline', '')}",
        cards=cards,
        movers=[{"label": i["label"], "text": i["moved"]} for i in pack["agenda"]],
        context=[
            ("Data as of", f"load {pack['seq']}, {when_text}"),
            ("Agenda", f"{len(pack['agenda'])} KPIs red or amber"),
        ],  # fmt: skip
        link=link,
        movers_title="Agenda: what moved",
        actions=[{"kpi": _label(a["kpi"]), "text": actions.line(a)} for a in pack["actions"]],
    )


def _label(kpi_id: str | None) -> str:
    from cockpit.kpis.registry import is_builtin, lookup

    return lookup(kpi_id).label if kpi_id and is_builtin(kpi_id) else (kpi_id or "")
