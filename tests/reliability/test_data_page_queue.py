"""The Data page's loads wait in the same one-at-a-time queue as POST /api/loads (issue 15)."""

from __future__ import annotations

import threading

from cockpit import api, loadqueue
from cockpit.ingest.pipeline import load_files, prepare_file
from cockpit.screens import dataops
from cockpit.store import Store
from reliability.bad_files import ORDERS, ORDERS_FEB, csv_text


def test_a_data_page_load_waits_behind_an_api_load_and_says_so(tmp_path):
    store = Store.open(tmp_path / "c.duckdb")
    try:
        queue = loadqueue.shared()
        # The API's queue is this very queue.
        assert api.Server(tmp_path / "c.duckdb").queue is queue

        # An API load holds the queue (its job runs until released).
        running, release = threading.Event(), threading.Event()

        def api_load() -> dict:
            running.set()
            release.wait(30)
            return load_files(store, [("api.csv", csv_text(ORDERS).encode())]).to_dict()

        api_job = queue.submit("api.csv", api_load)
        assert running.wait(10)

        # The Data page's Load button, meanwhile, with a file already prepared.
        prepared = prepare_file(store, csv_text(ORDERS_FEB).encode(), "page.csv")
        assert prepared.status == "ready"
        said: list[str] = []
        out: dict = {}

        def page_load() -> None:
            out["reports"] = dataops.commit_queued(
                store, [prepared], {}, None, on_wait=said.append, poll_s=0.02
            )

        page = threading.Thread(target=page_load)
        page.start()
        for _ in range(500):
            if said:
                break
            threading.Event().wait(0.01)
        assert said == ["Waiting for another load to finish (1 ahead)…"]
        assert page.is_alive()
        assert store.rows("select file from loads") == []  # nothing committed beside it

        release.set()
        page.join(30)
        assert not page.is_alive()
        assert api_job.state == "done"
        (report,) = out["reports"]
        assert report.status == "loaded" and report.sheets[0].rows_loaded == 8
        # Applied one at a time, in the order sent: the API's load first.
        assert store.rows("select file from loads order by seq") == [
            {"file": "api.csv"},
            {"file": "page.csv"},
        ]
        assert said == ["Waiting for another load to finish (1 ahead)…"]  # said once
    finally:
        store.close()


def test_a_data_page_load_with_nothing_ahead_says_nothing(tmp_path):
    store = Store.open(tmp_path / "c.duckdb")
    try:
        prepared = prepare_file(store, csv_text(ORDERS).encode(), "o.csv")
        said: list[str] = []
        (report,) = dataops.commit_queued(store, [prepared], {}, None, on_wait=said.append)
        assert report.status == "loaded" and said == []
    finally:
        store.close()


def test_a_page_load_behind_an_api_load_of_the_same_bytes_is_a_duplicate(tmp_path):
    store = Store.open(tmp_path / "c.duckdb")
    try:
        data = csv_text(ORDERS).encode()
        prepared = prepare_file(store, data, "page.csv")  # checked: nothing loaded yet
        assert prepared.status == "ready"
        running, release = threading.Event(), threading.Event()

        def api_load() -> dict:  # a scheduled job sends the same bytes to the API
            running.set()
            release.wait(30)
            return load_files(store, [("job.csv", data)]).to_dict()

        api_job = loadqueue.shared().submit("job.csv", api_load)
        assert running.wait(10)
        out: dict = {}
        page = threading.Thread(
            target=lambda: out.update(
                reports=dataops.commit_queued(store, [prepared], {}, None, poll_s=0.02)
            )
        )
        page.start()  # the analyst clicks Load while the API's load runs
        release.set()
        page.join(30)
        assert not page.is_alive() and api_job.state == "done"
        (report,) = out["reports"]
        assert report.status == "duplicate" and "nothing loaded" in report.messages[0]
        assert store.rows("select file from loads") == [{"file": "job.csv"}]
        assert store.scalar("select count(*) from orders_live") == 2  # one live copy
    finally:
        store.close()
