"""Import OCDS files into a new snapshot of the money store (all or nothing).

Compiled releases (``tag`` contains ``"compiled"``) and records' ``compiledRelease`` go straight
to the tables, in a single pass. Other releases are grouped by ocid (external sort, see
`compile.Grouper`) and compiled exactly as ``ocdskit compile`` would. Every release is validated
against the OCDS 1.1 schema unless ``validate=False``; problems are reported with their line
(or position) and reason, and skipped, or abort the import with ``strict=True``. An input that
cannot be read at all (not JSON, wrong encoding, empty, no releases) aborts the import. An
aborted import leaves the current snapshot untouched and no files behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..store.snapshots import SnapshotBuilder, StoreError, validate_source
from . import import_workers
from .compile import DEFAULT_BUFFER_BYTES, Problem, Stats, Stop, compile_items, no_cyclic_gc
from .merge import Merger
from .reader import ERROR, RECORD, InputError, Item, Source
from .schema import validation_errors
from .tables import Flattener, valid_and_shaped_validator

ENTITY_RE = re.compile(r"^(0[1-9]|[12][0-9]|3[0-2])$")


class ImportAborted(Exception):
    """Nothing was imported; ``problems`` says why."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.problems = list(problems)


@dataclass
class ImportReport:
    source: str
    snapshot: str = ""
    releases: int = 0
    compiled_releases: int = 0
    records: int = 0
    processes: int = 0
    awards: int = 0
    contracts: int = 0
    transactions: int = 0
    parties: int = 0
    skipped: int = 0
    duplicate_ocids: int = 0
    problems: list[Problem] = field(default_factory=list)
    flows: Any = None  # cocrea.money.analytics.flows.FlowsImport, with ``flows=True``


def _is_compiled(release: dict[str, Any]) -> bool:
    tag = release.get("tag")
    return isinstance(tag, list) and "compiled" in tag


def import_ocds(
    paths: Sequence[str | Path],
    source: str,
    *,
    entity: str | None = None,
    strict: bool = False,
    validate: bool = True,
    encoding: str | None = None,
    base: str | Path | None = None,
    buffer_bytes: int = DEFAULT_BUFFER_BYTES,
    progress: Callable[[int], None] | None = None,
    flows: bool = False,
    workers: int | None = None,
) -> ImportReport:
    """Import ``paths`` (``-`` is standard input) as ``source``; return what was loaded.

    With ``flows``, also rebuild the flows tables and red flags of the whole store (as
    `cocrea.money.analytics.flows.sync_from_store` does), computing the red flags while the
    file is read (`cocrea.money.analytics.flows.LiveFlows`); needs Django's settings (``base``
    is ignored).

    JSON Lines files of compiled releases or records are parsed, validated and encoded by
    ``workers`` processes (`import_workers`; default: one a CPU, for files of 8 MiB or more;
    0: in this thread, as other inputs); the result is the same.
    """
    try:
        validate_source(source)
    except StoreError as e:
        raise ImportAborted(str(e)) from e
    if entity is not None and not ENTITY_RE.match(entity):
        raise ImportAborted(f"invalid entity code {entity!r} (INEGI code 01..32)")
    if not paths:
        raise ImportAborted("no input files")

    check = validation_errors if validate else None
    parallel = _parallel(paths, encoding, workers, validate, strict)
    try:
        with no_cyclic_gc():
            return _import(
                paths, source, entity, strict, check, encoding, base, buffer_bytes, progress,
                flows, parallel,
            )  # fmt: skip
    except Stop as e:
        raise ImportAborted(f"strict mode: {e}", [e.problem]) from e
    finally:
        if parallel is not None:
            parallel.pool.terminate()
            parallel.pool.join()


@dataclass
class _Parallel:
    pool: Any
    workers: int
    plans: dict[str, import_workers.Plan]
    validate: bool
    strict: bool


def _parallel(paths, encoding, workers, validate, strict) -> _Parallel | None:
    """The worker processes and the files they read, or None (all read in this thread)."""
    if workers == 0:
        return None
    forced = workers is not None
    count = workers if forced else import_workers.default_workers()
    if count < 1 or (not forced and count < 2):
        return None
    plans = {}
    for path in paths:
        found = import_workers.plan(path, encoding, forced)
        if found is not None:
            plans[str(path)] = found
    if not plans:
        return None
    return _Parallel(import_workers.start_pool(count), count, plans, validate, strict)


def _import(
    paths, source, entity, strict, check, encoding, base, buffer_bytes, progress, flows, parallel
):
    live = None
    if flows:
        from ..analytics.flows import LiveFlows

        base = None
        live = LiveFlows(source)
    try:
        report = _import_store(
            paths, source, entity, strict, check, encoding, base, buffer_bytes, progress, live,
            parallel,
        )  # fmt: skip
        if live is not None:
            report.flows = live.finish(store_snapshot(report.snapshot))
        return report
    finally:
        if live is not None:
            live.abort()


