"""The server's warm-up ends by freezing what it loaded out of the garbage collector's way:
Streamlit collects after every script run, and the page's last messages wait for it."""

from __future__ import annotations

import gc

from cockpit.ui import warmup


def test_settle_freezes_what_is_loaded_so_a_full_collection_skips_it():
    kept = [[i] for i in range(50_000)]  # stands in for the libraries and caches
    gc.collect()
    tracked_before = len(gc.get_objects())
    try:
        warmup.settle()
        assert gc.get_freeze_count() >= len(kept)
        # What a collection scans afterwards no longer includes them.
        assert len(gc.get_objects()) < tracked_before - len(kept)
    finally:
        gc.unfreeze()
