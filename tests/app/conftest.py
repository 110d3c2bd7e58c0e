"""AppTest tier fixtures: a demo database seeded once per session, copied per test.

Pages run through app.py + `at.switch_page(...)` because st.page_link paths are relative to
the entry script. Each test points COCKPIT_DB at its own file; the app's store cache is keyed
by path, so distinct files give distinct stores. Cached query results are keyed by data
version, not by file, so they are cleared before every test.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cockpit import navigation
from cockpit.demo import seed_demo
from cockpit.store import Store
from cockpit.ui.resources import _store_for

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / navigation.ENTRY
# Page files from the one page registry (the overview is the entry script, app.py).
PAGES = {p.id: p.file for p in navigation.PAGES}
TIMEOUT_S = 60  # generous: the machine is shared; no test asserts on speed


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory) -> Path:
    """The demo company loaded once through the normal ingest; never opened again."""
    folder = tmp_path_factory.mktemp("demo_master")
    path = folder / "cockpit.duckdb"
    store = Store.open(path)
    try:
        seed_demo(store)
    finally:
        store.close()
    return path


def copy_db(master: Path, folder: Path) -> Path:
    """A copy of a closed database file with its kept uploads, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / master.name
    shutil.copy2(master, target)
    if (master.parent / "uploads").exists():
        shutil.copytree(master.parent / "uploads", folder / "uploads", dirs_exist_ok=True)
    return target


@pytest.fixture(scope="session")
def shared_demo_db(demo_master, tmp_path_factory) -> Path:
    """A demo database shared by tests that only read (one store for the whole session)."""
    return copy_db(demo_master, tmp_path_factory.mktemp("demo_shared"))


@pytest.fixture
def demo_db(demo_master, tmp_path) -> Path:
    """A private demo database for a test that writes (loads, undo, settings)."""
    return copy_db(demo_master, tmp_path / "demo")


@pytest.fixture
def empty_db(tmp_path) -> Path:
    """A path where no database exists yet (the app creates an empty one)."""
    return tmp_path / "empty" / "cockpit.duckdb"


@pytest.fixture(autouse=True)
def _fresh_data_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def open_app(monkeypatch) -> Callable[..., AppTest]:
    """open_app(db, page="efficiency", **query_params): an AppTest that has run that page."""

    def _open(db: Path, page: str = "overview", **query_params) -> AppTest:
        monkeypatch.setenv("COCKPIT_DB", str(db))
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        at.query_params.update(query_params)
        at.run()
        if page != "overview":
            goto(at, page)
        assert not at.exception, [e.value for e in at.exception]
        assert not page_failures(at)
        return at

    return _open


def open_filters(at: AppTest) -> AppTest:
    """Open the sidebar's Filters expander (its choices are drawn only while it is open)."""
    from cockpit.ui.shell import FILTERS_OPEN

    at.session_state[FILTERS_OPEN] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def goto(at: AppTest, page: str) -> AppTest:
    """Switch to `page` (as the sidebar link does) and run it."""
    at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not page_failures(at)
    return at


def page_failures(at: AppTest) -> list[str]:
    """Our messages for a failure on the page (cockpit/ui/errors.py): a page's exception no
    longer shows as at.exception, so the tests look for these too."""
    return [e.value for e in at.error if "something went wrong in" in e.value]


def sql_value(db: Path, sql: str, params: dict | None = None):
    """One value computed straight from the database file, bypassing the KPI engine."""
    # The app's own open database (same process): a second open of the file is refused.
    cur = _store_for(str(Path(db).resolve())).cursor()
    try:
        row = cur.execute(sql, params or {}).fetchone()
        return None if row is None else row[0]
    finally:
        cur.close()


ORDERS_IN_MONTHS = """
with orders as (
    select order_id, min(order_date) as first_date
    from orders_asof($as_of)
    where order_id is not null and ($site is null or site = $site)
    group by order_id
)
select count(*) from orders where date_trunc('month', first_date) between $first and $last
"""

LATEST_ORDER_MONTH = "select max(date_trunc('month', order_date))::date from orders_live"


