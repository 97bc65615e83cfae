"""Red flags of a stream of compiled releases, in a process of its own (no Django, no DuckDB).

    python -m cocrea.money.redflags.feed OUT.jsonl < compiled releases, one per line

Keeps the first release of each ocid, writes the kept lines to OUT.jsonl (the flows'
``compiled.jsonl``, published: without contact points) and runs every indicator with its defaults over them, exactly as
`cocrea.money.redflags.run(OUT.jsonl, Settings.all_defaults(), meta=False)` would; then prints
the flags, one JSON array ``[group, key, code, value]`` a line. The flows rebuild
(`cocrea.money.facts`) runs it next to its own DuckDB work, so both cores are busy.

Memory does not grow with the number of flagged processes (the engine keeps them on disk and
they are printed as they are read back) and grows by about 16 bytes a release with the number
of releases (`SeenOcids`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from array import array
from collections.abc import Callable, Iterator

import orjson

from ..ocds.privacy import _CONTACT_TEXT, without_contact_points
from .engine import GROUPS, Engine
from .settings import Settings


class SeenOcids:
    """The ocids of the lines written so far, in 16 bytes each (a Python set of the strings
    takes about 100): an open-addressing table of their hashes, with the byte offset of their
    line, which ``line_at(offset)`` reads back to tell equal ocids from equal hashes."""

    def __init__(self, line_at: Callable[[int], bytes], capacity: int = 1 << 16):
        self.line_at = line_at
        self.hashes = array("q", bytes(8 * capacity))  # 0: empty slot
        self.offsets = array("q", bytes(8 * capacity))
        self.mask = capacity - 1
        self.size = 0

    def add(self, ocid: str, offset: int) -> bool:
        """Remember ``ocid`` (its line at ``offset``); False if it was already there."""
        h = hash(ocid) or 1
        hashes = self.hashes
        mask = self.mask
        i = h & mask
        while True:
            found = hashes[i]
            if found == 0:
                break
            if found == h and orjson.loads(self.line_at(self.offsets[i])).get("ocid") == ocid:
                return False
            i = (i + 1) & mask
        hashes[i] = h
        self.offsets[i] = offset
        self.size += 1
        if 2 * self.size > mask:  # at most half full: short probes
            self._grow()
        return True

    def _grow(self) -> None:
        old_hashes, old_offsets = self.hashes, self.offsets
        capacity = 2 * len(old_hashes)
        mask = capacity - 1
        hashes = array("q", bytes(8 * capacity))
        offsets = array("q", bytes(8 * capacity))
        for h, offset in zip(old_hashes, old_offsets, strict=True):
            if h:
                i = h & mask
                while hashes[i]:
                    i = (i + 1) & mask
                hashes[i] = h
                offsets[i] = offset
        self.hashes, self.offsets, self.mask = hashes, offsets, mask


def flag_rows(engine: Engine) -> Iterator[list]:
    """``[group, key, code, value]`` for each flag, in the order of ``engine.output()``,
    streaming the processes' flags from the engine's spool."""
    for group, key, code, value in engine.iter_rows():
        if group in GROUPS:
            yield [group, key, code, float(value)]


def run(stream, out_path: str, rows_out) -> int:
    """Feed the releases of ``stream``; write the flags to ``rows_out`` (one JSON array a
    line); return how many."""
    engine = Engine(Settings.all_defaults())
    offset = 0
    number = 0
    try:
        with open(out_path, "w+b", buffering=1 << 20) as out:
            write = out.write

            def reread(at: int) -> bytes:
                out.flush()
                end = out.tell()
                out.seek(at)
                line = out.readline()
                out.seek(end)
                return line

            seen = SeenOcids(reread)
            feed = engine.feed
            for line in stream:
                if not line.strip():
                    continue
                release = orjson.loads(line)  # what Engine.feed_line does, parsing once
                if type(release) is not dict:
                    engine.skipped_not_object += 1
                    continue
                if not seen.add(release.get("ocid"), offset):
                    continue
                if _CONTACT_TEXT in line:  # published: no personal data (see ocds.privacy)
                    line = orjson.dumps(without_contact_points(release))
                if not line.endswith(b"\n"):
                    line += b"\n"
                write(line)
                number += 1
                engine.lines = number
                feed(release, offset)
                offset += len(line)
            out.flush()
            del seen
            engine.finish(reread)
        count = 0
        for row in flag_rows(engine):
            rows_out.write(orjson.dumps(row) + b"\n")
            count += 1
        return count
    finally:
        engine.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # A short-lived process whose objects (parsed releases) hold no cycles: the cyclic
    # garbage collector would only slow it down.
    gc.disable()
    # Behind the import that feeds it, whose worker threads then get the cores first; it
    # catches up at the end, when they have less to do.
    with contextlib.suppress(OSError):
        os.nice(5)
    with open(sys.stdin.fileno(), "rb", buffering=1 << 20, closefd=False) as stream:
        run(stream, argv[0], sys.stdout.buffer)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
