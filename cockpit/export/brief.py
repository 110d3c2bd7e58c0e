"""The one-page brief of a view's scorecard: self-contained HTML that prints on one A4 page."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape

from cockpit.kpis.targets import STATUS_WORDS

GROUPS = ("Efficiency", "Cost", "Customer")
STATUS_LABELS = {k: w.capitalize() for k, w in STATUS_WORDS.items()}
MAX_MOVERS = 6
MAX_CHARTS = 3
MAX_TEXT_CHARS = 200
MAX_LINK_CHARS = 600
CARD_COLUMNS = 7  # card columns across the page; a card is then about 36 mm wide
CARD_ROW_MM = 17.0  # a card row's printed height, gap included
PACE_ROW_MM = 3.0  # the forecast line of an unfinished period's cards
CARD_LINE_MM = 2.6  # each further comparison line of a card (a view of several comparisons)
PRINT_HEIGHT_MM = 190.0  # A4 landscape (210 mm) less the @page margins, with a little slack

# Print keeps to one landscape A4 sheet: fixed page box, compact type, nothing that breaks.
_CSS = """
@page { size: A4 landscape; margin: 8mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #e9edf2; color: #1c2430;
  font: 8.5pt/1.25 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif; }
.page { width: 297mm; min-height: 210mm; margin: 6mm auto; padding: 8mm; background: #fff;
  box-shadow: 0 1px 6px rgba(0, 0, 0, .18); }
