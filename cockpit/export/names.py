"""File names for downloads that say which view they hold."""

from __future__ import annotations

import re

_COMPARE_WORDS = {
    "prev": "vs-previous",
    "yoy": "vs-last-year",
    "target": "vs-target",
    "budget": "vs-budget",
}


def view_file_name(
    stem: str,
    period_label: str | None,
    *,
    filters: dict[str, list[str]] | None = None,
    compare: str | None = None,
    ext: str,
) -> str:
    """'ops-brief' for Q3 2026, Leeds, vs last year -> 'ops-brief-q3-2026-leeds-vs-last-year.html'.

    Two downloads of different views never share a name, so a folder of briefs reads as a
    list of views; the name stays short (filters beyond three values are counted).
    """
    parts = [stem]
    if period_label:
        parts.append(period_label)
    for dim, values in sorted((filters or {}).items()):
        shown = list(values)[:3]
        more = len(values) - len(shown)
        parts.append(f"{dim}-" + "-".join(shown) + (f"-and-{more}-more" if more > 0 else ""))
    words = [_COMPARE_WORDS[c] for c in (compare or "").split(",") if c in _COMPARE_WORDS]
    if words:  # several: "vs-previous-last-year-target"
        parts.append(words[0] + "".join(w.removeprefix("vs") for w in words[1:]))
    slug = _slug("-".join(parts))[:120].strip("-") or "export"
    return f"{slug}.{ext.lstrip('.')}"


def _slug(text: str) -> str:
    text = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE)
    return re.sub(r"-{2,}", "-", text).strip("-")
