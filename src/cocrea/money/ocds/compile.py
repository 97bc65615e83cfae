"""Group releases by ``ocid`` in bounded memory and compile each process.

ocdskit stores every release in a temporary SQLite table and reads it back ``ORDER BY ocid``,
so compiled releases come out sorted by ocid, and the releases of a process in input order
(then stably sorted by date). `Grouper` gives the same order with an external merge sort:
releases are kept in memory up to ``buffer_bytes`` of JSON text; beyond that the buffer is
sorted by ocid and spilled to a temporary run file (per ocid, a ``[ocid, [where, ...], [length,
...]]`` line then the JSON texts of its releases), and at the end the runs are merged with
`heapq.merge`, which is stable, so the releases of an ocid keep their input order. Memory is
bounded by the buffer plus the releases of one process, whatever the size of the input; inputs
smaller than the buffer never touch the disk.

Releases read from JSON Lines (one per line, or in release packages) are kept as text
(`reader.LAZY` items) and parsed only when their process is compiled, so each is parsed once.
With several ``jobs`` and input files, `compile_files` runs one process per range of ocids
(sampled from the files): each reads the input, skips the releases of the other ranges without
parsing them, and compiles its own processes in ocid order; the parent writes their outputs one
after the other. What one range cannot compile alone (see `values.Owner` and `Misrouted`) makes
the input compile again in one process.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import IO, Any

import orjson

from .merge import CompileError, Merger
from .outputs import append_file
from .reader import ERROR, LAZY, RECORD, RELEASE, Item, Partition, parse_lazy
from .values import Misrouted, sure_ocid

DEFAULT_BUFFER_BYTES = 128 << 20
LINE = orjson.OPT_APPEND_NEWLINE  # compiled releases are encoded as JSON lines

# A buffered release: (parsed release or None, its JSON text or None, where it was read).
Entry = tuple[Any, bytes | None, str]


class Grouper:
    """Collect releases by ocid and yield them grouped by ocid, sorted by ocid.

    Releases are kept as they came (parsed, or as JSON text) while they fit in ``buffer_bytes``
    (parsed ones count for about the memory they take); small inputs never touch the disk.
    """

    def __init__(self, buffer_bytes: int = DEFAULT_BUFFER_BYTES, tmpdir: str | None = None):
        self.buffer_bytes = buffer_bytes
        self.tmpdir = tmpdir
        self.buffer: dict[str, list[Entry]] = {}
        self.size = 0
        self.runs: list[IO[bytes]] = []
        self.count = 0

    def add(self, ocid: str, release: Any, raw: bytes | None = None, where: str = "") -> None:
        """Add a release, parsed (``raw``: its JSON text if at hand) or only as ``raw`` text."""
        bucket = self.buffer.get(ocid)
        entry = (release, raw, where)
        if bucket is None:
            self.buffer[ocid] = [entry]
        else:
            bucket.append(entry)
        # Parsed releases count as their JSON text times the memory of Python objects per
        # byte of JSON (about 8); releases kept as text count as their text.
        self.size += len(raw) * (1 if release is None else 8) if raw is not None else 16384
        self.count += 1
        if self.size >= self.buffer_bytes:
            self._spill()

    def add_lines(self, lines: list[tuple[str, bytes, int]], prefix: str) -> None:
        """Add releases kept as text: ``(ocid, text, line number or where)`` (a `LAZY` batch)."""
        buffer = self.buffer
        size = 0
        for ocid, raw, number in lines:
            entry = (None, raw, (prefix, number))
            bucket = buffer.get(ocid)
            if bucket is None:
                buffer[ocid] = [entry]
            else:
                bucket.append(entry)
            size += len(raw)
        self.count += len(lines)
        self.size += size
        if self.size >= self.buffer_bytes:
            self._spill()

    def _spill(self) -> None:
        run = tempfile.TemporaryFile(  # noqa: SIM115 - closed by `close`
            dir=self.tmpdir, prefix="cocrea-ocds-run-", buffering=1 << 20
        )
        write = run.write
        dumps = orjson.dumps
        buffer = self.buffer
        for ocid in sorted(buffer):
            entries = buffer[ocid]
            texts = [
                dumps(release) if raw is None else raw.rstrip(b"\r\n")
                for release, raw, _ in entries
            ]
            write(dumps([ocid, [where for _, _, where in entries], [len(t) for t in texts]]))
            write(b"\n")
            write(b"".join(texts))
        run.seek(0)
        self.runs.append(run)
        self.buffer = {}
        self.size = 0

    @staticmethod
    def _read_run(run: IO[bytes]) -> Iterator[tuple[str, list[Entry]]]:
        """The groups of a run: ``(ocid, entries)`` with the releases as text."""
        loads = orjson.loads
        readline = run.readline
        read = run.read
        while head := readline():
            ocid, wheres, lengths = loads(head)
            data = read(sum(lengths))
            entries = []
            start = 0
            for where, length in zip(wheres, lengths, strict=True):
                end = start + length
                entries.append((None, data[start:end], where))
                start = end
            yield ocid, entries

    def groups(self) -> Iterator[tuple[str, list[Entry]]]:
        """``(ocid, entries)`` in ocid order; each entry as added, or as text if spilled."""
        try:
            if not self.runs:
                buffer, self.buffer = self.buffer, {}
                for ocid in sorted(buffer):
                    yield ocid, buffer.pop(ocid)
                return
            # The last releases are merged from memory, not written to a run and read back.
            buffer, self.buffer = self.buffer, {}
            streams = [self._read_run(run) for run in self.runs]
            streams.append((ocid, buffer.pop(ocid)) for ocid in sorted(buffer))
            # `heapq.merge` is stable: an ocid's groups come in the order of the runs.
            merged = heapq.merge(*streams, key=itemgetter(0))
            for ocid, groups in groupby(merged, key=itemgetter(0)):
                entries = []
                for _, part in groups:
                    entries.extend(part)
                yield ocid, entries
        finally:
            self.close()

    def close(self) -> None:
        for run in self.runs:
            run.close()
        self.runs = []
        self.buffer = {}


@contextlib.contextmanager
def no_cyclic_gc():
    """Pause the cyclic garbage collector while building many acyclic JSON objects.

    Parsed releases are dicts and lists without cycles (freed by reference counting); with
    hundreds of thousands of them alive in the grouping buffer, the collector's full passes
    only cost time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Problem:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Stats:
    releases: int = 0
    records: int = 0
    processes: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    # Items read by the wrong partition, or texts a trusting partition took for releases that
    # are not (`compile_files` starts over).
    misrouted: int = 0

    keep: int = 1000

    @property
    def full(self) -> bool:
        """Whether further problems are only counted (so need no detailed reason)."""
        return len(self.problems) >= self.keep

    def problem(self, where: str, reason: str) -> Problem:
        problem = Problem(where, reason)
        self.problem_count += 1
        if len(self.problems) < self.keep:
            self.problems.append(problem)
        return problem

    def add(self, other: Stats) -> None:
        """Add the counts and problems of another part of the same input."""
        self.releases += other.releases
        self.records += other.records
        self.processes += other.processes
        self.problem_count += other.problem_count
        self.misrouted += other.misrouted
        self.problems.extend(other.problems[: max(0, self.keep - len(self.problems))])


