"""The items the reader yields, and how one JSON value becomes them (ocdskit's rules).

Shared by the JSON Lines reader (`reader`) and the JSON documents reader (`documents`): a value
is classified as ocdskit does (`ocdskit.util.is_release`: an object with ``date`` is a release;
otherwise its ``releases`` are taken, which also covers records with embedded releases); values
that are surely one release, and the releases of a release package, can be kept as JSON text
and parsed only when their process is compiled (`value_entries`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
import orjson

RELEASE = "release"
RECORD = "record"
ERROR = "error"
LAZY = "lazy"  # releases left unparsed: ``value`` is ``[(ocid, text, line number or where), ...]``


class InputError(ValueError):
    """The whole input cannot be read (not JSON, unsupported encoding, ...)."""


@dataclass(slots=True)
class Item:
    kind: str  # RELEASE, RECORD, ERROR or LAZY
    value: Any  # the release/record, the reason of the error, or the lines of a LAZY batch
    where: str  # "line 12", "releases[3]"...
    raw: bytes | None = None  # the UTF-8 JSON text of the line, when the line is this item
    owned: bool = False  # read for a partition that owns the line (see `_read_lines_lazy`)


def package_entries(
    releases: list[msgspec.Raw],
    prefix: str,
    owner: Owner | None,
    start: int = 0,
) -> Iterator[tuple[str, bytes, str] | Item]:
    """The releases of a release package: ``(ocid, text, where)`` for those that are surely a
    release of that ocid (kept as text, as lazy lines), items for the others; ``where`` is
    ``prefix`` and ``releases[i]``, counting from ``start``. With a partition's ``owner``, a
    release that starts with its ocid is left to the partition of that ocid; one whose first
    ocid is not its own comes as an ``owned`` item (the caller checks)."""
    mine = owner.mine if owner is not None else None
    tried = False
    for i, raw in enumerate(releases, start):
        if not tried and owner is not None and owner.trusted:
            # Trusting since the release before: the rest in one loop, if it can.
            tried = True
            rest = trusted_package_entries(releases[i - start :], prefix, owner, i)
            if rest is not None:
                yield from rest
                return
        first = first_ocid(raw)
        if mine is not None and first is not None:
            if not mine(first):
                continue  # another partition's release (not even copied)
            if owner.trusted:
                text = bytes(raw)
                ocid = owner.ocid(text, first)
                if ocid is not None:
                    yield (ocid, text, f"{prefix}releases[{i}]")
                    continue
        text = bytes(raw)
        try:
            ocid = decode_head(text).ocid
        except (HeadError, UnicodeDecodeError):
            ocid = None
        if type(ocid) is str and (first is None or ocid.encode() == first):
            if mine is None or first is not None or mine(ocid.encode()):
                if owner is not None and first is not None:
                    owner.saw_sure()
                yield (ocid, text, f"{prefix}releases[{i}]")
            continue
        if owner is not None and first is not None:
            owner.saw_unsure()
        release = orjson.loads(text)
        if release is not None:  # skipped, as in `classify`
            for item in classify_release(release, f"{prefix}releases[{i}]"):
                item.owned = mine is not None and first is not None
                yield item


def trusted_package_entries(
    releases: list[msgspec.Raw], prefix: str, owner: Owner, start: int = 0, name: str = "releases"
) -> list[tuple[str, bytes, str]] | None:
    """What `package_entries` gives a trusting partition (``owner.trusted``) when every release
    of the package starts with its ocid: this partition's releases, in one list, found by one
    loop without a call a release; None if a release does not start with its ocid. ``name``:
    the array's, in ``where`` (empty for a top-level array, as `value_entries` says)."""
    match = _OCID_HEAD_MATCH
    mine = owner.mine
    entries = []
    append = entries.append
    for i, raw in enumerate(releases, start):
        found = match(raw)
        if found is None:
            return None
        head = found.group(1)
        if mine(head):
            try:
                append((head.decode(), bytes(raw), f"{prefix}{name}[{i}]"))
            except UnicodeDecodeError:
                return None
    return entries


class _RecordReleases(msgspec.Struct):
    """A record's embedded ``releases`` (its other keys skipped)."""

    releases: list[msgspec.Raw]


decode_record = msgspec.json.Decoder(_RecordReleases).decode