.fit { zoom: var(--zoom); display: flex; flex-direction: column; gap: 3.5mm; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 8mm;
  border-bottom: 2px solid #1c2430; padding-bottom: 2mm; }
h1 { font-size: 16pt; line-height: 1.15; margin: 0; }
.subtitle { color: #4a5567; font-size: 9.5pt; margin-top: .5mm; }
.context { margin: 1.2mm 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap;
  gap: .5mm 5mm; color: #4a5567; font-size: 7.5pt; }
.context b { color: #1c2430; font-weight: 600; }
.link { flex: 0 0 92mm; font-size: 7pt; color: #4a5567; word-break: break-all; }
.link span { display: block; font-weight: 600; color: #1c2430; }
.link a { color: #1d4ed8; text-decoration: none; }
.scorecard { display: grid; gap: 5mm; }
h2 { font-size: 8pt; text-transform: uppercase; letter-spacing: .06em; color: #4a5567;
  margin: 0 0 1.5mm; padding-bottom: .8mm; border-bottom: 1px solid #d5dbe3; }
.cards { display: grid; gap: 1.5mm; }
.card { border: 1px solid #d5dbe3; border-left: 3.5px solid #9aa4b2; border-radius: 2px;
  padding: 1mm 1.8mm; break-inside: avoid; min-width: 0; }
.card.green { border-left-color: #1a7f37; }
.card.amber { border-left-color: #c27c0e; }
.card.red { border-left-color: #c62828; }
.label, .meta span { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.label { font-size: 7pt; color: #4a5567; line-height: 1.2; }
.value { font-size: 12pt; font-weight: 700; line-height: 1.15; }
.meta { font-size: 7pt; line-height: 1.2; color: #4a5567; display: flex;
  justify-content: space-between; gap: 1.5mm; }
.status { font-weight: 600; flex: none; }
.green .status { color: #1a7f37; }
.amber .status { color: #9a6200; }
.red .status { color: #c62828; }
.empty { color: #7b8595; font-style: italic; font-size: 8pt; margin: 0; }
.lower { display: grid; grid-template-columns: 72mm 1fr; gap: 6mm; }
.movers ol { margin: 0; padding-left: 4.5mm; }
.movers li { margin-bottom: 1mm; }
.movers li b { font-weight: 600; }
.charts { display: flex; gap: 4mm; align-items: flex-start; min-width: 0; }
figure { margin: 0; flex: 1 1 0; min-width: 0; }
figure img { display: block; max-width: 100%; max-height: 55mm; object-fit: contain; }
figcaption { font-size: 7pt; color: #4a5567; margin-bottom: .8mm; }
@media print {
  body { background: #fff; }
  .page { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
"""


def brief_html(
    *,
    title: str,
    subtitle: str,
    cards: list[dict],
    movers: list[dict],
    context: list[tuple[str, str]],
    link: str | None,
    charts: Sequence[tuple[str, bytes]] = (),
    movers_title: str = "Top movers",
    actions: Sequence[dict] = (),
) -> str:
    """A self-contained one-page HTML brief (inline CSS, images as data: URIs); the subtitle
    and `movers_title` say what the changes are against ("What moved vs Q2 2026").
    `actions` ({kpi, text}: a meeting pack's) are listed under the rest."""
    groups = _grouped(cards)
    columns = _card_columns([len(c) for _, c in groups])
    rows = max(-(-len(c) // n) for (_, c), n in zip(groups, columns, strict=True))
    movers = movers[:MAX_MOVERS]
    charts = list(charts)[:MAX_CHARTS]
    extra = max((len(c.get("compare_lines") or [None]) - 1 for c in cards), default=0)
    height = _estimated_height_mm(rows, context, movers, charts) + rows * extra * CARD_LINE_MM
    if any(c.get("pace_text") for c in cards):  # a card's forecast line: a line more per row
        height += rows * PACE_ROW_MM
    zoom = min(1.0, PRINT_HEIGHT_MM / height)
    weights = " ".join(f"{n}fr" for n in columns)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f'<main class="page"><div class="fit" style="--zoom: {zoom:.3f}">',
        _header(title, subtitle, context, link),
        f'<section class="scorecard" style="grid-template-columns: {weights}">',
        *(_group(name, c, n) for (name, c), n in zip(groups, columns, strict=True)),
        "</section>",
        '<section class="lower">',
        _movers(movers, movers_title),
        _charts(charts),
        "</section>",
        _actions(actions),
        "</div></main></body></html>",
    ]
    return "\n".join(p for p in parts if p)


def _card_columns(counts: list[int]) -> list[int]:
    """Card columns per group, CARD_COLUMNS in all, spent where they save the most rows."""
    columns = [1] * len(counts)
    for _ in range(max(0, CARD_COLUMNS - len(counts))):
        rows = [-(-n // c) for n, c in zip(counts, columns, strict=True)]
        worst = max(range(len(counts)), key=lambda i: (rows[i], counts[i]))
        if rows[worst] <= 1:
            break
        columns[worst] += 1
    return columns


def _estimated_height_mm(rows: int, context: list, movers: list, charts: list) -> float:
    """Printed height at zoom 1, from measured sizes of the parts; drives the fit-to-page zoom."""
    context_chars = sum(len(str(k)) + len(str(v)) + 4 for k, v in context)
    header = 16 + 3.2 * max(1, -(-context_chars // 150))
    scorecard = 6 + rows * CARD_ROW_MM
    mover_lines = sum(
        1 + (len(str(m.get("label"))) + len(str(m.get("text")))) // 55 for m in movers
    )
    lower = max(6 + 3.6 * mover_lines, 60 if charts else 0)
    return header + scorecard + lower + 7


def _e(value: object, limit: int = MAX_TEXT_CHARS) -> str:
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return escape(text, quote=True)


def _header(title: str, subtitle: str, context: list[tuple[str, str]], link: str | None) -> str:
    items = "".join(f"<li><b>{_e(k)}:</b> {_e(v)}</li>" for k, v in context)
    link_html = ""
    if link:
        # Only web links become clickable; anything else is shown as text.
        is_web = link.startswith(("http://", "https://"))
        text = _e(link, limit=MAX_LINK_CHARS)
        target = f'<a href="{escape(link, quote=True)}">{text}</a>' if is_web else text
        link_html = f'<div class="link"><span>Open this view</span>{target}</div>'
    return (
        f"<header><div><h1>{_e(title)}</h1>"
        + (f'<div class="subtitle">{_e(subtitle)}</div>' if subtitle else "")
        + (f'<ul class="context">{items}</ul>' if items else "")
        + f"</div>{link_html}</header>"
    )


def _grouped(cards: Iterable[dict]) -> list[tuple[str, list[dict]]]:
    """Cards by group: the three scorecard groups always, in order; any others after."""
    by_group: dict[str, list[dict]] = {g: [] for g in GROUPS}
    canonical = {g.lower(): g for g in GROUPS}
    for card in cards:
        name = str(card.get("group") or "Other")
        by_group.setdefault(canonical.get(name.lower(), name), []).append(card)
    return list(by_group.items())


def _group(name: str, cards: list[dict], columns: int) -> str:
    if cards:
        body = "".join(_card(c) for c in cards)
        inner = (
            f'<div class="cards" style="grid-template-columns: repeat({columns}, 1fr)">{body}</div>'
        )
    else:
        inner = '<p class="empty">No data loaded.</p>'
    return f'<div class="group"><h2>{_e(name)}</h2>{inner}</div>'


def _card(card: dict) -> str:
    status = card.get("status") if card.get("status") in STATUS_LABELS else "none"
    target = card.get("target_text")
    target_label = "Target to date " if card.get("pacing") else "Target "
    label = _e(card.get("label"))
    return (
        f'<div class="card {status}" data-kpi="{_e(card.get("id"))}">'
        f'<div class="label" title="{label}">{label}</div>'
        f'<div class="value">{_e(card.get("value_text"))}</div>'
        + _change_meta(card, status)
        + f'<div class="meta"><span>{target_label + _e(target) if target else "&nbsp;"}</span>'
        + (f'<span class="owner">{_e(card["owner"])}</span>' if card.get("owner") else "")
        + "</div>"
        + (
            f'<div class="meta pace" title="{_e(card.get("pace_help"), 400)}">'
            f"<span>{_e(card['pace_text'])}</span></div>"
            if card.get("pace_text")
            else ""
        )
        + "</div>"
    )


def _change_meta(card: dict, status: str) -> str:
    """The change and the status; a view of several comparisons has a line each
    ("▲ 2.1 pts vs prev", "1.2 pts below target"), the status beside the first."""
    lines = [line["text"] for line in card.get("compare_lines") or []]
    first = lines[0] if lines else card.get("change_text")
    out = (
        f'<div class="meta"><span>{_e(first)}</span>'
        f'<span class="status">{_e(_status_label(card, status))}</span></div>'
    )
    return out + "".join(f'<div class="meta"><span>{_e(t)}</span></div>' for t in lines[1:])


def _status_label(card: dict, status: str) -> str:
    """The card's own status words (a card without a value says "No value"), capitalised."""
    text = card.get("status_text")
    return text[:1].upper() + text[1:] if text else STATUS_LABELS[status]


def _movers(movers: list[dict], title: str = "Top movers") -> str:
    head = f"<h2>{_e(title)}</h2>"
    if not movers:
        return f'<div class="movers">{head}<p class="empty">No notable moves.</p></div>'
    items = "".join(f"<li><b>{_e(m.get('label'))}</b> {_e(m.get('text'))}</li>" for m in movers)
    return f'<div class="movers">{head}<ol>{items}</ol></div>'


def _actions(actions: Sequence[dict]) -> str:
    if not actions:
        return ""
    items = "".join(f"<li><b>{_e(a.get('kpi'))}</b> {_e(a.get('text'))}</li>" for a in actions)
    return f'<section class="movers actions"><h2>Actions</h2><ol>{items}</ol></section>'


def _image_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    head = data[:200].lstrip()
    if head.startswith((b"<svg", b"<?xml")):
        return "image/svg+xml"
    raise ValueError("chart images must be PNG, JPEG or SVG")


def _charts(charts: Sequence[tuple[str, bytes]]) -> str:
    if not charts:
        return ""
    figures = "".join(
        f"<figure><figcaption>{_e(caption)}</figcaption>"
        f'<img alt="{_e(caption)}" src="data:{_image_type(data)};base64,'
        f'{base64.b64encode(data).decode("ascii")}"></figure>'
        for caption, data in charts
    )
    return f'<div class="charts">{figures}</div>'