class Stop(Exception):
    """Raised in strict mode at the first problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def compile_items(
    items: Iterable[Item],
    merger: Merger | None = None,
    *,
    strict: bool = False,
    validate: Callable[[Any], list[str]] | None = None,
    stats: Stats | None = None,
    buffer_bytes: int = DEFAULT_BUFFER_BYTES,
    on_record: Callable[[dict[str, Any], str], None] | None = None,
    with_counts: bool = False,
    encode: bool = False,
    jobs: int = 1,
    part: Partition | None = None,
) -> Iterator[Any]:
    """Yield one compiled release per ocid (sorted by ocid) from reader items.

    Problems (invalid lines, releases without ``ocid`` or ``date``, processes that ocdskit
    could not merge) are counted in ``stats`` and skipped, or raise `Stop` if ``strict``.
    Records with only linked releases are passed to ``on_record`` if given; otherwise their
    ``compiledRelease`` is compiled as a release. With ``encode``, compiled releases are
    yielded as JSON lines (``orjson.dumps``, with the newline) and, if the input did not fit in
    the buffer, compiled by ``jobs`` processes (same output, same order). `LAZY` items must not
    be given with ``strict`` or ``validate``. With a `Partition` ``part``, only the processes of
    that partition are compiled, and only partition 0 reports the problems that belong to no
    process.
    """
    options = {
        "merger": merger or Merger(),
        "strict": strict,
        "validate": validate,
        "stats": stats if stats is not None else Stats(),
        "buffer_bytes": buffer_bytes,
        "on_record": on_record,
        "with_counts": with_counts,
        "encode": encode,
        "part": part,
    }
    if not encode or jobs <= 1:
        yield from _compile_items(items, workers=None, **options)
        return
    # Fork the workers now, while this process is small: they inherit its start-up only, not
    # the releases it is about to read (they wait until the grouping is done).
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_init_worker, initargs=(options["merger"],)) as pool:
        yield from _compile_items(items, workers=(pool, jobs), **options)


def _compile_items(
    items,
    *,
    merger,
    strict,
    validate,
    stats,
    buffer_bytes,
    on_record,
    with_counts,
    encode,
    part,
    workers,
):
    grouper = Grouper(buffer_bytes)
    add = grouper.add
    split = part is not None and part.parts > 1
    index = part.index if split else 0
    partition = part.of if split else None

    def problem(where: str, reason: str) -> None:
        p = stats.problem(where, reason)
        if strict:
            grouper.close()
            raise Stop(p)

    for item in items:
        kind = item.kind
        if kind == LAZY:
            if split and not item.owned:  # read for all partitions
                lines = [line for line in item.value if partition(line[0]) == index]
            else:
                lines = item.value
            stats.releases += len(lines)
            grouper.add_lines(lines, item.where)
            continue
        if split:
            ocid = _item_ocid(item)
            if item.owned:
                # Read because its line starts with an ocid of this partition; if the item
                # says another ocid, the caller must compile the input some other way.
                if ocid is not None and partition(ocid) != index:
                    stats.misrouted += 1
                    continue
            elif (index != 0) if ocid is None else (partition(ocid) != index):
                continue
        if kind == ERROR:
            problem(item.where, item.value)
            continue
        if kind == RECORD:
            stats.records += 1
            if on_record is not None:
                on_record(item.value, item.where)
                continue
            # Linked releases only: compile the record's compiledRelease, as a release.
            release = item.value["compiledRelease"]
            if "date" not in release:
                problem(item.where, "the record's compiledRelease has no `date`")
                continue
        else:
            release = item.value
        ocid = release.get("ocid")
        if ocid is None or "ocid" not in release:
            problem(item.where, "the release has no `ocid`")
            continue
        if not isinstance(ocid, str):
            problem(item.where, "the `ocid` is not a string")
            continue
        if validate is not None:
            errors = validate(release, explain=strict or not stats.full)
            if errors:
                problem(item.where, "; ".join(errors))
                continue
        stats.releases += 1
        add(ocid, release, item.raw if kind == RELEASE else None, item.where)

    if workers is not None and grouper.runs:
        # Spilled: the releases are mostly JSON text again (all but the last buffer's), so
        # worker processes can parse, compile and encode whole batches of processes; results
        # are taken back in ocid order.
        try:
            for ocid, ok, value, problems in _compile_parallel(grouper.groups(), *workers):
                for where, reason in problems:
                    stats.releases -= 1
                    problem(where, reason)
                if not ok:
                    if value is not None:
                        problem(f"ocid {ocid}", value)
                    continue
                stats.processes += 1
                yield value
        finally:
            grouper.close()
        return
    dumps = orjson.dumps
    for ocid, entries in grouper.groups():
        releases, problems = _releases(ocid, entries)
        for where, reason in problems:
            stats.releases -= 1
            problem(where, reason)
        if not releases:
            continue
        try:
            compiled = merger.compile(releases)
        except CompileError as e:
            problem(f"ocid {ocid}", str(e))
            continue
        stats.processes += 1
        if encode:
            yield dumps(compiled, option=LINE)
        else:
            yield (compiled, len(releases)) if with_counts else compiled


def _releases(ocid: str, entries: list[Entry]) -> tuple[list[dict], list[tuple[str, str]]]:
    """The releases of ``ocid``'s buffered entries, parsing those kept as text; and the
    problems of `LAZY` lines that turned out not to be releases (counted as releases when
    added). Raises `Misrouted` for a text that `values.sure_ocid` would not have kept as one."""
    releases = []
    problems = []
    loads = orjson.loads
    for release, raw, where in entries:
        if release is not None:
            releases.append(release)
            continue
        try:
            release = loads(raw)
        except orjson.JSONDecodeError:
            release = None
        if type(release) is dict and "date" in release and release.get("ocid") == ocid:
            releases.append(release)  # the fast way for the usual case
            continue
        if sure_ocid(raw, ocid.encode()) is None:  # kept by a trusting partition only
            raise Misrouted(_where(where))
        item = parse_lazy(raw, _where(where))
        if item.kind == RELEASE:
            releases.append(item.value)
        else:
            problems.append((item.where, item.value))
    return releases, problems


def _where(where: Any) -> str:
    """Where a buffered release was read: as given, or ``(prefix, line number or where)`` for
    the releases of a `LAZY` batch."""
    if type(where) is str:
        return where
    prefix, place = where
    return f"{prefix}line {place}" if type(place) is int else f"{prefix}{place}"


_worker_merger: Merger | None = None
BATCH_BYTES = 4 << 20  # JSON text of the releases sent to a worker at once


def _init_worker(merger: Merger) -> None:
    global _worker_merger
    _worker_merger = merger
    gc.disable()  # as `no_cyclic_gc`: acyclic JSON objects only


def _compile_batch(batch: list[tuple[str, list[Entry]]]) -> list[tuple[str, bool, Any, list]]:
    """Compile and encode a batch of processes: ``(ocid, True, JSON, problems)`` or
    ``(ocid, False, reason or None, problems)``, in the batch's order."""
    dumps = orjson.dumps
    compile_ = _worker_merger.compile
    out = []
    for ocid, entries in batch:
        releases, problems = _releases(ocid, entries)
        if not releases:
            out.append((ocid, False, None, problems))
            continue
        try:
            out.append((ocid, True, dumps(compile_(releases), option=LINE), problems))
        except CompileError as e:
            out.append((ocid, False, str(e), problems))
    return out


