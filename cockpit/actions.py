"""Actions: what is to be done about a KPI, by whom, by when, with the pinned link of the
view it was raised from (issue 26, the COO's weekly loop).

States: open and done are stored; overdue is an open action past its due date, worked out
on reading (so it needs no job to flip it). Who may do what, enforced here: analysts and
admins raise and edit any action, an action's owner marks it done (whatever their role),
everyone signed in reads them.
"""

from __future__ import annotations

import datetime as dt
import json

from cockpit import auth, queries
from cockpit.store import audit

STATES = ("overdue", "open", "done")  # the order a list shows them in
STATE_WORDS = {"overdue": "overdue", "open": "open", "done": "done"}
MAX_WHAT = 200
MAX_NOTE = 2000


class ActionError(ValueError):
    """An action that cannot be saved; the message says what to change."""


def state(action: dict, today: dt.date | None = None) -> str:
    """'done', 'overdue' (open and past its due date) or 'open'."""
    if action["state"] == "done":
        return "done"
    today = today or dt.date.today()
    return "overdue" if _date(action["due"]) < today else "open"


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _checked(what: str, owner: str, due) -> tuple[str, str, dt.date]:
    what, owner = (what or "").strip(), (owner or "").strip()
    if not what:
        raise ActionError("Say what is to be done.")
    if len(what) > MAX_WHAT:
        raise ActionError(f"Keep what is to be done under {MAX_WHAT} characters (use the note).")
    if not owner:
        raise ActionError("Name the action's owner (a cockpit user).")
    if due is None:
        raise ActionError("Give the action a due date.")
    try:
        due = _date(due)
    except ValueError:
        raise ActionError(f"{due!r} is not a date (YYYY-MM-DD).") from None
    return what, owner, due


def raise_action(
    store,
    user: auth.User,
    *,
    kpi: str | None,
    what: str,
    owner: str,
    due,
    note: str = "",
    link: str = "",
    seq: int | None = None,
    pack_id: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Raise an action (analysts and admins); `link` is the pinned view it came from, `seq`
    the data version that view showed, `pack_id` the meeting it was raised in. Its id."""
    auth.require(user, "actions")
    what, owner, due = _checked(what, owner, due)
    note = (note or "").strip()[:MAX_NOTE] or None
    with store.transaction() as cur:
        action_id = queries.execute(
            cur, "action_insert", kpi=kpi or None, what=what, owner=owner, due=due, note=note,
            link=link or None, seq=seq, pack_id=pack_id, user_name=user.name,
            at=now or dt.datetime.now(),
        ).fetchone()[0]  # fmt: skip
        audit(cur, user.name, "action_raise", {"action_id": action_id, "kpi": kpi,
                                               "owner": owner, "due": due, "pack_id": pack_id})  # fmt: skip
    return int(action_id)


def get(store, action_id: int) -> dict:
    rows = queries.run(store, "action_get", action_id=int(action_id)).to_pylist()
    if not rows:
        raise KeyError(f"there is no action {action_id}")
    return rows[0]


def set_done(store, user: auth.User, action_id: int, done: bool = True,
             now: dt.datetime | None = None) -> None:  # fmt: skip
    """Mark an action done (or open again): its owner, or an analyst or admin."""
    action = get(store, action_id)
    auth.require_action_done(user, action["owner"])
    with store.transaction() as cur:
        queries.execute(cur, "action_state_put", action_id=int(action_id),
                        state="done" if done else "open", user_name=user.name,
                        at=now or dt.datetime.now())  # fmt: skip
        audit(cur, user.name, "action_done" if done else "action_reopen",
              {"action_id": int(action_id)})  # fmt: skip


def edit(store, user: auth.User, action_id: int, *, what: str, owner: str, due,
         note: str = "") -> None:  # fmt: skip
    """Change an action's what, owner, due date and note: analysts and admins."""
    auth.require(user, "actions")
    get(store, action_id)
    what, owner, due = _checked(what, owner, due)
    with store.transaction() as cur:
        queries.execute(cur, "action_update", action_id=int(action_id), what=what, owner=owner,
                        due=due, note=(note or "").strip()[:MAX_NOTE] or None)  # fmt: skip
        audit(cur, user.name, "action_edit", {"action_id": int(action_id), "owner": owner,
                                              "due": due})  # fmt: skip


def may_mark_done(user: auth.User | None, action: dict) -> bool:
    try:
        auth.require_action_done(user, action["owner"])
    except auth.PermissionDenied:
        return False
    return True


def list_actions(
    store,
    user: auth.User | None,
    *,
    kpi: str | None = None,
    owner: str | None = None,
    states: tuple[str, ...] | None = None,
    pack_id: int | None = None,
    today: dt.date | None = None,
) -> list[dict]:
    """Actions (each with its computed `status`: overdue, open or done), overdue first, then
    open, then done; within each by KPI, owner and due date. Anyone signed in."""
    auth.require(user, "read")
    today = today or dt.date.today()
    rows = queries.run(store, "actions_list", kpi_filter=kpi or None, owner_filter=owner or None,
                       pack_filter=pack_id).to_pylist()  # fmt: skip
    for r in rows:
        r["status"] = state(r, today)
        r["days_late"] = (today - _date(r["due"])).days if r["status"] == "overdue" else 0
    if states:
        rows = [r for r in rows if r["status"] in states]
    rows.sort(key=lambda r: (STATES.index(r["status"]), r["kpi"] or "", r["owner"].casefold(),
                             _date(r["due"]), r["action_id"]))  # fmt: skip
    return rows


def open_counts(store) -> dict[str, int]:
    """{KPI id: open actions on it (overdue included)} for the cards."""
    return {
        r["kpi"]: int(r["open_actions"])
        for r in queries.run(store, "action_open_counts").to_pylist()
    }


def counts_text(n: int) -> str:
    """What a card says of its open actions: '1 open action', '3 open actions'."""
    return f"{n} open action" + ("" if n == 1 else "s") if n else ""


def add_counts(cards: list[dict], counts: dict[str, int]) -> list[dict]:
    """Each card view with `actions_text` ("2 open actions", or none): the card's slot."""
    for card in cards:
        card["actions_text"] = counts_text(counts.get(card.get("id"), 0))
    return cards


def as_json(rows: list[dict]) -> list[dict]:
    """Actions as plain JSON values (dates as text)."""
    return json.loads(json.dumps(rows, default=str))


def line(action: dict) -> str:
    """One action in words: "Re-plan Lyon shifts — Tom Berg, due 12 Dec 2026 (overdue)"."""
    status = action.get("status") or action["state"]
    due = _date(action["due"])
    tail = "" if status == "open" else f" ({STATE_WORDS.get(status, status)})"
    return f"{action['what']} — {action['owner']}, due {due:%d %b %Y}{tail}"
