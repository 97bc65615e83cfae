"""Red flags of a stream of compiled releases, in a process of its own (no Django, no DuckDB).

    python -m cocrea.money.redflags.feed OUT.jsonl < compiled releases, one per line

Keeps the first release of each ocid, writes the kept lines to OUT.jsonl (the flows'
``compiled.jsonl``, published: without contact points) and runs every indicator with its defaults over them, exactly as
`cocrea.money.redflags.run(OUT.jsonl, Settings.all_defaults(), meta=False)` would; then prints
the flags, one JSON array ``[group, key, code, value]`` a line. The flows rebuild
(`cocrea.money.facts`) runs it next to its own DuckDB work, so both cores are busy.

Memory does not grow with the number of flagged processes (the engine keeps them on disk and
they are printed as they are read back) and grows by 8 to 16 bytes a release with the number
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
from .engine import Engine
from .files import lines_of
from .reading import GROUPS, release_of
from .settings import Settings

OFFSET_BITS = 38  # of a slot of `SeenOcids`: lines up to 256 GiB into the file
FINGERPRINT_BITS = 64 - OFFSET_BITS
OFFSET_MASK = (1 << OFFSET_BITS) - 1
HASH_MASK = (1 << 64) - 1


class SeenOcids:
    """The ocids of the lines written so far, in 8 to 16 bytes each (a Python set of the
    strings takes about 100): an open-addressing table whose slots hold the top bits of the
    ocid's hash and the byte offset of its line, which ``line_at(offset)`` reads back when
    those bits are equal, to tell equal ocids apart from equal bits. Slots are found from
    those bits too, so that the table grows without reading the lines again; past
    ``max_capacity`` slots (three quarters full) or 256 GiB, the next ocids go to a set."""

    def __init__(
        self,
        line_at: Callable[[int], bytes],
        capacity: int = 1 << 16,
        max_capacity: int = 1 << FINGERPRINT_BITS,
    ):
        self.line_at = line_at
        self.slots = array("Q", bytes(8 * capacity))  # 0: empty
        self.mask = capacity - 1
        self.max_capacity = max_capacity
        self.size = 0
        self.overflow: set | None = None

    def add(self, ocid, offset: int) -> bool:
        """Remember ``ocid`` (its line at ``offset``); False if it was already there."""
        top = (hash(ocid) & HASH_MASK) >> OFFSET_BITS
        slots = self.slots
        mask = self.mask
        i = top & mask
        while slot := slots[i]:
            if slot >> OFFSET_BITS == top and self._ocid_at((slot & OFFSET_MASK) - 1) == ocid:
                return False
            i = (i + 1) & mask
        if self.overflow is not None:
            if ocid in self.overflow:
                return False
            self.overflow.add(ocid)
            return True
        if offset >= OFFSET_MASK or 4 * self.size >= 3 * self.max_capacity:
            self.overflow = {ocid}
            return True
        slots[i] = (top << OFFSET_BITS) | (offset + 1)
        self.size += 1
        if 2 * self.size > mask and mask + 1 < self.max_capacity:  # at most half full
            self._grow()
        return True

    def _ocid_at(self, offset: int):
        return orjson.loads(self.line_at(offset)).get("ocid")

    def _grow(self) -> None:
        capacity = 2 * len(self.slots)
        mask = capacity - 1
        slots = array("Q", bytes(8 * capacity))
        for slot in self.slots:
            if slot:
                i = (slot >> OFFSET_BITS) & mask
                while slots[i]:
                    i = (i + 1) & mask
                slots[i] = slot
        self.slots, self.mask = slots, mask


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
            for line in lines_of(stream):
                if not line.strip():
                    continue
                release = release_of(line)  # what Engine.feed_line reads, and only that
                if type(release) is not dict:
                    engine.skipped_not_object += 1
                    continue
                if not seen.add(release.get("ocid"), offset):
                    continue
                if _CONTACT_TEXT in line:  # published: no personal data (see ocds.privacy)
                    # (a second parse, of the releases that have contact points only)
                    line = orjson.dumps(without_contact_points(orjson.loads(line)))
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