def _batches(groups: Iterable[tuple[str, list[Entry]]]) -> Iterator[list]:
    batch: list = []
    size = 0
    for ocid, entries in groups:
        batch.append((ocid, entries))
        size += sum(len(raw) if raw is not None else 2048 for _, raw, _ in entries)
        if size >= BATCH_BYTES:
            yield batch
            batch = []
            size = 0
    if batch:
        yield batch


def _compile_parallel(
    groups: Iterable[tuple[str, list[Entry]]], pool, jobs: int
) -> Iterator[tuple[str, bool, Any, list]]:
    """`_compile_batch` over the ``jobs`` processes of ``pool``, at most ``2 * jobs`` batches
    in flight (memory stays bounded), results in input order."""
    pending: deque = deque()
    for batch in _batches(groups):
        pending.append(pool.apply_async(_compile_batch, (batch,)))
        if len(pending) >= 2 * jobs:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()


# --- One process per partition of the ocids ----------------------------------------------------


def _item_ocid(item: Item) -> str | None:
    """The ocid that decides an item's partition (None: the first partition reports it)."""
    if item.kind == RELEASE:
        ocid = item.value.get("ocid")
    elif item.kind == RECORD:
        ocid = item.value["compiledRelease"].get("ocid")
    else:
        return None
    return ocid if type(ocid) is str else None


