"""Where tests find what is not in the checkout: ../shared beside it, Debian's chromium.

Nothing else outside the checkout and a test's tmp_path is ever read. A test that cannot run
because one of these is missing skips with a marker the root conftest counts and prints in
red at the end of the run, so a skip never passes quietly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
REALDATA = CHECKOUT.parent / "shared" / "realdata"
CHROMIUM = Path("/usr/bin/chromium")
MISSING_REALDATA = "REAL DATA MISSING"
MISSING_TOOL = "TOOL MISSING"


def needs_realdata(*parts: str) -> Path:
    """The path of a real export under ../shared/realdata; skips loudly when it is absent."""
    path = REALDATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{MISSING_REALDATA}: {path} (../shared must sit beside the checkout)")
    return path