def _import_store(
    paths, source, entity, strict, check, encoding, base, buffer_bytes, progress, live, parallel
):
    stats = Stats()
    report = ImportReport(source=source)
    with SnapshotBuilder(source, base) as builder:
        on_texts = live.write if live is not None else None
        flattener = Flattener(builder.writers, source, entity, on_texts=on_texts)
        try:
            _read(
                paths, flattener, report, stats, strict, check, encoding, buffer_bytes, progress,
                parallel,
            )  # fmt: skip
            flattener.close()
        except BaseException:
            flattener.abort()
            raise
        report.releases = stats.releases + report.compiled_releases + report.records
        report.skipped = stats.problem_count
        report.problems = stats.problems
        table_counts = builder.counts()
        report.processes = table_counts["processes"]
        if report.processes == 0:
            raise ImportAborted("no valid releases found: nothing imported", stats.problems)
        report.awards = table_counts["awards"]
        report.contracts = table_counts["contracts"]
        report.transactions = table_counts["transactions"]
        report.parties = table_counts["parties"]
        builder.close_writers()
        report.duplicate_ocids = builder.duplicates("processes", "ocid")
        path = builder.commit(
            {
                "entity": entity,
                "files": [str(p) for p in paths],
                "releases": report.releases,
                "skipped": report.skipped,
            }
        )
        report.snapshot = path.name
    return report


def store_snapshot(name: str) -> Path:
    from ..store.snapshots import money_dir

    return money_dir() / name


def _read(
    paths, flattener, report, stats, strict, check, encoding, buffer_bytes, progress, parallel
):
    """Read ``paths`` and hand every compiled release to ``flattener``."""
    store = flattener.add
    valid_and_shaped = valid_and_shaped_validator().is_valid

    def problem(where: str, reason: str) -> None:
        p = stats.problem(where, reason)
        if strict:
            raise Stop(p)

    def direct(item: Item) -> bool:
        """Store compiled releases and records now; False for releases to compile."""
        if item.kind == RECORD:
            compiled = item.value["compiledRelease"]
            report.records += 1
        elif _is_compiled(item.value):
            compiled = item.value
            report.compiled_releases += 1
        else:
            return False
        if not isinstance(compiled.get("ocid"), str):
            problem(item.where, "the compiled release has no `ocid`")
            return True
        if check is None:
            store(compiled)
        elif valid_and_shaped(compiled):  # the usual case: one pass of validation
            store(compiled, None, None, True)
        elif errors := check(compiled, explain=strict or not stats.full):
            problem(item.where, "; ".join(errors))
        else:
            store(compiled, None, None, False)
        return True

    def store_block(block, start, end):
        flattener.add_encoded(
            block.ocids[start:end], block.texts[start:end], block.tenders[start:end],
            block.plain[start:end],
        )  # fmt: skip

    def items_of_blocks(path, plan, prefix, done):
        """The items of a file read by the worker processes (see `import_workers`)."""
        base = 0
        for end, block in import_workers.blocks(
            parallel.pool, parallel.workers, plan, parallel.validate, parallel.strict,
            stats.keep,
        ):  # fmt: skip
            report.compiled_releases += block.compiled
            report.records += block.records
            yield from import_workers.replay(block, base, prefix, store_block, problem)
            base += block.lines
            if progress is not None:
                progress(done + end)

    def items():
        done = 0
        for path in paths:
            plan = parallel.plans.get(str(path)) if parallel is not None else None
            if plan is not None:
                prefix = f"{path} " if len(paths) > 1 else ""
                yield from items_of_blocks(path, plan, prefix, done)
                done += plan.size
                continue
            try:
                src = Source(path, encoding)
            except (OSError, InputError) as e:
                raise ImportAborted(f"{path}: {e}") from e
            with src:
                try:
                    for n, item in enumerate(src.items()):
                        if len(paths) > 1:
                            item.where = f"{path} {item.where}"
                        if item.kind == ERROR or not direct(item):
                            yield item
                        if progress is not None and n % 256 == 0:
                            progress(done + src.bytes_read)
                except InputError as e:
                    raise ImportAborted(f"{path}: {e}") from e
                done += src.bytes_read
                if progress is not None:
                    progress(done)

    for compiled, release_count in compile_items(
        items(),
        Merger(),
        strict=strict,
        validate=check,
        stats=stats,
        buffer_bytes=buffer_bytes,
        with_counts=True,
    ):
        store(compiled, release_count)