def orders_in_month(
    db: Path,
    month: dt.date,
    *,
    site: str | None = None,
    as_of: int = 2**62,
    first: dt.date | None = None,
) -> int:
    """Orders counted in `first`..`month` (by each order's earliest order date), from SQL."""
    params = {"first": first or month, "last": month, "site": site, "as_of": as_of}
    return sql_value(db, ORDERS_IN_MONTHS, params)


def latest_order_month(db: Path) -> dt.date:
    return sql_value(db, LATEST_ORDER_MONTH)


_CARD = re.compile(
    r'<div class="kpi" data-kpi="(?P<id>[^"]*)" data-label="(?P<label>[^"]*)".*?'
    # One change, or a line per comparison (compare=prev,yoy,target): all up to the sparkline.
    r'<div class="kpi-value">(?P<value>.*?)</div>'
    r'<div class="kpi-(?:change|compares)">(?P<change>.*?)</div>(?=<div class="spark")'
    r'.*?<div class="kpi-foot">(?P<foot>.*?)</div>',
    re.S,
)


def html_blocks(at: AppTest) -> list[str]:
    """The HTML the page shows: st.html blocks and our own blocks (cockpit/ui/html_block.py,
    a script component whose data is the HTML)."""
    blocks = [h.value for h in at.html]
    for element in at.get("bidi_component"):
        if element.proto.component_name == "cockpit.html_block":
            blocks.append(json.loads(element.proto.json))
    return blocks


def kpi_cards(at: AppTest) -> dict[str, dict]:
    """The KPI cards on the page by label: value, change and its comparison, footnote."""
    out = {}
    for block in html_blocks(at):
        for m in _CARD.finditer(block):
            change = re.sub(r"<[^>]+>", " ", m["change"]).split()
            out[html.unescape(m["label"])] = {
                "id": m["id"],
                "value": html.unescape(m["value"]),
                "change": html.unescape(" ".join(change)),
                "foot": html.unescape(m["foot"]),
            }
    return out


def page_text(at: AppTest) -> str:
    """Everything the page says in words: markdown, captions, text and HTML blocks."""
    parts = [e.value for kind in (at.markdown, at.caption, at.text) for e in kind]
    parts += [html.unescape(re.sub(r"<[^>]+>", " ", h)) for h in html_blocks(at)]
    return " ".join(" ".join(parts).split())


def card_notes(at: AppTest) -> str:
    """Every card's footnote ('target 96.0% · was 91.2%', 'no returns data for ...')."""
    return " ".join(c["foot"] for c in kpi_cards(at).values())


def metric(at: AppTest, label: str) -> str:
    """The displayed value of the KPI card or st.metric labelled `label` (exactly one)."""
    found = [m.value for m in at.metric if m.label == label]
    card = kpi_cards(at).get(label)
    found += [card["value"]] if card else []
    assert len(found) == 1, f"{label!r}: {found} among {list(kpi_cards(at))}"
    return found[0]


def number(text: str) -> float:
    """The number a card shows: '8,822' -> 8822.0, '£9.13' -> 9.13, '+11' -> 11.0."""
    cleaned = text.replace(",", "").replace("£", "").replace("%", "").split()[0]
    scale = {"k": 1e3, "m": 1e6, "M": 1e6, "bn": 1e9}
    for suffix, factor in scale.items():
        if cleaned.endswith(suffix):
            return float(cleaned[: -len(suffix)]) * factor
    return float(cleaned)


def orders_csv(months: list[dt.date], per_month: int, *, tag: str = "A") -> bytes:
    """An ERP-style orders export: 'Dispatched' is not a known synonym, so it maps by hand."""
    lines = ["Order Ref,Order Date,Dispatched,Location,Qty,Sales"]
    for month in months:
        for i in range(per_month):
            day = month.replace(day=1 + i % 27)
            site = "Lyon" if i % 3 == 0 else "Leeds"
            shipped = day + dt.timedelta(days=1 + i % 3)
            lines.append(
                f"{tag}-{month:%Y%m}-{i:03d},{day},{shipped},{site},{1 + i % 4},{10 * (1 + i % 5)}"
            )
    return ("\n".join(lines) + "\n").encode()
