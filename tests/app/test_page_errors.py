"""Issue 23: a failure anywhere on a page shows our message (plain words, what to try, a
reference logged with the traceback in the server log), never Streamlit's exception box."""

from __future__ import annotations

import logging
import re

import pytest

from .conftest import APP, PAGES, TIMEOUT_S

# A function each page's body calls, made to fail.
FAILING = {
    "overview": "cockpit.ui.cached.no_data",
    "efficiency": "cockpit.ui.cached.no_data",
    "cost": "cockpit.ui.cached.no_data",
    "customer": "cockpit.ui.cached.no_data",
    "whatif": "cockpit.ui.cached.no_data",
    "data": "cockpit.screens.freshness.coverage",
    "sql": "cockpit.ui.sql_page.schema_browser",
    "settings": "cockpit.ui.settings_page.targets_section",
}


def _boom(*args, **kwargs):
    raise RuntimeError("boom: a bug in the page")


@pytest.mark.parametrize("page", list(FAILING))
def test_a_failing_page_body_shows_our_message_with_a_logged_reference(
    page, shared_demo_db, monkeypatch, caplog
):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("COCKPIT_DB", str(shared_demo_db))
    monkeypatch.setattr(FAILING[page], _boom)
    caplog.set_level(logging.ERROR)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.run()
    if page != "overview":
        at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    (error,) = [e.value for e in at.error]
    assert "something went wrong in the" in error and "reload the page" in error
    ref = re.search(r"reference ([0-9a-f]{8})", error)[1]
    logged = [r for r in caplog.records if ref in r.getMessage()]
    assert len(logged) == 1 and "boom: a bug in the page" in str(logged[0].exc_info[1])
    assert "boom" not in error  # the exception's text stays in the log
    # The rest of the shell still works: the title and the sidebar's pages are drawn.
    assert at.title and at.sidebar


def test_a_failing_button_callback_shows_our_message_on_the_next_run(
    open_app, shared_demo_db, monkeypatch, caplog
):
    at = open_app(shared_demo_db, "whatif")
    at.button(key="FormSubmitter:goalseek-Find the value").click().run()
    before = at.slider(key="d_agents").value
    from cockpit.screens import whatif_view

    real, calls = whatif_view.slider_value, []

    def fails_once(*args):
        calls.append(args)
        if len(calls) == 1:  # the callback's call, first in the run; the page's then work
            _boom()
        return real(*args)

    monkeypatch.setattr(whatif_view, "slider_value", fails_once)
    caplog.set_level(logging.ERROR)
    at.button(key="apply_goalseek").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (error,) = [e.value for e in at.error]
    assert "something went wrong in the goal seek's Apply button" in error
    ref = re.search(r"reference ([0-9a-f]{8})", error)[1]
    assert [r for r in caplog.records if ref in r.getMessage()]
    assert at.slider(key="d_agents").value == before  # nothing half-applied
