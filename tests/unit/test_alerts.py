"""Alert rules on a load's data version: red and back, moves, sites, leaves red, rejects,
restatements of closed months, stale data; owners and rules need an analyst."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cockpit import alerts, auth, ledger
from cockpit.alerts import deliver, evaluate, rules
from cockpit.ingest.pipeline import load_files

ADMIN, ANALYST, VIEWER = (auth.User(n, n) for n in ("admin", "analyst", "viewer"))
JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
TODAY = dt.date(2026, 12, 6)


def _orders(month: dt.date, late: int, n: int = 10, site: str = "Leeds", tag: str = "") -> list:
    out = []
    for i in range(n):
        day = dt.datetime(month.year, month.month, 1 + i)
        promised = day + dt.timedelta(days=5)
        out.append({"order_id": f"{tag}{site}{month:%m}{i}", "order_date": day.date(),
                    "promised_date": promised, "site": site, "quantity": 1, "revenue": 10.0,
                    "delivered_date": promised + dt.timedelta(days=2 if i < late else -1)})  # fmt: skip
    return out


def _load(store, rows, **kw) -> list[dict]:
    """Load rows as one load, evaluate the alerts on it; the new alerts, oldest first."""
    entry = ledger.load_table(store, "orders", rows, replace=kw.pop("replace", True))
    ids = alerts.after_commit(store, [entry.load_id], today=kw.pop("today", TODAY))
    return [a for a in reversed(alerts.list_alerts(store, VIEWER)) if a["alert_id"] in ids]


def _only(store, *rule_list: rules.Rule) -> None:
    """These rules alone (the defaults switched off)."""
    for d in rules.DEFAULTS:
        rules.save_rule(store, rules.Rule(d.rule_id, d.kind, enabled=False), ADMIN)
    for r in rule_list:
        rules.save_rule(store, r, ADMIN)


def test_default_rule_fires_on_red_once_then_back_to_normal(store):
    assert _load(store, _orders(JAN, late=0)) == []

    def red(got):  # the restatement rule fires too (Feb 2025 is closed): not this test's
        return [a for a in got if a["kpi"] == "on_time_pct" and a["rule_id"] == "default_red"]

    fired = red(_load(store, _orders(FEB, late=5)))
    assert [(a["state"], a["after_value"], a["rule_id"]) for a in fired] == [
        ("fired", 50.0, "default_red")
    ]
    assert fired[0]["link"].endswith(f"/Efficiency?month=2025-02&asof={store.latest_seq()}")
    assert fired[0]["delivery"] == "in app"  # no SMTP or webhook set
    # Same numbers again (a new load): the condition holds, nothing repeats.
    assert red(_load(store, _orders(FEB, late=5))) == []
    back = red(_load(store, _orders(FEB, late=0)))
    assert [(a["state"], a["before_value"], a["after_value"]) for a in back] == [
        ("normal", 50.0, 100.0)
    ]
    assert "back to normal: 100.0% in Feb 2025" in back[0]["message"]


def test_move_rule_in_points_and_percent(store):
    _only(store, rules.Rule("drop", "move", kpi="on_time_pct", threshold=30.0),
          rules.Rule("drop_pct", "move", kpi="on_time_pct", threshold=60.0, unit="pct"))  # fmt: skip
    _load(store, _orders(JAN, late=0))
    fired = _load(store, _orders(FEB, late=4))  # 100% -> 60%: 40 points, 40 %
    assert [(a["rule_id"], a["before_value"], a["after_value"]) for a in fired] == [
        ("drop", 100.0, 60.0)
    ]
    assert fired[0]["message"].startswith("On-time delivery moved 40.0 points against Jan 2025")


def test_a_site_rule_watches_that_site_only(store):
    _only(store, rules.Rule("lyon_red", "red", kpi="on_time_pct", site="Lyon"))
    rows = _orders(JAN, late=0) + _orders(JAN, late=6, site="Lyon")
    fired = _load(store, rows)
    assert [(a["site"], a["after_value"]) for a in fired] == [("Lyon", 40.0)]
    assert "at Lyon" in fired[0]["message"] and "f_site=Lyon" in fired[0]["link"]


def test_leaves_red_is_an_event(store):
    _only(store, rules.Rule("left", "leaves_red", kpi="on_time_pct"))
    assert _load(store, _orders(JAN, late=5)) == []
    left = _load(store, _orders(JAN, late=0))
    assert [(a["state"], a["before_value"], a["after_value"]) for a in left] == [
        ("event", 50.0, 100.0)
    ]


def test_a_restated_closed_month_fires_above_its_threshold_only(store):
    _only(store, rules.Rule("restate", "restated", kpi="on_time_pct", threshold=15.0))
    _load(store, _orders(JAN, late=0))
    assert _load(store, _orders(JAN, late=1)) == []  # 100% -> 90%: within 15 points
    fired = _load(store, _orders(JAN, late=5))  # 90% -> 50%
    assert [(a["kind"], a["before_value"], a["after_value"]) for a in fired] == [
        ("restated", 90.0, 50.0)
    ]
    # The same month while it is the current month is not closed: no restatement.
    assert _load(store, _orders(JAN, late=0), today=dt.date(2025, 1, 20)) == []


def test_the_default_restatement_rule_needs_no_set_up(store):
    _load(store, _orders(JAN, late=0))
    fired = _load(store, _orders(JAN, late=0, n=8))  # orders 10 -> 8
    assert ("restated", "orders", 10.0, 8.0) in [
        (a["kind"], a["kpi"], a["before_value"], a["after_value"]) for a in fired
    ]


def test_a_load_rejecting_too_many_rows_fires(store, tmp_path):
    _only(store, rules.Rule("rejects", "rejects", threshold=20.0))
    csv = "Order ID,Order Date,Site,Qty,Revenue\n" + "".join(
        f"A{i},{'' if i < 3 else f'2025-01-0{1 + i}'},Leeds,1,2\n" for i in range(8)
    )  # three orders without a date: rejected
    report = load_files(store, [("jan.csv", csv.encode())])
    assert report.files[0].sheets[0].rows_rejected == 3
    [alert] = alerts.list_alerts(store, VIEWER)
    assert alert["kind"] == "rejects" and alert["after_value"] == pytest.approx(37.5)
    assert "rejected 37.5% of its rows (3 of 8)" in alert["message"]


def test_usual_day_is_the_median_first_load_day_of_each_month():
    t = dt.datetime
    assert evaluate.usual_day([t(2025, 1, 3), t(2025, 1, 20), t(2025, 2, 5), t(2025, 3, 4)]) == 4
    assert evaluate.usual_day([t(2025, 1, 3), t(2025, 1, 9)]) is None  # one month: no habit


def test_stale_data_fires_after_usual_day_plus_grace_and_ends_with_a_load(store):
    _only(store, rules.Rule("late", "stale", dataset="orders", days=2))
    for month in (dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)):
        entry = ledger.load_table(store, "orders", _orders(month, late=0), replace=True)
        cur = store.cursor()  # back-date the load to the 4th of its month
        cur.execute("UPDATE loads SET loaded_at = $t WHERE load_id = $i",
                    {"t": dt.datetime(month.year, month.month, 4, 9), "i": entry.load_id})  # fmt: skip
        cur.close()
        store.committed()
    assert alerts.daily_check(store, dt.date(2026, 12, 6)) == []  # day 6 <= 4 + 2
    [late] = alerts.daily_check(store, dt.date(2026, 12, 7))
    assert alerts.daily_check(store, dt.date(2026, 12, 8)) == []  # holds: no repeat
    [row] = alerts.list_alerts(store, VIEWER)
    assert row["alert_id"] == late and row["dataset"] == "orders" and row["state"] == "fired"
    assert "usually in by day 4" in row["message"]
    back = _load(store, _orders(dt.date(2026, 12, 1), late=0), today=dt.date(2026, 12, 8))
    assert [(a["kind"], a["state"]) for a in back] == [("stale", "normal")]


def test_owners_and_rules_need_an_analyst_viewers_read(store):
    with pytest.raises(auth.PermissionDenied):
        rules.set_owner(store, "on_time_pct", "Priya", "p@example.com", VIEWER)
    with pytest.raises(auth.PermissionDenied):
        rules.save_rule(store, rules.Rule("x", "red"), VIEWER)
    rules.set_owner(store, "on_time_pct", "Priya", "p@example.com", ANALYST)
    rules.set_owner(store, "on_time_pct", "Luc", "luc@example.com", ANALYST, site="Lyon")
    owners = rules.owners_by_kpi(store)
    assert rules.owner_of(owners, "on_time_pct", "Lyon")["owner"] == "Luc"
    assert rules.owner_of(owners, "on_time_pct", "Leeds")["owner"] == "Priya"
    assert rules.owner_text(rules.owner_of(owners, "on_time_pct")) == (
        "Owner: Priya (p@example.com)"
    )
    assert alerts.list_alerts(store, VIEWER) == []
    with pytest.raises(rules.RuleError, match="not an e-mail"):
        rules.set_owner(store, "on_time_pct", "Priya", "priya", ANALYST)
    with pytest.raises(rules.RuleError, match="needs its X"):
        rules.save_rule(store, rules.Rule("m", "move", kpi="on_time_pct"), ANALYST)


def test_the_smtp_password_is_never_shown_back_nor_audited(store):
    smtp = {"host": "smtp.example.com", "port": "587", "user": "u", "password": "s3cret"}
    deliver.save_settings(store, ADMIN, smtp=smtp, webhook="https://hooks.example.com/x")
    deliver.save_settings(store, ADMIN, smtp={**smtp, "password": ""}, webhook=None)
    conf = deliver.smtp_config(store)
    assert conf.password == "s3cret"  # a blank field kept it
    assert "s3cret" not in json.dumps(conf.public()) and conf.public()["password_set"]
    assert "s3cret" not in json.dumps(store.rows("select * from audit"), default=str)
    with pytest.raises(auth.PermissionDenied):
        deliver.save_settings(store, ANALYST, smtp=smtp, webhook=None)


def test_smtp_url_from_the_environment():
    conf = deliver.parse_smtp_url("smtp://bot%40x.com:p%3Ass@mail.x.com:2525")
    assert (conf.host, conf.port, conf.user, conf.password) == ("mail.x.com", 2525, "bot@x.com",
                                                                "p:ss")  # fmt: skip
    with pytest.raises(ValueError, match="smtp://"):
        deliver.parse_smtp_url("mail.x.com:25")


def test_an_evaluation_failure_never_fails_the_load(store, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("bug")

    monkeypatch.setattr(evaluate, "after_load", boom)
    csv = b"Order ID,Order Date,Site,Qty,Revenue\nA,2025-01-02,Leeds,1,2\n"
    report = load_files(store, [("a.csv", csv)])
    assert report.ok and store.has_data()


def test_owners_in_kpis_json_and_the_brief(tmp_path, tiny_tables, capsys):
    from cockpit.cli import main
    from cockpit.export.brief import brief_html
    from cockpit.store import Store

    path = tmp_path / "tiny.duckdb"
    store = Store.open(path)
    for name, rows in tiny_tables.items():
        ledger.load_table(store, name, rows)
    rules.set_owner(store, "orders", "Priya", "p@example.com", ADMIN)
    rules.set_owner(store, "orders", "Luc", None, ADMIN, site="Lyon")
    store.close()
    for argv, owner in (([], "Priya"), (["--filter", "site=Lyon"], "Luc")):
        assert main(["kpis", "--db", str(path), "--period", "2025-01", *argv, "--json"]) == 0
        kpis = {k["id"]: k for k in json.loads(capsys.readouterr().out)["kpis"]}
        assert kpis["orders"]["owner"] == owner and kpis["units"]["owner"] is None
    cards = rules.add_owners(
        [{"id": "orders", "label": "Orders", "group": "Efficiency", "value_text": "4",
          "status": "green", "footnote": "target 3"}],
        {("orders", ""): {"kpi": "orders", "site": "", "owner": "Priya", "email": None}},
    )  # fmt: skip
    assert cards[0]["footnote"] == "target 3 · Owner: Priya"
    html = brief_html(title="t", subtitle="s", cards=cards, movers=[], context=[], link=None)
    assert '<span class="owner">Priya</span>' in html


def test_a_condition_opened_by_an_undone_load_no_longer_holds(store):
    _only(store, rules.Rule("red", "red", kpi="on_time_pct"))
    _load(store, _orders(JAN, late=0))
    entry = ledger.load_table(store, "orders", _orders(FEB, late=5), replace=True)
    assert len(alerts.after_commit(store, [entry.load_id], today=TODAY)) == 1
    ledger.undo(store, entry.load_id)  # e.g. the demo data removed
    again = _load(store, _orders(FEB, late=5, tag="b"))
    assert [(a["state"], a["after_value"]) for a in again] == [("fired", 50.0)]


def test_a_malformed_smtp_setting_keeps_the_alert_and_says_why(store, monkeypatch):
    monkeypatch.setenv("COCKPIT_SMTP", "mail.example.com:25")  # no smtp://
    monkeypatch.delenv("COCKPIT_WEBHOOK", raising=False)
    monkeypatch.setattr(deliver, "kick", lambda store: None)  # tried here, not in a thread
    _only(store, rules.Rule("red", "red", kpi="on_time_pct"))
    rules.set_owner(store, "on_time_pct", "Priya", "p@example.com", ADMIN)
    _load(store, _orders(JAN, late=5))
    assert deliver.deliver_due(store) == {"sent": 0, "retrying": 1, "failed": 0}
    [alert] = alerts.list_alerts(store, VIEWER)
    assert alert["delivery"] == "delivery failed, retrying"
    assert "smtp://" in alert["deliveries"][0]


def test_money_in_an_alert_carries_its_currency():
    """The message of a money KPI names the currency of what it watches ('£9.8k', not
    '9.8k'), and the Alerts list shows values as the cards do."""
    from cockpit.kpis.catalogue import CATALOGUE
    from cockpit.ui.alerts_page import _shown

    assert _shown("budget_variance", 9792.07) == "£9.8k"
    assert _shown("on_time_pct", 89.1403) == "89.1%"
    assert _shown(None, 12.25) == "12.2"
    assert "budget_variance" in CATALOGUE


def test_a_kpi_red_before_the_load_does_not_turn_red_again(store):
    # QA: the demo fired "turned red" with before = after on KPIs red all along.
    _only(store, rules.Rule("red", "red", kpi="on_time_pct", enabled=False))
    _load(store, _orders(FEB, late=5))  # 50% on-time: red, the rule off
    _only(store, rules.Rule("red", "red", kpi="on_time_pct"))
    assert _load(store, _orders(FEB, late=5, tag="b")) == []  # the same numbers again
    assert _load(store, _orders(FEB, late=6, tag="c")) == []  # still red: nothing turned
    back_to_green = _load(store, _orders(FEB, late=0, tag="d"))
    assert back_to_green == []  # nothing was open, so no "back to normal"
    fired = _load(store, _orders(FEB, late=5, tag="e"))  # green -> red: it turns red
    assert [(a["state"], a["before_value"], a["after_value"]) for a in fired] == [
        ("fired", 100.0, 50.0)
    ]
