"""Settings: an admin adds a brief schedule through the form; the table shows it in words
with its next send, and the sends' table is there (empty, no None or nan)."""

from __future__ import annotations

import datetime as dt

from cockpit.briefs import schedule


def test_an_admin_saves_a_weekly_schedule_and_sees_it(open_app, demo_db):
    from cockpit.ui.resources import _store_for

    at = open_app(demo_db, "settings")
    at.text_input(key="brief_name").set_value("Monday pack")
    at.selectbox(key="brief_cadence").set_value("weekly")
    at.text_input(key="brief_view").set_value("http://localhost:8501/?compare=yoy&f_site=Leeds")
    at.text_area(key="brief_recipients").set_value("coo@example.com\nops@example.com")
    at.button(key="brief_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    saved = schedule.get(_store_for(str(demo_db.resolve())), "Monday pack")
    assert saved.cron == "0 7 * * 1" and saved.recipients == ("coo@example.com", "ops@example.com")
    upcoming = saved.next_slot(schedule.utc_now())
    assert upcoming.weekday() == 0 and upcoming.hour == 7
    assert f"next send {upcoming:%Y-%m-%d} 07:00 UTC" in at.success[0].value
    table = next(d.value for d in at.dataframe if "when" in d.value.columns)
    row = table.iloc[0]
    assert (row["name"], row["when"], row["recipients"], row["next_slot"]) == (
        "Monday pack",
        "Weekly, Monday 07:00",
        "coo@example.com, ops@example.com",
        f"{upcoming:%Y-%m-%d} 07:00 UTC",
    )
    assert row["last_slot"].endswith("07:00 UTC")
    assert dt.datetime.fromisoformat(row["last_slot"][:16]) < upcoming
    sends = next(d.value for d in at.dataframe if "trigger" in d.value.columns)
    assert sends.empty
    shown = table.astype(str).to_numpy().ravel().tolist()
    assert not {"None", "nan", "NaT"} & set(shown)


def test_a_bad_cron_expression_is_refused_with_the_reason(open_app, demo_db):
    at = open_app(demo_db, "settings")
    at.text_input(key="brief_name").set_value("Odd")
    at.selectbox(key="brief_cadence").set_value("cron")
    at.text_input(key="brief_cron").set_value("0 25 * * *")
    at.text_area(key="brief_recipients").set_value("coo@example.com")
    at.button(key="brief_save").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Not saved: cron hour: 25 is outside 0-23"]


def test_the_overview_brief_is_the_brief_cockpit_brief_makes(open_app, shared_demo_db):
    # One composition: the page's download (its cached scorecard and movers) and the
    # headless brief of the same view (CLI, schedules) are the same HTML, byte for byte.
    from cockpit import links
    from cockpit.briefs import document
    from cockpit.kpis import make_period
    from cockpit.ui import overview
    from cockpit.ui.resources import _store_for
    from cockpit.ui.shell import PageContext

    open_app(shared_demo_db)  # the page's store (and its caches) is this database's
    store = _store_for(str(shared_demo_db.resolve()))
    state = links.ViewState(compare="yoy", month="2026-09", filters=(("site", ("Leeds",)),))
    headless = document.from_view(store, state, base_url="https://x.example")
    assert headless.link == (
        f"https://x.example/?month=2026-09&compare=yoy&f_site=Leeds&asof={store.latest_seq()}"
    )
    ctx = PageContext("overview", store, None, state, as_of=2**62,
                      latest_seq=store.latest_seq(),
                      period=make_period("month", dt.date(2026, 9, 1)),
                      filters={"site": ["Leeds"]})  # fmt: skip
    page = overview.brief_bytes(ctx, link=headless.link).decode()
    assert page == headless.html
    assert "Sep 2026 vs the same period last year (Sep 2025)" in page
