"""POST /api/loads?recipe=NAME and GET /api/recipes, through the real handlers in-process."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from cockpit import api, recipes
from cockpit import store as store_mod
from tests.coroutines import run_coroutine
from tests.unit.test_recipes import CALLS, CALLS_RECIPE
from tests.unit.workbooks import text

TOKEN = "t" * 32


@pytest.fixture
def call(monkeypatch, tmp_path):
    db = (tmp_path / "api.duckdb").resolve()
    srv = api.Server(db)
    srv.info = {"local_token": TOKEN}
    monkeypatch.setattr(api, "SERVER", srv)

    def call(handler, method: str, path: str, body: bytes = b"", **query):
        scope = {
            "type": "http", "method": method, "path": path,
            "query_string": urlencode(query).encode(),
            "headers": [(b"authorization", f"Bearer {TOKEN}".encode())],
        }  # fmt: skip

        async def receive():
            return {"type": "http.request", "body": body, "more_body": False}

        response = run_coroutine(handler(Request(scope, receive)))
        return response.status_code, json.loads(response.body)

    call.store = lambda: store_mod.get_store(db)
    yield call
    store_mod.get_store(db).close()


def test_load_with_a_saved_recipe_and_list_the_recipes(call):
    recipes.save(call.store(), recipes.parse(CALLS_RECIPE), "ann")
    status, doc = call(api.loads_post, "POST", "/api/loads", text(CALLS).encode(),
                       file="calls.csv", recipe="Bank call log", wait="1")  # fmt: skip
    assert status == 200, doc
    sheet = doc["report"]["files"][0]["sheets"][0]
    assert (sheet["status"], sheet["dataset"], sheet["rows_loaded"]) == ("loaded", "contacts", 6)
    assert "loaded with recipe 'Bank call log' version 1" in sheet["messages"]
    status, listed = call(api.recipes_list, "GET", "/api/recipes")
    assert status == 200
    assert [(r["name"], r["version"], r["dataset"], r["loads"]) for r in listed] == [
        ("Bank call log", 1, "contacts", 1)
    ]
    assert recipes.parse(listed[0]["toml"]) == recipes.parse(CALLS_RECIPE)


def test_an_unknown_recipe_is_a_404_and_nothing_is_queued(call):
    status, doc = call(api.loads_post, "POST", "/api/loads", text(CALLS).encode(),
                       file="calls.csv", recipe="nope", wait="1")  # fmt: skip
    assert status == 404 and "no saved recipe 'nope'" in doc["error"]
