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
