"""Five-field cron expressions (minute hour day-of-month month day-of-week) and their slots.

The usual syntax: `*`, numbers, ranges `a-b`, lists `a,b`, steps `*/n` and `a-b/n`; day of
week 0-7 (0 and 7 are Sunday) and three-letter names (mon, jan). As in Vixie cron, when both
day fields are restricted a day matching either is a match.

Slots are wall-clock times in the schedule's time zone, returned in UTC (naive datetimes):
on the night clocks go forward a slot inside the missing hour falls an hour later in wall
time (the same instant UTC), and on the night they go back the first of the two is used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKLY = "0 7 * * 1"  # Monday 07:00
MONTHLY = "0 7 2 * *"  # the 2nd, 07:00: after the 1st's loads
PRESETS = {"weekly": WEEKLY, "monthly": MONTHLY}
SEARCH_DAYS = 366 * 8  # a Feb 29 at 07:00 on a Monday recurs within 28 years; 8 is plenty
_NAMES = {
    4: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
    3: ["", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
}
_BOUNDS = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
_FIELD_NAMES = ["minute", "hour", "day of month", "month", "day of week"]


@dataclass(frozen=True)
class Cron:
    """A parsed expression: the allowed values of each field."""

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    any_day: bool  # day of month is *
    any_weekday: bool  # day of week is *

    def day_matches(self, day: dt.date) -> bool:
        if day.month not in self.months:
            return False
        dom = day.day in self.days
        dow = (day.isoweekday() % 7) in self.weekdays
        if self.any_day and self.any_weekday:
            return True
        if self.any_day:
            return dow
        if self.any_weekday:
            return dom
        return dom or dow


def parse(text: str) -> Cron:
    """Parse a five-field expression; ValueError saying which field is wrong."""
    fields = (text or "").split()
    if len(fields) != 5:
        raise ValueError(
            f"a cron expression has 5 fields (minute hour day month weekday), not {len(fields)}"
        )
    sets = [_field(f, i) for i, f in enumerate(fields)]
    weekdays = frozenset(d % 7 for d in sets[4])
    return Cron(
        text=" ".join(fields),
        minutes=sets[0], hours=sets[1], days=sets[2], months=sets[3], weekdays=weekdays,
        any_day=fields[2] == "*", any_weekday=fields[4] == "*",
    )  # fmt: skip


def _value(word: str, i: int) -> int:
    names = _NAMES.get(i)
    if names and word.lower() in names:
        return names.index(word.lower())
    if not word.isdigit():
        raise ValueError(f"cron {_FIELD_NAMES[i]}: {word!r} is not a number")
    lo, hi = _BOUNDS[i]
    n = int(word)
    if not lo <= n <= hi:
        raise ValueError(f"cron {_FIELD_NAMES[i]}: {n} is outside {lo}-{hi}")
    return n


def _field(text: str, i: int) -> frozenset[int]:
    lo, hi = _BOUNDS[i]
    out: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(f"cron {_FIELD_NAMES[i]}: step {step_text!r} is not 1 or more")
            step = int(step_text)
        if body == "*":
            start, end = lo, hi
        elif "-" in body:
            a, _, b = body.partition("-")
            start, end = _value(a, i), _value(b, i)
            if start > end:
                raise ValueError(f"cron {_FIELD_NAMES[i]}: range {body!r} runs backwards")
        else:
            start = _value(body, i)
            end = hi if step_text else start
        out.update(range(start, end + 1, step))
    return frozenset(out)


def zone(name: str | None) -> ZoneInfo:
    """The time zone a schedule's times are in (ValueError for an unknown name)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (e.g. UTC, Europe/London)") from None


def _to_utc(local: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return local.replace(tzinfo=tz).astimezone(dt.UTC).replace(tzinfo=None)


def _to_local(utc: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return utc.replace(tzinfo=dt.UTC).astimezone(tz).replace(tzinfo=None)


def latest_slot(cron: Cron, now_utc: dt.datetime, tz: str | None = "UTC") -> dt.datetime | None:
    """The latest slot at or before `now_utc` (UTC, naive), or None within SEARCH_DAYS."""
    z = zone(tz)
    local = _to_local(now_utc, z).replace(second=0, microsecond=0)
    hours = sorted(cron.hours, reverse=True)
    minutes = sorted(cron.minutes, reverse=True)
    day = local.date()
    for back in range(SEARCH_DAYS):
        d = day - dt.timedelta(days=back)
        if not cron.day_matches(d):
            continue
        for h in hours:
            for m in minutes:
                slot = _to_utc(dt.datetime(d.year, d.month, d.day, h, m), z)
                if slot <= now_utc:
                    return slot
    return None


def next_slot(cron: Cron, after_utc: dt.datetime, tz: str | None = "UTC") -> dt.datetime | None:
    """The first slot strictly after `after_utc` (UTC, naive), or None within SEARCH_DAYS."""
    z = zone(tz)
    day = _to_local(after_utc, z).date()
    hours, minutes = sorted(cron.hours), sorted(cron.minutes)
    for ahead in range(SEARCH_DAYS):
        d = day + dt.timedelta(days=ahead)
        if not cron.day_matches(d):
            continue
        for h in hours:
            for m in minutes:
                slot = _to_utc(dt.datetime(d.year, d.month, d.day, h, m), z)
                if slot > after_utc:
                    return slot
    return None


def describe(text: str) -> str:
    """What a schedule's expression means, in words for the presets."""
    return {
        WEEKLY: "Weekly, Monday 07:00",
        MONTHLY: "Monthly, the 2nd at 07:00 (after the loads)",
    }.get(" ".join(text.split()), f"Cron {text}")
