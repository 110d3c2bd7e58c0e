"""Small Arrow helpers shared by the ingest stages."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pyarrow as pa
import pyarrow.compute as pc

T = TypeVar("T")
R = TypeVar("R")


def map_columns(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """fn over items on every core: Arrow kernels release the GIL, so columns run at once."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(fn, items))


def present(col) -> pa.Array:
    """True for cells with something other than whitespace in them."""
    # utf8_is_space is false for "" and true for whitespace only; no trimmed copy is made.
    filled = pc.and_(pc.greater(pc.binary_length(col), 0), pc.invert(pc.utf8_is_space(col)))
    return pc.fill_null(filled, False)
