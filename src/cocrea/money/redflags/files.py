"""Running the red-flag engine over a file of compiled releases (one JSON object a line)."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, BinaryIO

from .engine import Engine
from .settings import Settings

CHUNK_BYTES = 1 << 20


def lines_of(stream: BinaryIO) -> Iterator[bytes]:
    """The lines of ``stream`` with their line breaks, as iterating it gives them, read a MiB
    at a time (BytesIO finds the breaks with memchr: faster than a buffered file's lines)."""
    read = stream.read
    tail = b""
    while chunk := read(CHUNK_BYTES):
        lines = io.BytesIO(tail + chunk).readlines()
        tail = lines.pop() if not lines[-1].endswith(b"\n") else b""
        yield from lines
    if tail:
        yield tail


def _iter_lines(stream: BinaryIO, spool: IO[bytes] | None) -> Iterable[tuple[bytes, int]]:
    offset = 0
    for line in lines_of(stream):
        if spool is not None:
            spool.write(line)
        yield line, offset
        offset += len(line)


def process(
    source: str | os.PathLike | BinaryIO, settings: Settings, *, map: bool = False
) -> Engine:
    """Run the enabled indicators over a file of compiled releases (one JSON object a line).

    `source` is a path, "-" for standard input, or a binary file object. Returns the finished
    engine: call `output()` or `write_json()`, then `close()`.
    """
    engine = Engine(settings, map=map)
    close = None
    if isinstance(source, str | os.PathLike) and str(source) != "-":
        stream = close = open(source, "rb")  # noqa: SIM115
    elif isinstance(source, str | os.PathLike):
        stream = sys.stdin.buffer
    else:
        stream = source
    spool = None
    try:
        seekable = False
        try:
            seekable = stream.seekable() and stream.tell() == 0
        except (AttributeError, OSError, ValueError):
            seekable = False
        if engine.needs_ratios and not seekable:
            spool = tempfile.TemporaryFile()  # noqa: SIM115
        feed = engine.feed_line
        for number, (line, offset) in enumerate(_iter_lines(stream, spool), start=1):
            feed(line, number, offset)
        reread_stream = stream if spool is None else spool
        if spool is not None:
            spool.flush()

        def reread(offset: int) -> bytes:
            reread_stream.seek(offset)
            return reread_stream.readline()

        engine.finish(reread)
    except BaseException:
        engine.close()
        raise
    finally:
        if spool is not None:
            spool.close()
        if close is not None:
            close.close()
    return engine


def run(
    source: str | os.PathLike | BinaryIO,
    settings: Settings,
    *,
    map: bool = False,
    meta: bool = True,
) -> tuple[dict, Engine]:
    """The Cardinal-compatible result object (built in memory) and the engine (for counts)."""
    engine = process(source, settings, map=map)
    try:
        return engine.output(meta=meta), engine
    finally:
        engine.close()


def compute(
    releases: Iterable[dict],
    settings: Settings | None = None,
    *,
    map: bool = False,
    meta: bool = True,
) -> dict:
    """The result object for compiled releases already in memory (e.g. one buyer's processes).

    Keeps the ocid, winner and runner-up of each price-compared process in memory; for whole
    files, `process()` and `run()` keep 16 bytes a process instead.
    """
    engine = Engine(settings if settings is not None else Settings.all_defaults(), map=map)
    try:
        for release in releases:
            if type(release) is dict:
                engine.feed(release)
        engine.finish()
        return engine.output(meta=meta)
    finally:
        engine.close()
