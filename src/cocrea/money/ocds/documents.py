"""Read the releases and records of JSON documents (not JSON Lines): a release package or record
package, a JSON array of releases or packages, a single release, several concatenated documents.

A document that fits `READ_BYTES` (or any file up to `MAPPED_BYTES`, memory-mapped: its pages
are the kernel's file cache, which it can drop, not this process's memory) is split in C by
msgspec: the ``releases`` of a package come as the raw JSON texts of its releases (`msgspec.Raw`,
not built), and concatenated documents are cut where msgspec says the first one ends (see
`split_document`). Releases are then kept as text and parsed once, when their
process is compiled, as the lines of JSON Lines are (`values.value_entries`); with a partition,
the releases of the other partitions are skipped unparsed. Anything the fast path cannot read
(invalid JSON or UTF-8, a ``releases`` that is not an array...) is read again by the streaming
parser (ijson), which reports it as before; so do documents bigger than the budgets (constant
memory).
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from typing import IO, Any

import ijson
import msgspec
import orjson

from .values import (
    ERROR,
    RECORD,
    RELEASE,
    InputError,
    Item,
    Owner,
    batched,
    classify,
    classify_record,
    classify_release,
    first_ocid,
    package_entries,
    record_entries,
    trusted_package_entries,
    valid_utf8,
    value_entries,
)

READ_BYTES = 512 << 20  # documents read whole from a stream (gzip, standard input, ISO-8859-1)
MAPPED_BYTES = 8 << 30  # files split from their memory map


class Prefixed(io.RawIOBase):
    """A binary stream that first replays ``prefix`` then reads ``rest``."""

    def __init__(self, prefix: bytes, rest: IO[bytes], transcode: bool = False):
        self.prefix = memoryview(prefix)
        self.at = 0
        self.rest = rest
        self.transcode = transcode

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.at < len(self.prefix):
            data = self.prefix[self.at : self.at + len(buffer)]
            self.at += len(data)
        elif not self.transcode:
            return self.rest.readinto(buffer)  # straight into the caller's buffer
        else:
            data = self.rest.read(len(buffer) // 2).decode("latin-1").encode("utf-8")
        n = len(data)
        buffer[:n] = data
        return n


def read_document(
    stream: IO[bytes],
    head: bytes,
    latin: bool,
    lazy: bool = False,
    owner: Owner | None = None,
    mapped: Callable[[], memoryview | None] | None = None,
) -> Iterator[Item]:
    """The items of the JSON document(s) in ``stream`` (``head``: its first bytes, peeked);
    ``mapped`` may give the whole input as a buffer. With ``lazy``, releases that can be kept
    as text come in `LAZY` batches; ``owner`` tells the ocids of this partition (see
    `reader.Partition`)."""
    data = None
    if mapped is not None and not latin:
        data = mapped()
        if data is not None and len(data) > MAPPED_BYTES:
            data = None
    if data is None:
        chunk = stream.read(READ_BYTES + 1)
        rest = io.BufferedReader(Prefixed(chunk, stream), 1 << 16)
        if len(chunk) <= READ_BYTES:
            data = memoryview(chunk.decode("latin-1").encode() if latin else chunk)
            # The fast path may give up: the streaming reader reads what was read again.
        stream = rest
    elif data[:3] == codecs.BOM_UTF8:
        data = data[3:]
    if latin:
        stream = io.BufferedReader(Prefixed(b"", stream, transcode=True), 1 << 16)
        head = head.decode("latin-1").encode("utf-8")
    prefix = package_prefix(head)
    values = (
        None if data is None else split_document(data, prefix, check_utf8=not latin, owner=owner)
    )
    if values is None:
        yield from stream_document(stream, head, prefix)
        return
    entries = _document_entries(values, prefix, lazy, owner)
    if lazy:
        yield from batched(entries, owned=owner is not None)
    else:
        yield from entries


class _Releases(msgspec.Struct):
    """A release package (its other keys skipped)."""

    releases: list[msgspec.Raw] | msgspec.UnsetType = msgspec.UNSET


class _Records(msgspec.Struct):
    """A record package (its other keys skipped)."""

    records: list[msgspec.Raw] | msgspec.UnsetType = msgspec.UNSET


_DECODERS = {
    "releases.item": msgspec.json.Decoder(_Releases).decode,
    "records.item": msgspec.json.Decoder(_Records).decode,
    "item": msgspec.json.Decoder(list[msgspec.Raw]).decode,
    None: msgspec.json.Decoder(msgspec.Raw).decode,
}
# msgspec stops at the end of the first value and says where the rest starts.
_TRAILING = re.compile(r"trailing characters \(byte (\d+)\)")


def split_document(
    data: memoryview, prefix: str | None, check_utf8: bool = True, owner: Owner | None = None
) -> list[Any] | None:
    """The top-level values of ``data``, decoded for ``prefix`` (see `package_prefix`; ``item``
    for arrays): one per concatenated document; None if the data is not valid UTF-8 and JSON
    of that shape (the streaming reader then reports why).

    Concatenated documents are cut where msgspec finds the first one ends (its "trailing
    characters" error tells where the next starts), each decoded again up to there: two
    passes in C over each document, none in Python (a regular expression or ``find`` looking
    for the candidate cuts over the whole data took about as long as the second pass, on
    pretty-printed ones). After the first, a document is first tried up to a candidate end
    found near where a document as long as the one before would end (`_near_end`): one pass
    when documents are of similar sizes."""
    if check_utf8:
        if owner is not None:
            owner.check_utf8(data)  # this partition's share (see `values.Owner`)
        elif not valid_utf8(data):
            return None
    decode = _DECODERS[prefix]
    values = []
    start = 0
    size = 0  # of the document before
    total = len(data)
    while True:
        found = _first_value(data, start, size, decode)
        if found is None:
            return None
        value, end = found
        values.append(value)
        rest = total - end
        if rest == 0 or (rest <= NEAR_BYTES and bytes(data[end:]).isspace()):
            return values
        size = end - start
        start = end


def _first_value(data: memoryview, start: int, size: int, decode) -> tuple[Any, int] | None:
    """The first value at ``start`` and where it ends (the end of ``data`` if it is the last
    one); None if it is not JSON of that shape. ``size``: the length of the document before
    (0 for the first), for the candidate ends near where one as long would end."""
    end = None
    for cut in _near_end(data, start, size) if size else ():
        try:
            return decode(data[start:cut]), cut
        except msgspec.DecodeError as e:
            found = _TRAILING.search(str(e))
            if found is not None:  # past its end, which msgspec tells
                end = start + int(found.group(1)) - 1
                break
            # Truncated: the document ends further on.
    if end is None:
        try:
            return decode(data[start:]), len(data)
        except msgspec.DecodeError as e:
            found = _TRAILING.search(str(e))
            if found is None:
                return None
            # The byte after the first character of the rest (msgspec counts it read).
            end = start + int(found.group(1)) - 1
    try:
        return decode(data[start:end]), end
    except msgspec.DecodeError:  # pragma: no cover - msgspec said it ends there
        return None


NEAR_BYTES = 4096
_NEAR_TRIES = 4


def _near_end(data: memoryview, start: int, size: int) -> Iterator[int]:
    """Candidate ends (just after a ``}`` that starts a line, as pretty-printed documents end)
    of the document at ``start``, near ``start + size``: within a 64th of ``size`` around it,
    then within an eighth; `_NEAR_TRIES` at most."""
    tries = _NEAR_TRIES
    searched = range(0)
    for margin in (size // 64, size // 8):
        low = start + size - margin
        window = bytes(data[low : start + size + margin + NEAR_BYTES])
        at = 0
        while tries and (at := window.find(b"\n}", at)) >= 0:
            at += 2
            if low + at not in searched:
                tries -= 1
                yield low + at
        searched = range(low, low + len(window) + 1)


def _document_entries(
    values: list[Any], prefix: str | None, lazy: bool, owner: Owner | None
) -> Iterator[tuple[str, bytes, str] | Item]:
    """The entries (see `values.value_entries`) of decoded top-level values, with the
    ``where`` of the streaming reader (its indices run on across concatenated documents)."""
    index = 0
    if prefix == "releases.item":
        for value in values:
            releases = value.releases
            if releases is msgspec.UNSET:
                continue  # not a package: the streaming reader skips it too
            if lazy:
                yield from package_entries(releases, "", owner, index)
            else:
                for i, raw in enumerate(releases, index):
                    where = f"releases[{i}]"
                    release = _loads(bytes(raw), where)
                    if type(release) is Item:
                        yield release
                    elif release is not None:  # observed in some release packages
                        yield from classify_release(release, where)
            index += len(releases)
    elif prefix == "records.item":
        for value in values:
            records = value.records
            if records is msgspec.UNSET:
                continue
            for i, raw in enumerate(records, index):
                # A record that starts with its ocid is read by the partition of that ocid
                # only, which checks that its embedded releases are its own too.
                head = first_ocid(raw) if owner is not None else None
                if head is not None and not owner.mine(head):
                    continue  # another partition's record
                text = bytes(raw)
                where = f"records[{i}]"
                if lazy:
                    # Embedded releases kept as text.
                    entries = record_entries(text, where, owner, alone=head is not None)
                    if entries is not None:
                        yield from entries
                        continue
                record = _loads(text, where)
                items = [record] if type(record) is Item else classify_record(record, where)
                for item in items:
                    item.owned = head is not None
                    yield item
            index += len(records)
    elif prefix == "item":
        for value in values:
            tried = False
            for i, raw in enumerate(value, index):
                if lazy and not tried and owner is not None and owner.trusted:
                    # Trusting (see `values.Owner`): the rest in one loop, if it can.
                    tried = True
                    rest = trusted_package_entries(value[i - index :], "", owner, i, name="")
                    if rest is not None:
                        yield from rest
                        break
                yield from _value(bytes(raw), f"[{i}]", lazy, owner)
            index += len(value)
    else:
        for i, raw in enumerate(values, 1):
            yield from _value(bytes(raw), f"document {i}", lazy, owner)


def _value(
    text: bytes, where: str, lazy: bool, owner: Owner | None
) -> Iterator[tuple[str, bytes, str] | Item]:
    if lazy:
        yield from value_entries(text, where, owner)
        return
    value = _loads(text, where)
    if type(value) is Item:
        yield value
    else:
        yield from classify(value, where, text if isinstance(value, dict) else None)


def _loads(text: bytes, where: str) -> Any:
    """The value of a JSON text, or an error item (msgspec took it for JSON, but orjson also
    refuses what it cannot represent, such as integers beyond 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as e:
        return Item(ERROR, f"invalid JSON: {e}", where)


def stream_document(stream: IO[bytes], head: bytes, prefix: str | None) -> Iterator[Item]:
    """The items of the document(s), streamed by ijson in constant memory."""
    try:
        if prefix is not None and prefix != "item":
            kind = RELEASE if prefix == "releases.item" else RECORD
            for i, value in enumerate(
                ijson.items(stream, prefix, multiple_values=True, use_float=True)
            ):
                where = f"{prefix.split('.')[0]}[{i}]"
                if kind == RECORD:
                    yield from classify_record(value, where)
                elif value is not None:  # observed in some release packages
                    yield from classify_release(value, where)
        elif prefix == "item":
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


def package_prefix(head: bytes) -> str | None:
    """``releases.item``/``records.item`` if the document is a package, judged from its head;
    ``item`` for an array."""
    if head.lstrip().startswith(b"["):
        return "item"
    if not head.lstrip().startswith(b"{"):
        return None
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(head), multiple_values=True):
            if prefix == "" and event == "map_key":
                if value in ("releases", "records"):
                    return f"{value}.item"
                if value == "date":
                    return None
    except (ijson.common.IncompleteJSONError, UnicodeDecodeError):
        pass
    return None
