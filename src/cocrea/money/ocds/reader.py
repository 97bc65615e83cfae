"""Read OCDS data as a stream of releases and records, whatever the packaging.

Accepted inputs (optionally gzip-compressed, UTF-8 or ISO-8859-1):

* JSON Lines: one release, compiled release, release package, record, record package or JSON
  array per line (line numbers are reported);
* a JSON document (pretty-printed or not): a release package or record package, a single
  release, or several concatenated documents; a JSON array of releases or packages (see
  `documents`: split in C when they fit a memory budget, else streamed with ijson).

Items are classified as ocdskit does (see `values`). Record packages (which ocdskit does not
accept) yield their records.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import gzip
import io
import mmap
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import msgspec
import orjson

from .documents import Prefixed, read_document
from .values import (
    ERROR,
    LAZY,
    OCID_KEY,
    RECORD,
    RELEASE,
    InputError,
    Item,
    Owner,
    classify,
    classify_record,
    classify_release,
    first_ocid,
    line_ocid,
    package_entries,
    package_releases,
    parse_lazy,
    parse_line,
    sure_ocid,
    trusted_package_entries,
)

__all__ = [
    "ERROR",
    "LAZY",
    "RECORD",
    "RELEASE",
    "InputError",
    "Item",
    "Partition",
    "Source",
    "classify",
    "classify_record",
    "classify_release",
    "line_ocid",
    "parse_lazy",
    "read_items",
    "sample_pivots",
]

SNIFF_BYTES = 1 << 20
LINE_BYTES = 64 << 20  # the longest first line tried as JSON Lines (read in memory)
_one_value = msgspec.json.Decoder(msgspec.Raw).decode


class _NotWhole(Exception):
    """The first line is longer than `LINE_BYTES`: not JSON Lines."""


class _Counting(io.RawIOBase):
    """Wrap a binary stream, counting the bytes read (for progress bars)."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.count += n
        return n


class Source:
    """An opened input: path or ``-`` (standard input), gzip detected by its magic number."""

    def __init__(self, path: str | Path, encoding: str | None = None):
        self.path = str(path)
        if self.path == "-":
            raw: IO[bytes] = sys.stdin.buffer
            self.size = None
        else:
            raw = open(self.path, "rb")  # noqa: SIM115 - closed in close()
            self.size = Path(self.path).stat().st_size
        self._file = raw
        self.counter = _Counting(raw)
        buffered = io.BufferedReader(self.counter, 1 << 20)
        self.compressed = buffered.peek(2)[:2] == b"\x1f\x8b"
        if self.compressed:
            self.stream: IO[bytes] = io.BufferedReader(gzip.GzipFile(fileobj=buffered), 1 << 16)
        else:
            self.stream = buffered
        self.encoding = _normalize_encoding(encoding)

    @property
    def bytes_read(self) -> int:
        return self.counter.count

    def close(self) -> None:
        if self.path != "-":
            self._file.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def mapped(self) -> memoryview | None:
        """The whole file, memory-mapped (its pages are the kernel's file cache, not this
        process's memory); None for standard input, gzip files and files of other kinds."""
        if self.path == "-" or self.compressed or not os.path.isfile(self.path):
            return None
        try:
            return memoryview(mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ))
        except (OSError, ValueError):  # empty, or a file system without mmap
            return None

    def items(self, lazy: bool = False, part: Partition | None = None) -> Iterator[Item]:
        return read_items(self.stream, self.encoding, lazy, part, self.mapped)


def _normalize_encoding(encoding: str | None) -> str | None:
    if encoding in (None, "", "auto"):
        return None
    name = codecs.lookup(encoding).name
    if name == "utf-8":
        return "utf-8"
    if name in ("iso8859-1", "latin-1", "latin_1"):
        return "iso-8859-1"
    raise InputError(f"unsupported encoding {encoding!r} (use utf-8 or iso-8859-1)")


def _detect_encoding(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4096]:
        raise InputError("the file looks like UTF-16 or UTF-32; convert it to UTF-8")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return "iso-8859-1"
    return "utf-8"


