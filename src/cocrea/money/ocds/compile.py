"""Group releases by ``ocid`` in bounded memory and compile each process.

ocdskit stores every release in a temporary SQLite table and reads it back ``ORDER BY ocid``,
so compiled releases come out sorted by ocid, and the releases of a process in input order
(then stably sorted by date). `Grouper` gives the same order with an external merge sort:
releases are kept in memory, parsed, up to ``buffer_bytes`` of JSON text; beyond that the
buffer is sorted by ocid and spilled to a temporary run file (``ocid<TAB>json`` lines), and at
the end the runs are merged with `heapq.merge`, which is stable, so the releases of an ocid keep
their input order. Memory is bounded by the buffer plus the releases of one process, whatever
the size of the input; inputs smaller than the buffer never touch the disk.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import multiprocessing
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import IO, Any

import orjson

from .merge import CompileError, Merger
from .reader import ERROR, RECORD, RELEASE, Item

DEFAULT_BUFFER_BYTES = 16 << 20


class Grouper:
    """Collect ``(ocid, release)`` and yield the releases grouped by ocid, sorted by ocid.

    Releases are kept parsed while they fit in ``buffer_bytes`` (counted as the size of their
    JSON text), so inputs smaller than the buffer are parsed once and never touch the disk.
    """

    def __init__(self, buffer_bytes: int = DEFAULT_BUFFER_BYTES, tmpdir: str | None = None):
        self.buffer_bytes = buffer_bytes
        self.tmpdir = tmpdir
        self.buffer: dict[str, list[tuple[dict, bytes | None]]] = {}
        self.size = 0
        self.runs: list[IO[bytes]] = []
        self.count = 0

    def add(self, ocid: str, release: dict, raw: bytes | None = None) -> None:
        """Add a release; ``raw`` is its JSON text if at hand (spilled without re-encoding)."""
        bucket = self.buffer.get(ocid)
        if bucket is None:
            self.buffer[ocid] = [(release, raw)]
        else:
            bucket.append((release, raw))
        self.size += len(raw) if raw is not None else 2048
        self.count += 1
        if self.size >= self.buffer_bytes:
            self._spill()

    def _spill(self) -> None:
        run = tempfile.TemporaryFile(dir=self.tmpdir, prefix="cocrea-ocds-run-")  # noqa: SIM115
        write = run.write
        dumps = orjson.dumps
        for ocid in sorted(self.buffer):
            prefix = dumps(ocid) + b"\t"
            for release, raw in self.buffer[ocid]:
                if raw is None:
                    write(prefix + dumps(release) + b"\n")
                else:
                    write(prefix + raw.rstrip(b"\r\n") + b"\n")
        run.seek(0)
        self.runs.append(run)
        self.buffer = {}
        self.size = 0

    @staticmethod
    def _read_run(run: IO[bytes]) -> Iterator[tuple[str, bytes]]:
        loads = orjson.loads
        for line in run:
            ocid, _, data = line.partition(b"\t")
            yield loads(ocid), data

    def groups(self) -> Iterator[tuple[str, list[dict]]]:
        try:
            if not self.runs:
                buffer, self.buffer = self.buffer, {}
                for ocid in sorted(buffer):
                    yield ocid, [release for release, _ in buffer.pop(ocid)]
                return
            loads = orjson.loads
            for ocid, texts in self._merged_runs():
                yield ocid, [loads(data) for data in texts]
        finally:
            self.close()

    def _merged_runs(self) -> Iterator[tuple[str, list[bytes]]]:
        """Spill what is left and merge the runs: ``(ocid, [release JSON text, ...])``."""
        self._spill()
        streams = [self._read_run(run) for run in self.runs]
        merged = heapq.merge(*streams, key=itemgetter(0))
        for ocid, rows in groupby(merged, key=itemgetter(0)):
            yield ocid, [data for _, data in rows]

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
) -> Iterator[Any]:
    """Yield one compiled release per ocid (sorted by ocid) from reader items.

    Problems (invalid lines, releases without ``ocid`` or ``date``, processes that ocdskit
    could not merge) are counted in ``stats`` and skipped, or raise `Stop` if ``strict``.
    Records with only linked releases are passed to ``on_record`` if given; otherwise their
    ``compiledRelease`` is compiled as a release. With ``encode``, compiled releases are
    yielded as JSON (``orjson.dumps``) and, if the input did not fit in the buffer, compiled
    by ``jobs`` processes (same output, same order).
    """
    merger = merger or Merger()
    stats = stats if stats is not None else Stats()
    args = (items, merger, strict, validate, stats, buffer_bytes, on_record, with_counts, encode)
    if not encode or jobs <= 1:
        yield from _compile_items(*args, None)
        return
    # Fork the workers now, while this process is small: they inherit its start-up only, not
    # the releases it is about to read (they wait until the grouping is done).
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_init_worker, initargs=(merger,)) as pool:
        yield from _compile_items(*args, (pool, jobs))


def _compile_items(
    items, merger, strict, validate, stats, buffer_bytes, on_record, with_counts, encode, workers
):
    grouper = Grouper(buffer_bytes)

    def problem(where: str, reason: str) -> None:
        p = stats.problem(where, reason)
        if strict:
            grouper.close()
            raise Stop(p)

    for item in items:
        if item.kind == ERROR:
            problem(item.where, item.value)
            continue
        if item.kind == RECORD:
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
        grouper.add(ocid, release, item.raw if item.kind == RELEASE else None)

    if workers is not None and grouper.runs:
        # Spilled: the releases are JSON text again, so worker processes can parse, compile
        # and encode whole batches of processes; results are taken back in ocid order.
        try:
            for ocid, ok, value in _compile_parallel(grouper._merged_runs(), *workers):
                if not ok:
                    problem(f"ocid {ocid}", value)
                    continue
                stats.processes += 1
                yield value
        finally:
            grouper.close()
        return
    dumps = orjson.dumps
    for ocid, releases in grouper.groups():
        try:
            compiled = merger.compile(releases)
        except CompileError as e:
            problem(f"ocid {ocid}", str(e))
            continue
        stats.processes += 1
        if encode:
            yield dumps(compiled)
        else:
            yield (compiled, len(releases)) if with_counts else compiled


_worker_merger: Merger | None = None
BATCH_BYTES = 4 << 20  # JSON text of the releases sent to a worker at once


def _init_worker(merger: Merger) -> None:
    global _worker_merger
    _worker_merger = merger
    gc.disable()  # as `no_cyclic_gc`: acyclic JSON objects only


def _compile_batch(batch: list[tuple[str, list[bytes]]]) -> list[tuple[str, bool, Any]]:
    """Compile and encode a batch of processes: ``(ocid, True, JSON)`` or ``(ocid, False,
    reason)``, in the batch's order."""
    loads = orjson.loads
    dumps = orjson.dumps
    compile_ = _worker_merger.compile
    out = []
    for ocid, texts in batch:
        try:
            out.append((ocid, True, dumps(compile_([loads(t) for t in texts]))))
        except CompileError as e:
            out.append((ocid, False, str(e)))
    return out


def _batches(groups: Iterable[tuple[str, list[bytes]]]) -> Iterator[list]:
    batch: list = []
    size = 0
    for group in groups:
        batch.append(group)
        size += sum(map(len, group[1]))
        if size >= BATCH_BYTES:
            yield batch
            batch = []
            size = 0
    if batch:
        yield batch


def _compile_parallel(
    groups: Iterable[tuple[str, list[bytes]]], pool, jobs: int
) -> Iterator[tuple[str, bool, Any]]:
    """`_compile_batch` over the ``jobs`` processes of ``pool``, at most ``2 * jobs`` batches
    in flight (memory stays bounded), results in input order."""
    pending: deque = deque()
    for batch in _batches(groups):
        pending.append(pool.apply_async(_compile_batch, (batch,)))
        if len(pending) >= 2 * jobs:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()
