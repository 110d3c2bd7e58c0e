"""The README's demo figures are the ones the app shows (it said 89.9 % while the app said 89.1 %)."""

import datetime as dt
import re
from pathlib import Path

from cockpit import kpis
from cockpit.kpis.periods import make_period
from cockpit.store import Store

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_demo_figures_quoted_in_the_readme_match_the_engine(demo_db):
    text = " ".join(README.split())
    m = re.search(
        r"On the demo, (\w{3} \d{4}) on-time ([\d.]+) %, CSAT ([\d.]+) % and NPS ([+-]\d+) are red",
        text,
    )
    assert m, "README no longer quotes the demo's red KPIs"
    month, on_time, csat, nps = m.group(1), *map(float, m.groups()[1:])
    day = dt.datetime.strptime(month, "%b %Y").date()
    store = Store.open(demo_db)
    try:
        cards = {c.id: c for c in kpis.scorecard(store, period=make_period("month", day))}
    finally:
        store.close()
    assert round(cards["on_time_pct"].value, 1) == on_time
    assert round(cards["csat_pct"].value, 1) == csat
    assert round(cards["nps"].value) == nps
    assert {cards[k].status for k in ("on_time_pct", "csat_pct", "nps")} == {"red"}