def record_entries(
    text: bytes, where: str, owner: Owner | None, alone: bool = False
) -> list[tuple[str, bytes, str]] | None:
    """The embedded releases of a record as ``(ocid, text, where)``, kept as text as the
    releases of a package are, when each is surely one release (see `sure_ocid`: an object
    whose string ``ocid`` is no package or record), so that `classify_record` would take
    them as embedded releases; None for any other record (it is then parsed whole). With a
    partition's ``owner``, the releases of other partitions are left out (all of them then
    start with their ocid, or the record is parsed whole); if the partition reads the record
    ``alone`` (the others skip it), a release of another partition makes it parsed whole, so
    that the caller finds it misrouted."""
    try:
        releases = decode_record(text).releases
    except HeadError:
        return None
    if not releases:
        return None
    entries = []
    for i, raw in enumerate(releases):
        release = bytes(raw)
        if owner is not None:
            first = first_ocid(release)
            if first is None:
                return None
            ocid = owner.ocid(release, first)
            if ocid is None:
                return None
            if owner.mine(first):
                entries.append((ocid, release, f"{where} releases[{i}]"))
            elif alone:
                return None
            continue
        try:
            ocid = decode_head(release).ocid
        except (HeadError, UnicodeDecodeError):
            return None
        if type(ocid) is not str:
            return None
        entries.append((ocid, release, f"{where} releases[{i}]"))
    return entries


def parse_line(line: bytes, where: str) -> Iterator[Item]:
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


decode_head = msgspec.json.Decoder(_Head).decode
HeadError = msgspec.DecodeError


class _ReleasePackage(msgspec.Struct):
    """A JSON line that `classify` takes for a release package: a ``releases`` array and no
    ``date``, ``records`` or ``ocid`` key (those make it a release or a record)."""

    releases: list[msgspec.Raw]
    date: msgspec.UnsetType = msgspec.UNSET
    records: msgspec.UnsetType = msgspec.UNSET
    ocid: msgspec.UnsetType = msgspec.UNSET


decode_package = msgspec.json.Decoder(_ReleasePackage).decode


def package_releases(line: bytes, owner: Owner | None = None) -> list[msgspec.Raw] | None:
    """The JSON texts of the releases of a release package line, not parsed; None if the line
    is anything else or not valid (it is then parsed whole, and reported as it would be).
    A partition's ``owner`` checks the UTF-8 of its share of the line (see `Owner.check_utf8`)."""
    try:
        # The decoder does not check the UTF-8 of the strings it skips.
        if owner is None:
            line.decode()
        else:
            owner.check_utf8(line)
        return decode_package(line).releases
    except (UnicodeDecodeError, HeadError):
        return None


# An ``ocid`` key and its string value (without escapes), with or without JSON whitespace
# between the tokens: pretty-printed documents, and JSON Lines written by Python's json.dumps
# (``{"ocid": "...``). The reader samples the ocids of its input with it.
OCID_KEY = re.compile(rb'"ocid"[ \t\n\r]*:[ \t\n\r]*"([^"\\]*)"')
_OCID_HEAD_MATCH = re.compile(rb"\{[ \t\n\r]*" + OCID_KEY.pattern).match


def first_ocid(text) -> bytes | None:
    """The ocid that a JSON text (bytes, or any buffer such as a `msgspec.Raw`) starts with
    (``{"ocid":"...``, with or without whitespace between its tokens), if it has no escapes.
    One regular-expression match: faster than testing the compact head first, and no copy of
    a buffer."""
    found = _OCID_HEAD_MATCH(text)
    return None if found is None else found.group(1)


def line_ocid(line: bytes) -> str | None:
    """The ocid of a JSON line that is surely one release, found without parsing it; else None.

    Surely: the line starts with the key ``ocid`` (its partition can be told from the first
    bytes, see `_read_lines_lazy`), whose string value has no escapes and is the top-level
    ``ocid`` (a repeated key keeps its last value, as when the line is parsed), and no top-level
    ``releases``, ``records`` or ``compiledRelease`` key can make it a package or record.
    Whether it is valid JSON with a ``date`` is known only when it is parsed (`parse_lazy`).
    """
    head = first_ocid(line)
    return None if head is None else sure_ocid(line, head)


def sure_ocid(line: bytes, head: bytes) -> str | None:
    """`line_ocid` for a line that starts with the ocid ``head`` (no escapes)."""
    try:
        text = head.decode()
        keys = decode_head(line)
    except (UnicodeDecodeError, HeadError):
        return None
    return text if keys.ocid == text else None


class Misrouted(Exception):
    """A partition of a compile read something that it cannot compile alone (a text it trusted
    was no release of its ocid, its share of the input is not UTF-8): the partitioned compile
    must start over in one process."""


UTF8_CHECK_BYTES = 16 << 20


def valid_utf8(data) -> bool:
    """Whether ``data`` (bytes or a buffer) is UTF-8, checked by pieces so as not to hold a
    decoded copy (a piece that ends inside a character leaves its first bytes to the next)."""
    start = 0
    size = len(data)
    try:
        while start < size:
            end = min(size, start + UTF8_CHECK_BYTES)
            _, used = codecs.utf_8_decode(data[start:end], "strict", end == size)
            if used == 0:
                return False  # pragma: no cover - a piece is far longer than a character
            start += used
    except UnicodeDecodeError:
        return False
    return True