def compile_files(
    read: Callable[[Partition | None], Iterable[Item]],
    merger: Merger,
    out: IO[bytes],
    *,
    jobs: int,
    stats: Stats,
    pivots: list[str],
    buffer_bytes: int = DEFAULT_BUFFER_BYTES,
) -> None:
    """Compile the items that ``read(part)`` gives (each call reads the whole input again, e.g.
    files, lazily; ``part`` is passed to `reader.read_items`) in ``jobs`` forked processes,
    one per range of ocids (``pivots``, see `reader.sample_pivots`), and write the compiled
    releases to ``out``, the ranges' outputs one after the other: the same lines as
    `compile_items` with ``encode=True``. Each process keeps ``buffer_bytes`` of releases at
    most. An input whose lines say one ocid first and hold another (a record of other
    processes' releases, say) is compiled again in one process."""
    context = multiprocessing.get_context("fork")
    outputs = [
        tempfile.TemporaryFile(prefix="cocrea-ocds-part-", buffering=1 << 20)  # noqa: SIM115
        for _ in range(jobs)
    ]
    processes = []
    try:
        receivers = []
        for index, output in enumerate(outputs):
            receiver, sender = context.Pipe(duplex=False)
            part = Partition(index, jobs, pivots)
            process = context.Process(
                target=_compile_part,
                args=(read, merger, part, buffer_bytes, output, sender),
                daemon=True,
            )
            process.start()
            sender.close()
            receivers.append(receiver)
            processes.append(process)
        results: list[Stats] = []
        for index, receiver in enumerate(receivers):
            try:
                result = receiver.recv()
            except EOFError:
                result = RuntimeError(f"a compile process died (exit {processes[index].exitcode})")
            receiver.close()
            if isinstance(result, BaseException):
                raise result
            results.append(result)
        if any(result.misrouted for result in results):
            write = out.write
            for data in compile_items(
                read(None), merger, stats=stats, buffer_bytes=buffer_bytes, encode=True
            ):
                write(data)
            return
        for result, output in zip(results, outputs, strict=True):
            stats.add(result)
            output.seek(0)
            append_file(output, out)
    finally:
        for process in processes:
            process.join()
        for output in outputs:
            output.close()


def _compile_part(read, merger, part: Partition, buffer_bytes, output, sender) -> None:
    """In a forked process: compile the processes of partition ``part`` into ``output`` (lines
    of JSON, sorted by ocid); send the `Stats` (or the exception)."""
    try:
        gc.disable()
        stats = Stats()
        write = output.write
        try:
            for data in compile_items(
                read(part), merger, stats=stats, buffer_bytes=buffer_bytes, encode=True, part=part
            ):
                write(data)
        except Misrouted:
            # A trusting partition read what it cannot compile alone (see `values.Owner`).
            stats.misrouted += 1  # the parent starts over in one process
        output.flush()
        sender.send(stats)
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which raises it
        try:
            sender.send(e)
        except Exception:  # noqa: BLE001 - unpicklable: send its text
            sender.send(RuntimeError(f"{type(e).__name__}: {e}"))
    finally:
        sender.close()
        os._exit(0)
