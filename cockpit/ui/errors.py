"""Our message for a failure anywhere on a page, never Streamlit's exception box: plain words,
what to try, and a reference that finds the traceback in the server's log.

Every page body runs inside `guard` (page_shell's own work, `view_section`'s fragment, the
Data, SQL and Settings pages' bodies), and every button callback is wrapped in `callback`.
Streamlit's own control flow (st.rerun, st.stop, st.switch_page) is a BaseException and
passes through untouched.
"""

from __future__ import annotations

import functools
import logging
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

from cockpit import store as store_mod

log = logging.getLogger("cockpit.ui")
if not log.handlers and not logging.getLogger().handlers:
    # The server's log is its stderr (make run, the tests' server logs).
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)

# A callback's failure, shown by the run it triggers (a callback draws nothing itself).
_PENDING = "_cockpit_failed_callback"


def message(where: str, ref: str) -> str:
    return (
        f"Sorry, something went wrong in {where}. Try again, or reload the page; the rest of "
        "the cockpit still works. If it keeps happening, tell your administrator the "
        f"reference {ref} (the details are in the server's log)."
    )


def _log(exc: BaseException, where: str) -> str:
    ref = secrets.token_hex(4)
    log.error("reference %s: failure in %s", ref, where, exc_info=exc)
    return ref


def report(exc: Exception, where: str) -> None:
    """Say that `where` failed, in our words; the traceback goes to the log."""
    if store_mod.is_lock_error(exc):
        busy = "The database is busy (a load is running); try again in a moment."
        st.info(busy, icon=":material/hourglass_top:")
        return
    st.error(message(where, _log(exc, where)), icon=":material/error:")


@contextmanager
def guard(where: str) -> Iterator[None]:
    """Run a page's body (or a part of it): a failure shows our message in its place."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the whole point: no traceback on the page
        report(exc, where)


def callback(where: str) -> Callable[[Callable], Callable]:
    """Wrap a widget callback: its failure is logged and said at the top of the next run."""

    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - shown by show_pending, in our words
                st.session_state[_PENDING] = (where, _log(exc, where))
                return None

        return run

    return wrap


def show_pending() -> None:
    """The failure of a callback run just before this run, if any (once)."""
    failed = st.session_state.pop(_PENDING, None)
    if failed:
        st.error(message(*failed), icon=":material/error:")
