"""Reading JSON Lines of compiled releases in worker processes (`import_ocds(workers=N)`).

The file is cut into blocks of about `BLOCK_BYTES` at line breaks. Each worker parses,
validates and encodes the lines of a block as the importer's own thread does (`_block`
follows `importer._read` step by step) and hands back the JSON texts of its releases and, in
input order, what else the block holds: problems, and the items that are no compiled release
(releases to compile, unreadable lines), which the importer handles as it always did. At most
two blocks a worker are in flight and results are taken in input order, so memory stays flat
and the import gives the same tables, problems and positions as with one thread.
"""

from __future__ import annotations

import collections
import io
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from .reader import SNIFF_BYTES, _detect_encoding
from .schema import release_validator, validation_errors
from .shape import shape_validator, valid_and_shaped_validator
from .values import RECORD, RELEASE, Item, parse_line

BLOCK_BYTES = 4 << 20
MIN_BYTES = 8 << 20  # smaller files are read in the importer's thread (no start-up cost)
STORE, PROBLEM, ITEM = range(3)


@dataclass
class Plan:
    """A file that the workers can read: where its first line starts, and its encoding."""

    path: str
    start: int
    size: int
    latin: bool


@dataclass
class Block:
    """What a worker read of one block; ``events`` are ``(position in the stored releases,
    kind, line number in the block, ...)`` in input order."""

    lines: int = 0
    compiled: int = 0
    records: int = 0
    ocids: list[str] = field(default_factory=list)
    texts: list[bytes] = field(default_factory=list)
    tenders: list[bool] = field(default_factory=list)
    plain: list[bool] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def plan(path, encoding: str | None, forced: bool) -> Plan | None:
    """A `Plan` if ``path`` is a plain file of JSON Lines whose first line is a compiled
    release or a record (large enough, unless ``forced``); None to read it in one thread."""
    if str(path) == "-":
        return None
    try:
        size = Path(path).stat().st_size
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        return None
    if (not forced and size < MIN_BYTES) or head[:2] == b"\x1f\x8b":
        return None
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    head = head[start:]
    try:
        detected = _detect_encoding(head) if encoding in (None, "", "auto") else encoding
    except ValueError:
        return None
    latin = detected.lower().replace("_", "-") in ("iso-8859-1", "latin-1", "latin1")
    if not latin and detected.lower().replace("_", "-") not in ("utf-8", "utf8"):
        return None
    end = head.find(b"\n")
    if not head.startswith(b"{") or end < 0:
        return None
    first = head[:end]
    try:
        value = orjson.loads(first.decode("latin-1") if latin else first)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(value, dict):
        return None
    tag = value.get("tag")
    compiled = "date" in value and isinstance(tag, list) and "compiled" in tag
    if not compiled and not ("date" not in value and "compiledRelease" in value):
        return None
    return Plan(str(path), start, size, latin)


def start_pool(workers: int):
    """A pool of forked workers; start it before the import starts threads."""
    # Built before forking, so that every worker has them.
    release_validator()
    valid_and_shaped_validator()
    shape_validator()
    return multiprocessing.get_context("fork").Pool(workers)


def blocks(pool, workers: int, plan: Plan, validate: bool, strict: bool, keep: int, size=None):
    """``(block end offset, Block)`` of the whole file, in order."""
    size = size or BLOCK_BYTES
    pending: collections.deque = collections.deque()
    offsets = iter(range(plan.start, plan.size, size))
    for start in offsets:
        args = (plan.path, start, min(start + size, plan.size), plan, validate, strict, keep)
        pending.append((args[2], pool.apply_async(_block, args)))
        if len(pending) >= 2 * workers:
            end, result = pending.popleft()
            yield end, result.get()
    while pending:
        end, result = pending.popleft()
        yield end, result.get()


def _lines(path: str, start: int, end: int, first: int) -> bytes:
    """The lines that start in ``[start, end)`` (the file's first line starts at ``first``)."""
    with open(path, "rb") as f:
        f.seek(start)
        if start > first:
            f.seek(start - 1)
            if f.read(1) != b"\n":
                f.readline()  # the end of a line of the previous block
        at = f.tell()
        if at >= end:
            return b""
        data = f.read(end - at)
        if not data.endswith(b"\n"):
            data += f.readline()
        return data


def _block(path, start, end, plan: Plan, validate: bool, strict: bool, keep: int) -> Block:
    data = _lines(path, start, end, plan.start)
    out = Block()
    valid_and_shaped = valid_and_shaped_validator().is_valid
    shape = shape_validator().is_valid
    problems = 0
    lines = io.BytesIO(data).readlines()
    out.lines = len(lines)
    for number, line in enumerate(lines, 1):
        if plan.latin:
            line = line.decode("latin-1").encode("utf-8")
        if not line.strip():
            continue
        for item in parse_line(line, f"line {number}"):
            if item.kind == RECORD:
                compiled = item.value["compiledRelease"]
                out.records += 1
            elif item.kind == RELEASE and _is_compiled(item.value):
                compiled = item.value
                out.compiled += 1
            else:
                out.events.append(
                    (len(out.ocids), ITEM, number, item.kind, item.value, item.raw, item.where)
                )
                continue
            if not isinstance(compiled.get("ocid"), str):
                out.events.append(
                    (
                        len(out.ocids),
                        PROBLEM,
                        number,
                        "the compiled release has no `ocid`",
                        item.where,
                    )
                )
                problems += 1
                continue
            if not validate:
                plain = shape(compiled)
            elif valid_and_shaped(compiled):
                plain = True
            elif errors := validation_errors(compiled, explain=strict or problems < keep):
                out.events.append((len(out.ocids), PROBLEM, number, "; ".join(errors), item.where))
                problems += 1
                continue
            else:
                plain = False
            tender = compiled.get("tender")
            out.ocids.append(compiled["ocid"])
            out.texts.append(orjson.dumps(compiled))
            out.tenders.append(isinstance(tender, dict) and len(tender) > 0)
            out.plain.append(plain)
    return out


def _is_compiled(release) -> bool:
    tag = release.get("tag")
    return isinstance(tag, list) and "compiled" in tag


def replay(block: Block, base: int, prefix: str, store, problem):
    """Store ``block``'s releases and report its problems in input order (``base``: the
    line number before the block); yield its other items, as the importer's reading does."""
    done = 0

    def where(number: int, local: str) -> str:
        text = f"line {base + number}" + local[len(f"line {number}") :]
        return f"{prefix}{text}"

    for event in block.events:
        position, kind, number = event[:3]
        if position > done:
            store(block, done, position)
            done = position
        if kind == PROBLEM:
            problem(where(number, event[4]), event[3])
        else:
            item_kind, value, raw, local = event[3:]
            yield Item(item_kind, value, where(number, local), raw)
    if len(block.ocids) > done:
        store(block, done, len(block.ocids))
