"""Zip parts inflated under a budget: the sizes a zip's headers declare are not trusted.

read.py refuses a package whose DECLARED sizes are too big (a zip bomb). A crafted package can
declare 1 MB for a part that inflates to gigabytes, and calamine inflates (and parses) all of
it. So before any reader sees a package, every part is inflated here a step at a time, the
output counted and dropped, and the package refused the moment a part yields more than its
header declares: nothing downstream then inflates more than the declared sizes that passed
the check. Each step's output is bounded too (`max_length`): one compressed megabyte can
inflate to a gigabyte.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator

try:  # ISA-L inflates 2.3x faster than zlib here (it is in requirements.txt)
    from isal import isal_zlib as fast_zlib
except ImportError:  # pragma: no cover
    fast_zlib = zlib

_LOCAL = struct.Struct("<IHHHHHIIIHH")
IN_STEP = 1 << 20  # compressed bytes fed per step
OUT_STEP = 16 << 20  # most bytes one step may inflate to


class TooBig(ValueError):
    """A part inflates to more than it may."""

    def __init__(self, info: zipfile.ZipInfo, cap: int):
        super().__init__(f"{info.filename} inflates past {cap} bytes")
        self.info, self.cap = info, cap


def raw_bytes(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The compressed bytes of a member, found through its local header."""
    sig, *_, name_len, extra_len = _LOCAL.unpack_from(data, info.header_offset)
    if sig != 0x04034B50:
        raise ValueError("bad local header")
    begin = info.header_offset + _LOCAL.size + name_len + extra_len
    return memoryview(data)[begin : begin + info.compress_size]


def inflate(data: bytes, info: zipfile.ZipInfo, cap: int, step: int = IN_STEP) -> Iterator[bytes]:
    """The member's bytes, inflated a step at a time; TooBig once they pass `cap` bytes."""
    src = raw_bytes(data, info)
    size = 0
    if info.compress_type == zipfile.ZIP_STORED:
        for pos in range(0, len(src), step * 8):
            piece = bytes(src[pos : pos + step * 8])
            size += len(piece)
            if size > cap:
                raise TooBig(info, cap)
            yield piece
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ValueError(f"compression method {info.compress_type}")
    inflater = fast_zlib.decompressobj(-15)
    for pos in range(0, len(src), step):
        chunk = src[pos : pos + step]
        while chunk and not inflater.eof:
            piece = inflater.decompress(chunk, OUT_STEP)
            chunk = inflater.unconsumed_tail
            size += len(piece)
            if size > cap:
                raise TooBig(info, cap)
            yield piece
        if inflater.eof:
            break
    piece = inflater.flush()
    if size + len(piece) > cap:
        raise TooBig(info, cap)
    yield piece
    if not inflater.eof:
        raise ValueError("truncated part")


def check_parts(data: bytes, infos: list[zipfile.ZipInfo], budget: int) -> None:
    """Inflate every part (output dropped): TooBig when one yields more than its header
    declares or all together more than `budget`; ValueError for a method no spreadsheet
    writer uses (calamine might still inflate it, unchecked)."""
    left = budget
    for info in infos:
        if info.flag_bits & 0x1 or info.is_dir():
            continue  # encrypted: no reader can inflate it
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ValueError(f"the part {info.filename} uses compression method "
                             f"{info.compress_type}, which spreadsheet files do not use")  # fmt: skip
        cap = min(info.file_size, left)
        try:
            for piece in inflate(data, info, cap):
                left -= len(piece)
        except TooBig:
            raise
        except (ValueError, struct.error, zlib.error, fast_zlib.error):
            continue  # corrupt: the reader says so, and inflates no more than we did


def size_text(n: int) -> str:
    if n >= 1024**2:
        return f"{n / 1024**2:,.1f} MB"
    if n >= 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n:,} bytes"
