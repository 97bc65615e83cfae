"""The flows snapshot rebuilt from the contracting store, for flows, checks and pages.

From the compiled releases of the contracting store (`cocrea.money.store`) this module derives
five narrow Parquet tables (`flows_snapshot.SCHEMAS`) that the queries of `analytics` need, plus the red
flags of each process, buyer and supplier computed by the Cardinal-compatible engine
(`cocrea.money.redflags`, run by `flags_job`):

    processes     ocid, source, entity, buyer_id, buyer_name, title, method, method_details,
                  project_id, project, budget_amount, tender_value, date, year
    awards        ocid, award_id, status, date, amount, supplier_id, supplier_name
    contracts     ocid, contract_id, award_id, status, date_signed, amount
    transactions  ocid, contract_id, transaction_id, date, amount, payee_id, payee_name
    flags         grp, key, code, value      (grp = OCID, Buyer, ProcuringEntity, Tenderer)

and keeps the compiled releases as ``compiled.jsonl`` for downloads. Last, it writes the
per-party summary of the search and of the supplier and buyer pages (`parties`).
Each rebuild writes a new snapshot under ``COCREA_MONEY_DIR/flows/<id>/`` and switches
``flows/CURRENT`` to it atomically.

The rows come from the store's ``flow_*`` tables, which each OCDS import derives for its
source (`cocrea.money.ocds.tables`): a rebuild is DuckDB SQL over Parquet (the first release
of each ocid, in source order, is kept; entities come from the buyer's region when the import
had none), while the red flags run in a child process (`cocrea.money.redflags.feed`) fed with
the compiled releases by source and position (it keeps the first of each ocid), or, when the
bids have several currencies, the kept ones in (source, ocid) order (see `_flags_again`).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import queue
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

import duckdb
import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from ..store import snapshots
from ..store.snapshots import TableWriter
from . import flows_snapshot, parties
from .flags_job import _FlagsJob
from .flows_snapshot import (
    COMPILED,
    KEEP_SNAPSHOTS,
    current_snapshot,
    derived_from,
    flows_dir,
)

# DuckDB's memory in a rebuild (beyond it, sorts and joins spill to the work directory): the
# peak memory of an import must not grow with the size of the store.
MEMORY_LIMIT = "256MB"
# ... but for the sort of whole compiled releases by ocid, needed only when the bids have
# several currencies (see `LiveFlows`): as much as before, it does not spill well.
SORT_MEMORY_LIMIT = "1GB"


def _region_map() -> dict[str, str]:
    """Entity names (official and common, lower case) → INEGI code, from the database."""
    try:
        from cocrea.territory.models import Entity

        mapping: dict[str, str] = {}
        for code, name, common in Entity.objects.values_list("code", "name", "common_name"):
            mapping[name.lower()] = code
            mapping[common.lower()] = code
        mapping.setdefault("cdmx", "09")
        return mapping
    except Exception:  # noqa: BLE001 - no database (pure tools): no mapping
        return {}


# --- Snapshots -------------------------------------------------------------------------------


class FlowsImport:
    def __init__(self):
        self.processes = 0
        self.awards = 0
        self.contracts = 0
        self.transactions = 0
        self.flags = 0
        self.skipped = 0
        self.snapshot = ""
        self.live = False  # the red flags were computed while the import read its file


def _switch(base: Path, name: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=base, prefix=".CURRENT-")
    with os.fdopen(fd, "w") as f:
        f.write(name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, base / "CURRENT")


def _prune(base: Path, keep: str) -> None:
    snaps = sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in snaps[:-KEEP_SNAPSHOTS]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


# --- Derived from the contracting store ------------------------------------------------------


def store_signature() -> tuple[Path, str] | None:
    """The current store snapshot and a signature of its compiled releases' files.

    The store hard-links the files of unchanged sources into each new snapshot, so the
    signature (file names, inodes and sizes) changes only when compiled releases change —
    not when, say, budget lines are imported.
    """

    snap = snapshots.current_snapshot()
    if snap is None:
        return None
    files = sorted((snap / "releases").glob("*.parquet"))
    if not files:
        return None
    text = "\n".join(f"{f.name}:{f.stat().st_ino}:{f.stat().st_size}" for f in files)
    return snap, hashlib.sha1(text.encode()).hexdigest()[:16]


def _up_to_date(signature: str) -> bool:
    """The current flows snapshot derives from these compiled releases and is complete (those
    written before the per-party summary existed are rebuilt once, see `parties`)."""

    snap = current_snapshot()
    return derived_from() == signature and all(
        (snap / f).exists() for _t, f in flows_snapshot.PARTY_TABLES
    )


def store_processes(snapshot: Path) -> int:
    """How many processes the store snapshot holds (from its manifest)."""

    sources = snapshots.manifest(snapshot).get("sources", {})
    return sum(int(info.get("counts", {}).get("processes", 0)) for info in sources.values())


def _lock(blocking: bool):
    """The flows rebuild lock (a file object to pass to `_unlock`), or None if taken."""
    base = flows_dir()
    base.mkdir(parents=True, exist_ok=True)
    lock = open(base / ".sync-lock", "a+")  # noqa: SIM115 - closed by _unlock
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        lock.close()
        return None
    return lock


def _unlock(lock) -> None:
    fcntl.flock(lock, fcntl.LOCK_UN)
    lock.close()


def sync_from_store(force: bool = False, max_processes: int | None = None) -> FlowsImport | None:
    """Rebuild the flows snapshot from the store's compiled releases when they changed.

    The store keeps every compiled release with its source and entity (`releases` table);
    the flows tables and red flags are derived from them. Returns None when up to date, when
    another process is already rebuilding (readers keep the current flows meanwhile), or when
    the store holds more than `max_processes` (web requests leave big rebuilds to
    `cocrea money sync-flows`, run after each import).
    """
    found = store_signature()
    if found is None or (not force and _up_to_date(found[1])):
        return None
    if not force and max_processes is not None and store_processes(found[0]) > max_processes:
        return None
    lock = _lock(blocking=force)
    if lock is None:
        return None
    try:
        found = store_signature()
        if found is None or (not force and _up_to_date(found[1])):
            return None
        return _rebuild(*found)
    finally:
        _unlock(lock)


class LiveFlows:
    """A flows rebuild that starts with an OCDS import (`import_ocds(..., flows=True)`).

    The red flags engine (a child process) is fed the other sources' releases that come
    before the imported source (by name) from the current store snapshot, then the imported
    releases as the import reads them (`write`), and after the import (`finish`) the sources
    that come after it; so the red flags are computed while the file is read. The kept
    releases are then those of a rebuild (the first of each ocid by source and position), in
    the same (source, position) order, whereas with bids in several currencies a rebuild
    sorts them in (source, ocid) order: the engine depends on the order only through the
    currency of the first bid it compares, so then `finish` computes them again in (source,
    ocid) order. Any problem with the red flags falls back to a plain rebuild; the import
    itself never fails because of them.
    """

    QUEUE_CHUNKS = 32  # texts waiting for the child, about a MiB each

    def __init__(self, source: str):
        self.source = source
        self.lock = _lock(blocking=True)
        self.build = _Build()
        self.error: BaseException | None = None
        self.job = None
        self._thread = None
        self._queue: queue.Queue = queue.Queue(maxsize=self.QUEUE_CHUNKS)
        previous = snapshots.current_snapshot()
        before = (
            [f for f in sorted((previous / "releases").glob("*.parquet")) if f.stem < source]
            if previous is not None
            else []
        )
        try:
            self.job = _FlagsJob(self.build.out / COMPILED)
        except BaseException:
            self.abort()
            raise
        self._thread = threading.Thread(
            target=self._feed, args=(before,), name="flags-feed", daemon=True
        )
        self._thread.start()

    def _feed(self, before: list[Path]) -> None:
        """The sources before, then what `write` queues (until None)."""
        self._feed_files(before)
        while (texts := self._queue.get()) is not None:
            if self.error is None:
                try:
                    self.job.send(texts)
                except BaseException as e:  # noqa: BLE001 - the rebuild falls back
                    self.error = e

    def _feed_files(self, files: list[Path]) -> None:
        try:
            for path in files:
                for batch in pq.ParquetFile(path).iter_batches(
                    columns=["compiled_release"], batch_size=4096
                ):
                    self.job.send(batch.column(0))
        except BaseException as e:  # noqa: BLE001 - the rebuild falls back
            self.error = e

    def write(self, texts: list[bytes]) -> None:
        """The next releases of the imported source, in their import order."""
        if self.error is None:
            self._queue.put(texts)

    def finish(self, snapshot: Path) -> FlowsImport:
        """After the store snapshot is committed: the rest of the rebuild."""
        try:
            self._queue.put(None)
            self._thread.join()
            found = store_signature()
            if found is None or found[0] != snapshot:
                raise RuntimeError("the store changed during the import")
            after = [
                f for f in sorted((snapshot / "releases").glob("*.parquet")) if f.stem > self.source
            ]

            def feed_after():
                self._feed_files(after)
                if self.error is None:
                    try:
                        self.job.close_input()
                    except BaseException as e:  # noqa: BLE001 - the rebuild falls back
                        self.error = e

            self._thread = threading.Thread(target=feed_after, name="flags-after", daemon=True)
            self._thread.start()
            return _rebuild(snapshot, found[1], build=self.build, live=self)
        finally:
            self.abort()

    def abort(self) -> None:
        """Stop the red flags (if running), remove the work files, release the lock."""
        if self.job is not None:
            self.job.kill()
        if self._thread is not None:
            while self._thread.is_alive():  # the feeder ends at None (sends fail fast now)
                try:
                    self._queue.put(None, timeout=0.1)
                    break
                except queue.Full:
                    pass
            self._thread.join()
        self.build.cleanup()
        if self.lock is not None:
            _unlock(self.lock)
            self.lock = None


def _sql(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _files(paths) -> str:
    return "[" + ", ".join(_sql(p) for p in paths) + "]"


def _store_flow_files(snapshot: Path, work: Path) -> tuple[dict[str, list[Path]], list[Path]]:
    """The ``flow_*`` files of every source of the store snapshot and its releases files.

    Sources imported before the ``flow_*`` tables existed get theirs derived here, into
    ``work``, from their compiled releases (slower: they are parsed again).
    """
    from ..ocds.tables import FLOW_TABLES

    releases = sorted((snapshot / "releases").glob("*.parquet"))
    files: dict[str, list[Path]] = {t: [] for t in FLOW_TABLES}
    for path in releases:
        if all((snapshot / t / path.name).exists() for t in FLOW_TABLES):
            for t in FLOW_TABLES:
                files[t].append(snapshot / t / path.name)
        else:
            for t, derived in _derive_flow_files(path, work).items():
                files[t].append(derived)
    return files, releases


def _derive_flow_files(releases: Path, work: Path) -> dict[str, Path]:
    from ..ocds.tables import FLOW_TABLES, SCHEMAS, Flattener

    writers = {}
    for t in FLOW_TABLES:
        (work / t).mkdir(parents=True, exist_ok=True)
        writers[t] = TableWriter(work / t / releases.name, SCHEMAS[t])
    parquet = pq.ParquetFile(releases)
    flattener = None
    try:
        for batch in parquet.iter_batches(columns=["entity", "compiled_release"], batch_size=2000):
            entities = batch.column(0).to_pylist()
            texts = batch.column(1).to_pylist()
            if flattener is None and texts:
                flattener = Flattener(writers, releases.stem, entities[0])
            for text in texts:
                flattener.add(orjson.loads(text), None, text.encode())
        if flattener is not None:
            flattener.close()
    except BaseException:
        if flattener is not None:
            flattener.abort()
        raise
    finally:
        for w in writers.values():
            w.close()
    return {t: w.path for t, w in writers.items()}


class _Build:
    """The work directory of a flows rebuild: ``out`` becomes the snapshot."""

    def __init__(self):
        self.base = flows_dir()
        self.base.mkdir(parents=True, exist_ok=True)
        self.name = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:8]
        self.tmp = self.base / f".tmp-{self.name}"
        self.out = self.tmp / "out"
        self.out.mkdir(parents=True)

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def _one_currency(con, snapshot: Path) -> bool:
    """At most one currency among the bids with an amount (a superset of those the red flags
    compare), so that the order of the releases does not change the red flags."""
    files = sorted((snapshot / "bids").glob("*.parquet"))
    if not files:
        return True
    (n,) = con.execute(
        f"SELECT count(DISTINCT value_currency) FROM read_parquet({_files(files)}) "
        "WHERE value_amount IS NOT NULL AND value_currency IS NOT NULL"
    ).fetchone()
    return n <= 1


def _flags_again(con, snapshot: Path, out: Path, releases: list[Path]) -> _FlagsJob:
    """Start the red flags of the kept releases (the first of each ocid by source and
    position; ``kept``), which the child writes to ``compiled.jsonl``.

    With bids in one currency at most, the order of the releases does not change the red
    flags (see `LiveFlows`): the child reads every release, by source and position, straight
    from the files, and keeps the first of each ocid itself (memory does not grow with the
    store). Otherwise it gets the kept releases in (source, ocid) order, sorted by DuckDB.
    """
    job = _FlagsJob(out / COMPILED)
    if _one_currency(con, snapshot):
        job.feed_files(sorted(releases, key=lambda path: path.stem))
    else:
        con.execute(f"SET memory_limit = {_sql(SORT_MEMORY_LIMIT)}")
        job.feed_from(
            con.cursor(),
            "SELECT compiled_release FROM releases SEMI JOIN kept USING (source, idx) "
            "ORDER BY source, ocid, idx",
        )
    return job


def _rebuild(snapshot: Path, signature: str, build=None, live=None) -> FlowsImport:
    """A new flows snapshot from the store snapshot (every source); switch to it."""
    result = FlowsImport()
    build = build or _Build()
    job = None
    con = duckdb.connect(":memory:")
    try:
        out = build.out
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"SET temp_directory = {_sql(build.tmp / 'spill')}")
        con.execute(f"SET memory_limit = {_sql(MEMORY_LIMIT)}")
        con.execute("SET preserve_insertion_order = false")  # orders are explicit
        files, releases = _store_flow_files(snapshot, build.tmp / "derived")
        if not releases:
            raise RuntimeError("no compiled releases in the store")
        for t, paths in files.items():
            con.execute(
                f"CREATE VIEW {t} AS SELECT * FROM read_parquet({_files(paths)}, "
                "file_row_number = true)"
            )
        con.execute(
            f"CREATE VIEW releases AS SELECT source, ocid, file_row_number AS idx, "
            f"compiled_release FROM read_parquet({_files(releases)}, file_row_number = true)"
        )
        # The first release of each ocid by source and position in its import.
        con.execute(
            "CREATE TABLE kept AS SELECT source, idx FROM flow_processes "
            "QUALIFY row_number() OVER (PARTITION BY ocid ORDER BY source, idx) = 1"
        )
        if live is None:
            job = _flags_again(con, snapshot, out, releases)
        regions = _region_map()
        found = con.execute(
            "SELECT DISTINCT buyer_region FROM flow_processes WHERE entity IS NULL"
        ).fetchall()
        mapping = pa.table(  # noqa: F841 - read by DuckDB's replacement scan
            {
                "region": pa.array([r for (r,) in found], pa.string()),
                "code": pa.array(
                    [regions.get((r or "").strip().lower()) for (r,) in found], pa.string()
                ),
            }
        )
        con.execute("CREATE TABLE regions AS SELECT * FROM mapping")
        counts = {}
        for t, select, order in _FLOW_SQL:
            target = _sql(out / f"{t}.parquet")
            counts[t] = con.execute(
                f"COPY ({select} ORDER BY {order}) TO {target} (FORMAT parquet, COMPRESSION zstd)"
            ).fetchone()[0]
        flag_count = None
        flags_path = out / "flags.parquet"
        if live is not None:
            live._thread.join()  # the sources after the imported one, sent
            if live.error is None and _one_currency(con, snapshot):
                try:
                    flag_count = live.job.wait(flags_path)
                    result.live = True
                except Exception:  # noqa: BLE001 - computed again below
                    flag_count = None
            live.job.kill()
            if flag_count is None:
                job = _flags_again(con, snapshot, out, releases)
        if job is not None:
            flag_count = job.wait(flags_path)
            job = None

        parties.build(out, snapshot, build.tmp / "spill")
        result.processes = counts["processes"]
        result.awards = counts["awards"]
        result.contracts = counts["contracts"]
        result.transactions = counts["transactions"]
        result.flags = flag_count
        result.skipped = con.execute(
            "SELECT (SELECT count(*) FROM flow_processes) - (SELECT count(*) FROM kept)"
        ).fetchone()[0]
        (out / "STORE").write_text(signature + "\n")
        os.rename(out, build.base / build.name)
    except BaseException:
        if job is not None:
            job.kill()
        raise
    finally:
        con.close()
        build.cleanup()
    _switch(build.base, build.name)
    _prune(build.base, build.name)
    result.snapshot = build.name
    return result


_KEPT = "SEMI JOIN kept k ON t.source = k.source AND t.idx = k.idx"
# (flows table, SELECT, ORDER BY): processes clustered by entity and year (pages filter on
# them, and DuckDB skips the row groups whose min/max exclude the entity), the rest by ocid.
_FLOW_SQL = [
    (
        "processes",
        "SELECT t.ocid, 'store' AS source, coalesce(t.entity, g.code) AS entity, t.buyer_id, "
        "t.buyer_name, t.title, t.method, t.method_details, t.project_id, t.project, "
        "t.budget_amount, t.tender_value, t.date, t.year FROM flow_processes t "
        f"{_KEPT} LEFT JOIN regions g ON g.region IS NOT DISTINCT FROM t.buyer_region",
        "entity, year, ocid",
    ),
    (
        "awards",
        "SELECT t.ocid, t.award_id, t.status, t.date, t.amount, t.supplier_id, "
        f"t.supplier_name FROM flow_awards t {_KEPT}",
        "t.ocid, t.file_row_number",
    ),
    (
        "contracts",
        "SELECT t.ocid, t.contract_id, t.award_id, t.status, t.date_signed, t.amount "
        f"FROM flow_contracts t {_KEPT}",
        "t.ocid, t.file_row_number",
    ),
    (
        "transactions",
        "SELECT t.ocid, t.contract_id, t.transaction_id, t.date, t.amount, t.payee_id, "
        f"t.payee_name FROM flow_transactions t {_KEPT}",
        "t.ocid, t.file_row_number",
    ),
]
