"""Fixtures for the reliability suite: a store that already holds loads of every kind."""

from __future__ import annotations

import pytest

from cockpit.store import Store
from reliability import seed_store


@pytest.fixture
def loaded_store(store, tiny_tables):
    """The tiny fixture tables plus two spreadsheet loads (one with a rejected row)."""
    seed_store(store, tiny_tables)
    return store


@pytest.fixture(scope="module")
def shared_loaded_store():
    """Like loaded_store, shared by a module whose tests must each leave it unchanged."""
    from conftest import TINY_TABLES

    s = Store.open(":memory:")
    seed_store(s, TINY_TABLES)
    yield s
    s.close()