class Owner:
    """What one partition of a compile reads (see `reader.Partition`): ``mine`` tells whether
    an ocid (UTF-8) is its own, and `ocid` whether a value that starts with one of its ocids
    is taken for one release of that ocid.

    The first `CAREFUL` such values are skimmed for their top-level keys (`sure_ocid`); when
    all of them were surely releases, the partition trusts the ocid the next ones start with
    and leaves the check to their parsing (`compile`: a text whose parsed value is not one
    release of that ocid, and that `sure_ocid` would not have taken, makes the partitioned
    compile start over in one process). One value among the first ones that is not surely a
    release (JSON Lines of records, say) keeps the partition careful for the whole input.
    """

    CAREFUL = 64
    __slots__ = ("mine", "index", "parts", "trusted", "_careful")

    def __init__(self, mine: Callable[[bytes], bool], index: int = 0, parts: int = 1):
        self.mine = mine
        self.index = index
        self.parts = parts
        self.trusted = False
        self._careful = self.CAREFUL

    def check_utf8(self, data) -> None:
        """Check this partition's share of the UTF-8 of ``data`` (bytes or a buffer), which
        every partition reads: the ``index``-th of ``parts`` pieces, each starting at a
        character (so the whole is UTF-8 if and only if every piece is). Raises `Misrouted`
        if it is not UTF-8: the compile starts over in one process, which checks it all."""
        size = len(data)

        def cut(k: int) -> int:
            at = size * k // self.parts
            for _ in range(3):  # a character has at most three continuation bytes
                if at >= size or data[at] & 0xC0 != 0x80:
                    break
                at += 1
            return at

        if not valid_utf8(data[cut(self.index) : cut(self.index + 1)]):
            raise Misrouted("not UTF-8")

    def ocid(self, text: bytes, head: bytes) -> str | None:
        """The ocid of ``text``, which starts with this partition's ocid ``head``, if it is
        taken for one release (trusted, or `sure_ocid`); else None (it is parsed now)."""
        if self.trusted:
            try:
                return head.decode()
            except UnicodeDecodeError:
                return None
        ocid = sure_ocid(text, head)
        if ocid is None:
            self.saw_unsure()
        else:
            self.saw_sure()
        return ocid

    def saw_sure(self) -> None:
        if self._careful > 0:
            self._careful -= 1
            self.trusted = self._careful == 0

    def saw_unsure(self) -> None:
        self._careful = -1
        self.trusted = False


def parse_lazy(raw: bytes, where: str) -> Item:
    """Parse a `LAZY` line: the release (a RELEASE item), or why it is not one (an ERROR).

    The same as the eager reader gives: `line_ocid` rules out packages and records, so the
    line is a release if it has a ``date``; a line whose keys were disguised with escapes
    (``"rel\\u0065ases"``) is refused rather than split.
    """
    items = list(parse_line(raw, where))
    if len(items) == 1 and items[0].kind in (RELEASE, ERROR):
        return items[0]
    return Item(ERROR, "a package or record with escaped keys among releases", where)


def value_entries(
    text: bytes, where: str, owner: Owner | None
) -> Iterator[tuple[str, bytes, str] | Item]:
    """The entries of one JSON value (a line, an entry of an array, a document): ``(ocid, text,
    where)`` if it is surely one release or for the releases of a release package (kept as
    text), items for anything else. With a partition's ``owner``, a value that starts with an
    ocid of another partition is skipped unread; the items of one that starts with an ocid of
    this partition are ``owned`` (their own ocid may, rarely, be another's: the caller checks)."""
    owned = False
    head = first_ocid(text)
    if head is not None:
        if owner is not None:
            if not owner.mine(head):
                return  # another partition's value
            owned = True
            ocid = owner.ocid(text, head)
        else:
            ocid = sure_ocid(text, head)
        if ocid is not None:
            yield (ocid, text, where)
            return
    releases = package_releases(text) if text.startswith(b"{") else None
    if releases is not None:
        yield from package_entries(releases, f"{where} ", owner)
        return
    for item in parse_line(text, where):
        item.owned = owned
        yield item


LAZY_BATCH = 8192  # releases kept as text per `LAZY` item


def batched(entries: Iterable[tuple[str, bytes, str] | Item], owned: bool) -> Iterator[Item]:
    """Entries as items: runs of JSON texts in `LAZY` batches (``owned`` as given: whether they
    were read for one partition), other items as they are, all in input order."""
    batch: list = []
    for entry in entries:
        if type(entry) is tuple:
            batch.append(entry)
            if len(batch) >= LAZY_BATCH:
                yield Item(LAZY, batch, "", owned=owned)
                batch = []
            continue
        if batch:
            yield Item(LAZY, batch, "", owned=owned)
            batch = []
        yield entry
    if batch:
        yield Item(LAZY, batch, "", owned=owned)


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
