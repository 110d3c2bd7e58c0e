"""The Data page decides duplicate and replace when it commits, not when it checked the file
(issue 22): the same bytes loaded through the API meanwhile are a duplicate; a month and its
re-export uploaded together replace, as `cockpit load v1 v2` does."""

from __future__ import annotations

import datetime as dt
import io
import json
from urllib.parse import urlencode

import openpyxl
import pytest
from starlette.requests import Request

from cockpit import api
from tests.coroutines import run_coroutine

from .conftest import metric, orders_csv, sql_value

OCT = dt.date(2026, 10, 1)
TOKEN = "t" * 32


def _upload(at, files: list[tuple[str, bytes]]) -> None:
    at.file_uploader[0].set_value([(name, data, "text/csv") for name, data in files]).run()
    assert not at.exception, [e.value for e in at.exception]


def _texts(elements) -> str:
    return " ".join(e.value for e in elements)


@pytest.fixture
def api_post(monkeypatch):
    """POST /api/loads?file=NAME&wait=1 through the real handler, in this process (beside
    the pages, as server.py serves it), authorised with the server's local token."""

    def post(db, name: str, data: bytes, **options: str) -> dict:
        srv = api.Server(db.resolve())
        srv.info = {"local_token": TOKEN}
        monkeypatch.setattr(api, "SERVER", srv)
        scope = {
            "type": "http",
            "method": "POST",
            "path": "/api/loads",
            "query_string": urlencode({"file": name, "wait": "1", **options}).encode(),
            "headers": [(b"authorization", f"Bearer {TOKEN}".encode())],
        }

        async def receive():
            return {"type": "http.request", "body": data, "more_body": False}

        response = run_coroutine(api.loads_post(Request(scope, receive)))
        assert response.status_code == 200, response.body
        return json.loads(response.body)

    return post


def test_a_file_loaded_through_the_api_after_the_page_checked_it_is_a_duplicate(
    open_app, empty_db, api_post
):
    at = open_app(empty_db, "data")
    data = orders_csv([OCT], 5, tag="A")
    _upload(at, [("orders_oct.csv", data)])
    assert metric(at, "Already loaded") == "0"  # checked: nothing of it loaded yet

    # Meanwhile a scheduled job sends the same bytes to the API.
    job = api_post(empty_db, "orders_oct_job.csv", data)
    assert job["report"]["files"][0]["status"] == "loaded"

    # Then the analyst clicks Load: decided now, with the ledger as it is now.
    at.button(key="load_files").click().run()
    assert not at.exception, [e.value for e in at.exception]
    warning = _texts(at.warning)
    assert "orders_oct.csv: already loaded on" in warning and "nothing loaded" in warning
    assert "rows loaded into" not in _texts(at.success)
    assert sql_value(empty_db, "select count(*) from loads") == 1
    assert sql_value(empty_db, "select count(*) from orders_live") == 5  # one live copy


def test_a_month_and_its_re_export_uploaded_together_replace(open_app, empty_db):
    at = open_app(empty_db, "data")
    v1, v2 = orders_csv([OCT], 5, tag="A"), orders_csv([OCT], 3, tag="B")
    _upload(at, [("orders_oct.csv", v1), ("orders_oct_v2.csv", v2)])
    assert [m.value for m in at.metric if m.label == "Already loaded"] == ["0", "0"]
    at.button(key="load_files").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "orders_oct_v2.csv: 3 rows loaded into **orders**" in _texts(at.success)
    assert "orders_oct_v2.csv: replaced earlier rows in 1 month(s)" in _texts(at.caption)
    live = sql_value(empty_db, "select list(distinct order_id order by order_id) from orders_live")
    assert live == [f"B-202610-{i:03d}" for i in range(3)]  # only the re-export is live


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_whole_workbook_after_its_orders_sheet_loads_the_returns(open_app, empty_db, api_post):
    book = _workbook(
        {
            "Orders": [["Order ID", "Order Date", "Site", "Qty", "Revenue"]]
            + [[f"A{i}", dt.date(2026, 10, 1 + i), "Leeds", 1, 10.0] for i in range(4)],
            "Returns": [
                ["Order ID", "Return Date", "Reason", "Qty", "Refund"],
                ["A1", dt.date(2026, 10, 20), "Damaged", 1, 10.0],
            ],
        }
    )
    at = open_app(empty_db, "data")
    job = api_post(empty_db, "oct.xlsx", book, sheet="Orders")  # one sheet, by a script
    assert job["report"]["files"][0]["status"] == "loaded"
    _upload_xlsx(at, "oct.xlsx", book)
    assert "is already loaded (load 1) and still live" in _texts(at.info)
    at.button(key="load_files").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "oct.xlsx › Orders: already loaded on" in _texts(at.warning)
    assert "oct.xlsx › Returns: 1 rows loaded into **returns**" in _texts(at.success)
    assert sql_value(empty_db, "select count(*) from orders_live") == 4  # once
    assert sql_value(empty_db, "select count(*) from returns_live") == 1


def _upload_xlsx(at, name: str, data: bytes) -> None:
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader[0].set_value((name, data, mime)).run()
    assert not at.exception, [e.value for e in at.exception]