def read_items(
    stream: IO[bytes],
    encoding: str | None = None,
    lazy: bool = False,
    part: Partition | None = None,
    mapped: Callable[[], memoryview | None] | None = None,
) -> Iterator[Item]:
    """Yield the releases and records of ``stream`` (and errors, which the caller reports).

    With ``lazy``, JSON Lines that are surely one release (see `line_ocid`) are not parsed but
    yielded in `LAZY` batches with their ocids; the caller parses them when it needs them, with
    `parse_lazy`, which then gives exactly what this function would have yielded. A `LAZY`
    item's ``where`` is a prefix for ``line N``. With a `Partition` ``part`` too, only the JSON
    lines of that partition are read when a line says its ocid first (see `_read_lines_lazy`).
    """
    head = stream.peek(SNIFF_BYTES) if hasattr(stream, "peek") else b""
    if len(head) < SNIFF_BYTES:  # peek may return less than asked: read what we need
        head = stream.read(SNIFF_BYTES)
        stream = io.BufferedReader(Prefixed(head, stream), 1 << 16)
    bom = head.startswith(codecs.BOM_UTF8)
    if bom:
        stream.read(3)
        head = head[3:]
    if encoding is None:
        encoding = _detect_encoding(head)
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("the file looks like UTF-16 or UTF-32; convert it to UTF-8")
    latin = encoding == "iso-8859-1"

    stripped = head.lstrip()
    if not stripped:
        raise InputError("the file is empty")
    first = stripped[:1]
    if first not in (b"{", b"["):
        raise InputError(f"the file is not JSON (it starts with {stripped[:20]!r})")

    if first == b"{":
        line_end = head.find(b"\n")
        first_line = head if line_end < 0 else head[:line_end]
        complete = line_end >= 0 or len(head) < SNIFF_BYTES
        # One long document (a compact package) is told from the memory map, not read twice.
        if not complete and not _no_line_end(mapped, len(codecs.BOM_UTF8) if bom else 0):
            # A first line longer than the sniffed head (e.g. JSON Lines of big packages):
            # read it whole, up to `LINE_BYTES`, and replay it.
            line = stream.readline(LINE_BYTES)
            stream = io.BufferedReader(Prefixed(line, stream), 1 << 16)
            complete = line.endswith(b"\n") or len(line) < LINE_BYTES
            first_line = line.rstrip(b"\n")
        try:
            if not complete:
                raise _NotWhole
            text = first_line.decode("latin-1").encode() if latin else first_line
            if len(text) > SNIFF_BYTES:
                # A long line (a package of large releases): checked by msgspec, which skims
                # it without building it; orjson tells why if it is not JSON.
                try:
                    _one_value(text)
                except msgspec.DecodeError:
                    orjson.loads(text)
            else:
                orjson.loads(text)
            is_lines = True
        except _NotWhole:
            is_lines = False
        except orjson.JSONDecodeError as e:
            # A first line that is a whole object but not UTF-8: still JSON Lines (each
            # line with bad bytes is then reported).
            is_lines = complete and "UTF-8" in str(e) and first_line.rstrip().endswith(b"}")
        if is_lines:
            yield from _read_lines(stream, latin, lazy, part)
            return
    owner = part.owner() if lazy and part is not None and part.parts > 1 else None
    yield from read_document(stream, head, latin, lazy, owner, mapped)


def _no_line_end(mapped: Callable[[], memoryview | None] | None, start: int) -> bool:
    """Whether the memory-mapped input has no line break in the `LINE_BYTES` from ``start``
    and goes on beyond them (so its first line is not a whole line that fits): found by
    ``mmap.find`` (memchr over the file cache) instead of reading those bytes in memory."""
    data = mapped() if mapped is not None else None
    if data is None:
        return False
    mapping = data.obj
    try:
        if len(data) - start <= LINE_BYTES:
            return False
        return mapping.find(b"\n", start, start + LINE_BYTES) < 0
    finally:
        data.release()
        mapping.close()


class Partition:
    """Which of ``parts`` processes compiles an ocid, this one being ``index``: partition ``i``
    holds the ocids from ``pivots[i - 1]`` up to, not including, ``pivots[i]`` (``parts - 1``
    sorted ocids, see `sample_pivots`), so that the partitions' sorted outputs follow one
    another. Ocids compare alike as UTF-8 bytes or as strings (UTF-8 keeps code point order).
    """

    __slots__ = ("index", "parts", "pivots", "pivot_bytes", "owns_bytes")

    def __init__(self, index: int, parts: int, pivots: list[str]):
        if len(pivots) != parts - 1:
            raise ValueError(f"{parts} partitions need {parts - 1} pivots")
        self.index = index
        self.parts = parts
        self.pivots = pivots
        self.pivot_bytes = [p.encode() for p in pivots]
        # Whether an ocid (UTF-8) is this partition's: asked of every release read, so for the
        # first and last partitions it is one comparison with a pivot, a C method.
        if parts > 1 and index == 0:
            self.owns_bytes = self.pivot_bytes[0].__gt__  # ocid < first pivot
        elif parts > 1 and index == parts - 1:
            self.owns_bytes = self.pivot_bytes[-1].__le__  # last pivot <= ocid
        else:
            self.owns_bytes = self._between

    def owner(self) -> Owner:
        """A fresh `values.Owner` of this partition, for one reading of the input."""
        return Owner(self.owns_bytes, self.index, self.parts)

    def of_bytes(self, ocid: bytes) -> int:
        return bisect.bisect_right(self.pivot_bytes, ocid)

    def of(self, ocid: str) -> int:
        return self.of_bytes(ocid.encode())

    def _between(self, ocid: bytes) -> bool:
        return self.of_bytes(ocid) == self.index


