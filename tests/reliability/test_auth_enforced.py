"""Roles are enforced in the core, not only hidden in the UI: calling the core functions
directly as a viewer is refused with PermissionDenied and changes nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from cockpit.auth import PermissionDenied, User
from cockpit.ingest.pipeline import commit_file, load_files, prepare_file
from cockpit.screens import dataops, settings_view
from cockpit.sqlguard import run_readonly
from reliability import db_fingerprint
from reliability.bad_files import ORDERS, csv_text

VIEWER = User("vera", "viewer")
ANALYST = User("ann", "analyst")
OTHER_ANALYST = User("otto", "analyst")
ADMIN = User("ada", "admin")
MARCH = ("march.csv", csv_text([ORDERS[0], ["M1", "2025-03-02", "Leeds", 3, 33]]).encode())


def _targets_edit() -> pd.DataFrame:
    return pd.DataFrame([{"kpi": "orders", "target": 99.0, "amber": 5.0}])


@pytest.fixture
def unchanged(loaded_store):
    """The loaded store; the test body must leave every table as it found it."""
    before = db_fingerprint(loaded_store)
    yield loaded_store
    assert db_fingerprint(loaded_store) == before


def test_viewer_cannot_commit_an_upload(unchanged):
    prepared = prepare_file(unchanged, MARCH[1], MARCH[0])
    assert prepared.status == "ready"
    with pytest.raises(PermissionDenied, match="analyst"):
        commit_file(unchanged, prepared, user=VIEWER)
    with pytest.raises(PermissionDenied):
        load_files(unchanged, [MARCH], user=VIEWER)


def test_analyst_upload_is_recorded_under_their_name(loaded_store):
    prepared = prepare_file(loaded_store, MARCH[1], MARCH[0])
    report = commit_file(loaded_store, prepared, user=ANALYST)
    assert report.status == "loaded"
    load_id = report.sheets[0].load_id
    assert loaded_store.scalar('select "user" from loads where load_id = $i', {"i": load_id}) == (
        "ann"
    )


def test_viewer_cannot_run_sql(unchanged):
    with pytest.raises(PermissionDenied, match="analyst"):
        run_readonly(unchanged, "select count(*) from orders_live", user=VIEWER)
    result = run_readonly(unchanged, "select count(*) as n from orders_live", user=ANALYST)
    assert result.table.to_pylist() == [{"n": unchanged.scalar("select count(*) from orders")}]


def test_viewer_cannot_undo_and_analysts_only_their_own(loaded_store):
    own = load_files(loaded_store, [MARCH], user="ann").files[0].sheets[0].load_id
    before = db_fingerprint(loaded_store)
    with pytest.raises(PermissionDenied):
        dataops.undo_load(loaded_store, own, VIEWER)
    with pytest.raises(PermissionDenied, match="admin"):
        dataops.undo_load(loaded_store, own, OTHER_ANALYST)
    assert db_fingerprint(loaded_store) == before
    dataops.undo_load(loaded_store, own, ANALYST)
    assert loaded_store.scalar("select undone_by from loads where load_id = $i", {"i": own}) == (
        "ann"
    )


def test_the_page_is_told_beforehand_why_a_user_may_not_undo_a_load(loaded_store):
    own = load_files(loaded_store, [MARCH], user="ann").files[0].sheets[0].load_id
    assert dataops.undo_refusal(loaded_store, own, ANALYST) is None
    assert dataops.undo_refusal(loaded_store, own, ADMIN) is None
    assert dataops.undo_refusal(loaded_store, own, OTHER_ANALYST) == (
        f"Load {own} was loaded by ann; undoing someone else's load needs an admin."
    )
    assert dataops.undo_refusal(loaded_store, own, VIEWER) == (
        "Undoing other people's loads needs the admin role; you are a viewer."
    )


def test_admin_may_undo_anyones_load(loaded_store):
    own = load_files(loaded_store, [MARCH], user="ann").files[0].sheets[0].load_id
    dataops.undo_load(loaded_store, own, ADMIN)
    assert loaded_store.scalar("select count(*) from orders_live where order_id = 'M1'") == 0


def test_only_admins_remove_demo_data(loaded_store):
    load_files(loaded_store, [MARCH], is_demo=True)
    before = db_fingerprint(loaded_store)
    for user in (VIEWER, ANALYST):
        with pytest.raises(PermissionDenied):
            dataops.remove_demo(loaded_store, user)
    assert db_fingerprint(loaded_store) == before
    assert dataops.remove_demo(loaded_store, ADMIN) == 1
    assert dataops.demo_loads(loaded_store) == []


def test_only_admins_change_targets_and_settings(unchanged):
    for user in (VIEWER, ANALYST):
        with pytest.raises(PermissionDenied, match="admin"):
            settings_view.save_targets(unchanged, _targets_edit(), user)
        with pytest.raises(PermissionDenied, match="admin"):
            settings_view.save_sla(
                unchanged, pd.DataFrame([{"ship mode or channel": "Express", "days": 2}]), user
            )


def test_admin_target_change_is_saved(loaded_store):
    assert settings_view.save_targets(loaded_store, _targets_edit(), ADMIN) == 1
    table = settings_view.targets_table(loaded_store).set_index("kpi")
    assert (table.loc["orders", "target"], table.loc["orders", "amber"]) == (99.0, 5.0)


def test_not_signed_in_is_refused_too(unchanged):
    prepared = prepare_file(unchanged, MARCH[1], MARCH[0])
    with pytest.raises(PermissionDenied, match="sign in"):
        dataops.remove_demo(unchanged, None)
    with pytest.raises(PermissionDenied):
        commit_file(unchanged, prepared, user=User("x", "guest"))
