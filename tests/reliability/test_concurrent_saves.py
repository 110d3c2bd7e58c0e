"""Issue 22: saves made at the same moment (two Streamlit sessions are two threads) are all
kept. Each saved item, custom metric and Settings target is its own row, written in its own
transaction, so one save never writes back a stale copy of the others."""

from __future__ import annotations

import threading

import pandas as pd

from cockpit.auth import User
from cockpit.kpis import CATALOGUE, custom_metrics
from cockpit.screens import saved, settings_view
from cockpit.store import Store

N = 8
USERS = [User(f"user{i}", "analyst") for i in range(N)]
ADMIN = User("ada", "admin")


def _at_once(work) -> None:
    """Run work(i) for i in 0..N-1 on N threads released together; re-raise any error."""
    start = threading.Barrier(N)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            work(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_eight_scenarios_saved_at_once_are_all_kept(tmp_path):
    store = Store.open(tmp_path / "c.duckdb")
    try:
        _at_once(
            lambda i: saved.save(
                store,
                "scenarios",
                f"plan {i}",
                {"drivers": {"volume": float(i)}},
                user=USERS[i],
                shared=i % 2 == 0,
            )  # fmt: skip
        )
        kept = saved.list_saved(store, "scenarios")
        assert sorted(kept) == sorted(f"plan {i}" for i in range(N))
        assert [kept[f"plan {i}"]["value"]["drivers"]["volume"] for i in range(N)] == [
            float(i) for i in range(N)
        ]
        assert [kept[f"plan {i}"]["user"] for i in range(N)] == [u.name for u in USERS]
    finally:
        store.close()


def test_eight_views_saved_by_one_user_at_once_are_all_kept(tmp_path):
    store = Store.open(tmp_path / "c.duckdb")
    try:
        _at_once(lambda i: saved.save(store, "views", f"v{i}", {"url": f"?m={i}"}, user=ADMIN))
        assert len(saved.list_saved(store, "views", ADMIN)) == N
    finally:
        store.close()


def test_eight_custom_metrics_saved_at_once_are_all_kept(loaded_store):
    def save(i: int) -> None:
        metric = custom_metrics.CustomMetric(
            id=f"units_x{i}", label=f"Units x{i}", dataset="orders",
            numerator="sum(quantity)", scale=float(i + 1),
        )  # fmt: skip
        custom_metrics.save_metric(loaded_store, metric, USERS[i])

    _at_once(save)
    scales = {m.id: m.scale for m in custom_metrics.list_metrics(loaded_store)}
    assert scales == {f"units_x{i}": float(i + 1) for i in range(N)}


def test_eight_admins_setting_different_targets_at_once_keep_all_eight(tmp_path):
    store = Store.open(tmp_path / "c.duckdb")
    kpis = [k.id for k in CATALOGUE.values()][:N]
    try:
        shown = settings_view.targets_table(store)  # every admin opened Settings first

        def save(i: int) -> None:
            edited = shown.copy()
            edited.loc[edited["kpi"] == kpis[i], "target"] = 100.0 + i
            settings_view.save_targets(store, edited, ADMIN, shown=shown)

        _at_once(save)
        table = settings_view.targets_table(store).set_index("kpi")
        assert [table.loc[k, "target"] for k in kpis] == [100.0 + i for i in range(N)]
        assert pd.isna(table["target"]).sum() == len(table) - N
    finally:
        store.close()


def test_sla_days_saved_at_once_from_the_same_table_keep_one_and_refuse_the_rest(tmp_path):
    """The SLA days are one table saved whole: a save is a compare-and-set against the table
    its page showed, so of eight saves from the same table one lands and seven are told to
    reload, instead of each silently undoing the others."""
    store = Store.open(tmp_path / "c.duckdb")
    try:
        shown = settings_view.sla_table(store)
        kept, refused = [], []

        def save(i: int) -> None:
            edited = shown.copy()
            edited.loc[edited["ship mode or channel"] == "Standard", "days"] = 10 + i
            try:
                settings_view.save_sla(store, edited, ADMIN, shown=shown)
                kept.append(10 + i)
            except ValueError as exc:
                refused.append(str(exc))

        _at_once(save)
        assert len(kept) == 1 and len(refused) == N - 1
        assert set(refused) == {
            "The SLA days were changed by someone else since this page was opened; "
            "reload the page and make your change again."
        }
        from cockpit.kpis import targets

        assert targets.sla_days(store)["Standard"] == kept[0]
    finally:
        store.close()