def sample_pivots(paths: list[str], parts: int, samples: int = 512) -> list[str] | None:
    """``parts - 1`` ocids that split the input files in parts of about as many releases, from
    the ``"ocid":"...`` keys of blocks read at evenly spaced offsets (lines of releases or of
    packages alike); None if too few are found (e.g. gzip-compressed files, which cannot be
    sampled without reading them)."""
    ocids = []
    per_file = max(1, samples // max(1, len(paths)))
    for path in paths:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            if f.read(2) == b"\x1f\x8b":
                return None
            for k in range(per_file):
                f.seek(size * k // per_file)
                block = f.read(SAMPLE_BYTES)
                for found in OCID_KEY.finditer(block):
                    with contextlib.suppress(UnicodeDecodeError):
                        ocids.append(found.group(1).decode())
    if len(ocids) < 8 * parts:
        return None
    ocids.sort()
    return [ocids[len(ocids) * i // parts] for i in range(1, parts)]


SAMPLE_BYTES = 16 << 10


def _read_lines(
    stream: IO[bytes], latin: bool, lazy: bool = False, part: Partition | None = None
) -> Iterator[Item]:
    if lazy:
        yield from _read_lines_lazy(stream, latin, part)
        return
    for number, line in enumerate(stream, 1):
        if latin:
            line = line.decode("latin-1").encode("utf-8")
        if not line.strip():
            continue
        yield from parse_line(line, f"line {number}")


CHUNK_BYTES = 1 << 20


def _read_lines_lazy(
    stream: IO[bytes], latin: bool, part: Partition | None = None
) -> Iterator[Item]:
    """JSON Lines by chunks; lines that are surely releases come in `LAZY` batches:
    ``Item(LAZY, [(ocid, line, line number), ...], "")``, other lines as parsed items, all in
    input order.

    With a `Partition` ``part``, a line that starts with its ocid (unescaped) belongs to the
    partition of that ocid: the lines of other partitions are skipped unread, and the items of
    this partition's lines that are not surely releases are marked ``owned`` (their own ocids
    may, rarely, belong elsewhere: the caller checks). Other lines are read whole.
    """
    owner = part.owner() if part is not None and part.parts > 1 else None
    split = owner is not None
    mine = owner.mine if split else None
    number = 0
    # The start of a line not ended yet, in pieces: a line longer than a chunk (a package of
    # large releases) is joined once when its end is read, not copied again with every chunk.
    pending: list[bytes] = []
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if not chunk:
            lines = [b"".join(pending)] if pending else []
        else:
            if latin:
                chunk = chunk.decode("latin-1").encode("utf-8")
            if chunk.find(b"\n") < 0:
                pending.append(chunk)
                continue
            # Lines with their line breaks (BytesIO finds them with memchr: faster than split;
            # it shares the chunk's bytes, so nothing of the chunk is copied but its lines).
            rest = io.BytesIO(chunk)
            if pending:
                # The line begun in earlier chunks, joined once.
                end = chunk.find(b"\n") + 1
                pending.append(chunk[:end])
                lines = [b"".join(pending)]
                pending = []
                rest.seek(end)
                lines.extend(rest.readlines())
            else:
                lines = rest.readlines()
            if not lines[-1].endswith(b"\n"):
                pending.append(lines.pop())
        batch = []
        append = batch.append
        first = number + 1
        for number, line in enumerate(lines, first):
            owned = False
            head = first_ocid(line)
            if head is not None:
                if split:
                    if not mine(head):
                        continue  # another partition's line
                    owned = True
                    ocid = owner.ocid(line, head)
                else:
                    ocid = sure_ocid(line, head)
                if ocid is not None:
                    append((ocid, line, number))
                    continue
            if line.isspace():  # not `strip`, which copies a long line
                continue
            releases = package_releases(line, owner) if line.startswith(b"{") else None
            if releases is not None:
                if split and owner.trusted:
                    trusted = trusted_package_entries(releases, f"line {number} ", owner)
                    if trusted is not None:
                        batch.extend(trusted)
                        continue
                entries = package_entries(releases, f"line {number} ", owner)
            else:
                entries = parse_line(line, f"line {number}")
            for entry in entries:
                if type(entry) is tuple:  # a release of a package, kept as text
                    append(entry)
                    continue
                if batch:
                    yield Item(LAZY, batch, "", owned=split)
                    batch = []
                    append = batch.append
                if releases is None:
                    entry.owned = owned
                yield entry
        if batch:
            yield Item(LAZY, batch, "", owned=split)
        if not chunk:
            return
