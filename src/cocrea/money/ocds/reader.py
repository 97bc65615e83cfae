"""Read OCDS data as a stream of releases and records, whatever the packaging.

Accepted inputs (optionally gzip-compressed, UTF-8 or ISO-8859-1):

* JSON Lines: one release, compiled release, release package, record, record package or JSON
  array per line (line numbers are reported);
* a JSON document (pretty-printed or not): a release package or record package, whose
  ``releases``/``records`` are streamed one at a time with ijson (constant memory), a single
  release, or several concatenated documents;
* a JSON array of releases or packages.

Items are classified as ocdskit does (`ocdskit.util.is_release`: an object with ``date`` is a
release; otherwise its ``releases`` are taken, which also covers records with embedded releases).
Record packages (which ocdskit does not accept) yield their records.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import gzip
import io
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson
import msgspec
import orjson

SNIFF_BYTES = 1 << 20
LINE_BYTES = 16 << 20  # the longest first line tried as JSON Lines (parsed in memory)

RELEASE = "release"
RECORD = "record"
ERROR = "error"
LAZY = "lazy"  # release lines left unparsed: ``value`` is ``[(ocid, text, line number), ...]``


class InputError(ValueError):
    """The whole input cannot be read (not JSON, unsupported encoding, ...)."""


@dataclass(slots=True)
class Item:
    kind: str  # RELEASE, RECORD, ERROR or LAZY
    value: Any  # the release/record, the reason of the error, or the lines of a LAZY batch
    where: str  # "line 12", "releases[3]"...
    raw: bytes | None = None  # the UTF-8 JSON text of the line, when the line is this item
    owned: bool = False  # read for a partition that owns the line (see `_read_lines_lazy`)


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


class _Prefixed(io.RawIOBase):
    """A binary stream that first replays ``prefix`` then reads ``rest``."""

    def __init__(self, prefix: bytes, rest: IO[bytes], transcode: bool = False):
        self.prefix = prefix
        self.rest = rest
        self.transcode = transcode

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.prefix:
            data, self.prefix = self.prefix[: len(buffer)], self.prefix[len(buffer) :]
        else:
            data = self.rest.read(len(buffer) // 2 if self.transcode else len(buffer))
            if self.transcode:
                data = data.decode("latin-1").encode("utf-8")
        n = len(data)
        buffer[:n] = data
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
        if buffered.peek(2)[:2] == b"\x1f\x8b":
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

    def items(self, lazy: bool = False, part: Partition | None = None) -> Iterator[Item]:
        return read_items(self.stream, self.encoding, lazy, part)


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
        stream = io.BufferedReader(_Prefixed(head, stream), 1 << 16)
    if head.startswith(codecs.BOM_UTF8):
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
        if not complete:
            # A first line longer than the sniffed head (e.g. JSON Lines of big packages):
            # read it whole, up to `LINE_BYTES`, and replay it.
            line = stream.readline(LINE_BYTES)
            stream = io.BufferedReader(_Prefixed(line, stream), 1 << 16)
            complete = line.endswith(b"\n") or len(line) < LINE_BYTES
            first_line = line.rstrip(b"\n")
        try:
            orjson.loads(first_line.decode("latin-1") if latin else first_line)
            is_lines = complete
        except orjson.JSONDecodeError as e:
            # A first line that is a whole object but not UTF-8: still JSON Lines (each
            # line with bad bytes is then reported).
            is_lines = complete and "UTF-8" in str(e) and first_line.rstrip().endswith(b"}")
        if is_lines:
            yield from _read_lines(stream, latin, lazy, part)
            return
    yield from _read_document(stream, head, latin)


class Partition:
    """Which of ``parts`` processes compiles an ocid, this one being ``index``: partition ``i``
    holds the ocids from ``pivots[i - 1]`` up to, not including, ``pivots[i]`` (``parts - 1``
    sorted ocids, see `sample_pivots`), so that the partitions' sorted outputs follow one
    another. Ocids compare alike as UTF-8 bytes or as strings (UTF-8 keeps code point order).
    """

    __slots__ = ("index", "parts", "pivots", "pivot_bytes")

    def __init__(self, index: int, parts: int, pivots: list[str]):
        if len(pivots) != parts - 1:
            raise ValueError(f"{parts} partitions need {parts - 1} pivots")
        self.index = index
        self.parts = parts
        self.pivots = pivots
        self.pivot_bytes = [p.encode() for p in pivots]

    def of_bytes(self, ocid: bytes) -> int:
        return bisect.bisect_right(self.pivot_bytes, ocid)

    def of(self, ocid: str) -> int:
        return self.of_bytes(ocid.encode())

    def owns_bytes(self, ocid: bytes) -> bool:
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
                start = block.find(_OCID_KEY)
                while start >= 0:
                    start += len(_OCID_KEY)
                    end = block.find(b'"', start)
                    if end < 0:
                        break
                    if block.find(b"\\", start, end) < 0:
                        with contextlib.suppress(UnicodeDecodeError):
                            ocids.append(block[start:end].decode())
                    start = block.find(_OCID_KEY, end)
    if len(ocids) < 8 * parts:
        return None
    ocids.sort()
    return [ocids[len(ocids) * i // parts] for i in range(1, parts)]


SAMPLE_BYTES = 16 << 10
_OCID_KEY = b'"ocid":"'


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
        yield from _parse_line(line, f"line {number}")


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
    mine = part.owns_bytes if part is not None and part.parts > 1 else None
    split = mine is not None
    number = 0
    tail = b""
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if not chunk:
            lines = [tail] if tail else []
        else:
            if latin:
                chunk = chunk.decode("latin-1").encode("utf-8")
            # Lines with their line breaks (BytesIO finds them with memchr: faster than split).
            lines = io.BytesIO(tail + chunk).readlines()
            tail = lines.pop() if not lines[-1].endswith(b"\n") else b""
        batch = []
        append = batch.append
        first = number + 1
        for number, line in enumerate(lines, first):
            owned = False
            head = _first_ocid(line)
            if head is not None:
                if split:
                    if not mine(head):
                        continue  # another partition's line
                    owned = True
                ocid = _sure_ocid(line, head)
                if ocid is not None:
                    append((ocid, line, number))
                    continue
            if not line.strip():
                continue
            releases = _package_releases(line) if line.startswith(b"{") else None
            if releases is not None:
                entries = _package_entries(releases, number, mine)
            else:
                entries = _parse_line(line, f"line {number}")
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


def _package_entries(
    releases: list[msgspec.Raw], number: int, mine: Callable[[bytes], bool] | None
) -> Iterator[tuple[str, bytes, str] | Item]:
    """The releases of a release package line: ``(ocid, text, where)`` for those that are
    surely a release of that ocid (kept as text, as lazy lines), items for the others. With a
    partition's ``mine``, a release that starts with its ocid is left to the partition of that
    ocid; one whose first ocid is not its own comes as an ``owned`` item (the caller checks)."""
    for i, raw in enumerate(releases):
        text = bytes(raw)
        first = _first_ocid(text)
        if mine is not None and first is not None and not mine(first):
            continue  # another partition's release
        try:
            ocid = _decode_head(text).ocid
        except (_HeadError, UnicodeDecodeError):
            ocid = None
        if type(ocid) is str and (first is None or ocid.encode() == first):
            if mine is None or first is not None or mine(ocid.encode()):
                yield (ocid, text, f"{number} releases[{i}]")
            continue
        release = orjson.loads(text)
        if release is not None:  # skipped, as in `classify`
            for item in classify_release(release, f"line {number} releases[{i}]"):
                item.owned = mine is not None and first is not None
                yield item


def _parse_line(line: bytes, where: str) -> Iterator[Item]:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as e:
        reason = str(e)
        if line.endswith((b"\n", b"\r")):
            # The position as if the line had no line break (lazy lines have none).
            try:
                orjson.loads(line.rstrip(b"\r\n"))
            except orjson.JSONDecodeError as stripped:
                reason = str(stripped)
        if "UTF-8" in reason or "utf-8" in reason:
            reason = "invalid UTF-8 (try --encoding iso-8859-1)"
        yield Item(ERROR, f"invalid JSON: {reason}", where)
        return
    yield from classify(value, where, line if isinstance(value, dict) else None)


_OCID_HEAD = b'{"ocid":"'


class _Head(msgspec.Struct):
    """The top-level keys of a JSON line that decide whether it is surely one release.

    Decoding skips everything else without building it. A ``releases``, ``records`` or
    ``compiledRelease`` key of any value fails the decoding (`UnsetType` takes no value), and so
    does a non-string ``ocid``: such lines are read the usual way.
    """

    ocid: str | msgspec.UnsetType = msgspec.UNSET
    releases: msgspec.UnsetType = msgspec.UNSET
    records: msgspec.UnsetType = msgspec.UNSET
    compiledRelease: msgspec.UnsetType = msgspec.UNSET  # noqa: N815 - the OCDS key


_decode_head = msgspec.json.Decoder(_Head).decode
_HeadError = msgspec.DecodeError


class _ReleasePackage(msgspec.Struct):
    """A JSON line that `classify` takes for a release package: a ``releases`` array and no
    ``date``, ``records`` or ``ocid`` key (those make it a release or a record)."""

    releases: list[msgspec.Raw]
    date: msgspec.UnsetType = msgspec.UNSET
    records: msgspec.UnsetType = msgspec.UNSET
    ocid: msgspec.UnsetType = msgspec.UNSET


_decode_package = msgspec.json.Decoder(_ReleasePackage).decode


def _package_releases(line: bytes) -> list[msgspec.Raw] | None:
    """The JSON texts of the releases of a release package line, not parsed; None if the line
    is anything else or not valid (it is then parsed whole, and reported as it would be)."""
    try:
        line.decode()  # the decoder does not check the UTF-8 of the strings it skips
        return _decode_package(line).releases
    except (UnicodeDecodeError, _HeadError):
        return None


def _first_ocid(text: bytes) -> bytes | None:
    """The ocid that a JSON text starts with (``{"ocid":"...``), if it has no escapes."""
    if not text.startswith(_OCID_HEAD):
        return None
    end = text.find(b'"', 9)
    if end < 0:
        return None
    head = text[9:end]
    return None if b"\\" in head else head


def line_ocid(line: bytes) -> str | None:
    """The ocid of a JSON line that is surely one release, found without parsing it; else None.

    Surely: the line starts with the key ``ocid`` (its partition can be told from the first
    bytes, see `_read_lines_lazy`), whose string value has no escapes and is the top-level
    ``ocid`` (a repeated key keeps its last value, as when the line is parsed), and no top-level
    ``releases``, ``records`` or ``compiledRelease`` key can make it a package or record.
    Whether it is valid JSON with a ``date`` is known only when it is parsed (`parse_lazy`).
    """
    head = _first_ocid(line)
    return None if head is None else _sure_ocid(line, head)


def _sure_ocid(line: bytes, head: bytes) -> str | None:
    """`line_ocid` for a line that starts with the ocid ``head`` (no escapes)."""
    try:
        text = head.decode()
        keys = _decode_head(line)
    except (UnicodeDecodeError, _HeadError):
        return None
    return text if keys.ocid == text else None


def parse_lazy(raw: bytes, where: str) -> Item:
    """Parse a `LAZY` line: the release (a RELEASE item), or why it is not one (an ERROR).

    The same as the eager reader gives: `line_ocid` rules out packages and records, so the
    line is a release if it has a ``date``; a line whose keys were disguised with escapes
    (``"rel\\u0065ases"``) is refused rather than split.
    """
    items = list(_parse_line(raw, where))
    if len(items) == 1 and items[0].kind in (RELEASE, ERROR):
        return items[0]
    return Item(ERROR, "a package or record with escaped keys among releases", where)


def _read_document(stream: IO[bytes], head: bytes, latin: bool) -> Iterator[Item]:
    if latin:
        stream = io.BufferedReader(_Prefixed(b"", stream, transcode=True), 1 << 16)
        head = head.decode("latin-1").encode("utf-8")
    prefix = _package_prefix(head)
    try:
        if prefix is not None:
            kind = RELEASE if prefix == "releases.item" else RECORD
            for i, value in enumerate(
                ijson.items(stream, prefix, multiple_values=True, use_float=True)
            ):
                where = f"{prefix.split('.')[0]}[{i}]"
                if kind == RECORD:
                    yield from classify_record(value, where)
                elif value is not None:  # observed in some release packages
                    yield from classify_release(value, where)
        elif head.lstrip().startswith(b"["):
            # A JSON array: stream its entries (releases, packages...) one at a time.
            entries = ijson.items(stream, "item", multiple_values=True, use_float=True)
            for i, value in enumerate(entries):
                yield from classify(value, f"[{i}]", None)
        else:
            documents = ijson.items(stream, "", multiple_values=True, use_float=True)
            for i, value in enumerate(documents):
                yield from classify(value, f"document {i + 1}", None)
    except ijson.common.IncompleteJSONError as e:
        message = e.args[0] if e.args else e
        if isinstance(message, bytes):
            message = message.decode(errors="backslashreplace")
        raise InputError(f"invalid JSON: {message}") from e
    except UnicodeDecodeError as e:
        raise InputError(f"invalid UTF-8 (try --encoding iso-8859-1): {e}") from e


def _package_prefix(head: bytes) -> str | None:
    """``releases.item``/``records.item`` if the document is a package, judged from its head."""
    if not head.lstrip().startswith(b"{"):
        return None
    depth_keys: list[str] = []
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(head), multiple_values=True):
            if prefix == "" and event == "map_key":
                depth_keys.append(value)
                if value in ("releases", "records"):
                    return f"{value}.item"
                if value == "date":
                    return None
    except (ijson.common.IncompleteJSONError, UnicodeDecodeError):
        pass
    return None


def classify(value: Any, where: str, raw: bytes | None) -> Iterator[Item]:
    """Split one top-level JSON value into releases and records (ocdskit's rules)."""
    if isinstance(value, list):
        for i, entry in enumerate(value):
            yield from classify(entry, f"{where}[{i}]", None)
        return
    if not isinstance(value, dict):
        yield Item(ERROR, f"a {type(value).__name__} is not a release or package", where)
        return
    if "date" in value:
        yield Item(RELEASE, value, where, raw)
    elif "records" in value:
        records = value["records"]
        if not isinstance(records, list):
            yield Item(ERROR, "`records` is not an array", where)
            return
        for i, record in enumerate(records):
            yield from classify_record(record, f"{where} records[{i}]")
    elif "releases" in value:
        if "ocid" in value:  # a record
            yield from classify_record(value, where)
            return
        releases = value["releases"]
        if not isinstance(releases, list):
            yield Item(ERROR, "`releases` is not an array", where)
            return
        for i, release in enumerate(releases):
            if release is not None:
                yield from classify_release(release, f"{where} releases[{i}]")
    elif "ocid" in value:
        yield Item(ERROR, "the release has no `date`", where)
    else:
        yield Item(ERROR, "not a release, record or package (no `date`, `releases`)", where)


def classify_release(value: Any, where: str) -> Iterator[Item]:
    if not isinstance(value, dict):
        yield Item(ERROR, f"a release is a {type(value).__name__}, not an object", where)
    elif "date" not in value:
        yield Item(ERROR, "the release has no `date`", where)
    else:
        yield Item(RELEASE, value, where)


def classify_record(record: Any, where: str) -> Iterator[Item]:
    """A record: its embedded releases if any (as ocdskit), else the record (compiledRelease)."""
    if not isinstance(record, dict):
        yield Item(ERROR, f"a record is a {type(record).__name__}, not an object", where)
        return
    releases = record.get("releases")
    embedded = (
        isinstance(releases, list)
        and releases
        and all(isinstance(r, dict) and "ocid" in r for r in releases)
    )
    if embedded:
        for i, release in enumerate(releases):
            yield from classify_release(release, f"{where} releases[{i}]")
    elif isinstance(record.get("compiledRelease"), dict):
        yield Item(RECORD, record, where)
    else:
        yield Item(ERROR, "the record has neither embedded releases nor a compiledRelease", where)
