"""The analytical store of *Sigue el Dinero*: Parquet snapshots read with DuckDB.

Layout under ``settings.COCREA_MONEY_DIR`` (default ``var/money/``)::

    CURRENT                          name of the current snapshot, e.g. "snapshot-000007"
    snapshot-000007/
        manifest.json                sources, their counts and import dates
        processes/<source>.parquet   one file per table and source
        awards/<source>.parquet
        ...

An import writes its tables into a hidden temporary directory, hard-links the other sources'
files from the current snapshot into it, renames it to the next ``snapshot-<n>`` and finally
replaces ``CURRENT`` with `os.replace` (atomic on POSIX). Readers resolve ``CURRENT`` once and
read that directory, which is never modified afterwards, so they see either the old or the new
snapshot, never half an import. A failed import only removes its temporary directory. Imports
are serialized with a lock file; the last `KEEP` snapshots are kept for readers still open.

Reading::

    snapshots.current_snapshot()                       # Path or None
    snapshots.query("SELECT count(*) AS n FROM processes WHERE entity = ?", ["17"])
    # -> [{"n": 42}]

Every registered table is a view (an empty table when no snapshot has it), so queries work
before the first import. Other code may register more tables with `register_table`, or expose
Parquet files it manages itself (e.g. budget lines) with `register_view`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from ..ocds.tables import SCHEMAS

KEEP = 3
BATCH_ROWS = 8192
LARGE_COLUMNS = {"compiled_release"}
DISTINCT_MEMORY = "64MB"  # DuckDB's, to count the distinct values of a column
SNAPSHOT_RE = re.compile(r"^snapshot-(\d{6,})$")
SOURCE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")

TABLES: dict[str, pa.Schema] = dict(SCHEMAS)
# Views over Parquet files kept elsewhere (e.g. budget lines): name -> () -> [paths] or None.
EXTERNAL_VIEWS: dict[str, Callable[[], list[Path] | None]] = {}


class StoreError(RuntimeError):
    pass


def register_table(name: str, schema: pa.Schema) -> None:
    """Declare a table (e.g. budget lines) so that snapshots and views know its columns."""
    if not re.match(r"^[a-z][a-z0-9_]*$", name):
        raise ValueError(f"bad table name {name!r}")
    TABLES[name] = schema


def register_view(name: str, paths: Callable[[], list[Path] | None]) -> None:
    """Expose Parquet files managed elsewhere as a view in `connect`/`query`.

    ``paths()`` is called when a connection is opened and returns the files (or None/[] for
    no view). For instance the budget lines' own snapshot can be joined with the processes.
    """
    if not re.match(r"^[a-z][a-z0-9_]*$", name):
        raise ValueError(f"bad view name {name!r}")
    EXTERNAL_VIEWS[name] = paths


def money_dir(base: str | Path | None = None) -> Path:
    if base is not None:
        return Path(base)
    from django.conf import settings

    return Path(settings.COCREA_MONEY_DIR)


def current_snapshot(base: str | Path | None = None) -> Path | None:
    """The directory of the current snapshot, or None before the first import."""
    root = money_dir(base)
    try:
        name = (root / "CURRENT").read_text().strip()
    except FileNotFoundError:
        return None
    if not SNAPSHOT_RE.match(name):
        raise StoreError(f"corrupt CURRENT pointer: {name!r}")
    path = root / name
    return path if path.is_dir() else None


def manifest(snapshot: Path | None = None, base: str | Path | None = None) -> dict[str, Any]:
    snapshot = snapshot or current_snapshot(base)
    if snapshot is None:
        return {"snapshot": None, "sources": {}}
    return orjson.loads((snapshot / "manifest.json").read_bytes())


def validate_source(name: str) -> str:
    if not SOURCE_RE.match(name):
        raise StoreError(
            f"invalid source name {name!r}: use lowercase letters, digits, '.', '_' or '-'"
        )
    return name


# --- Writing ---------------------------------------------------------------------------------


class TableWriter:
    """Rows (tuples in schema order, or Arrow tables) to one Parquet file; rows are written in
    batches of `BATCH_ROWS`."""

    def __init__(self, path: Path, schema: pa.Schema):
        self.path = path
        self.schema = schema
        self.rows: list[tuple] = []
        self.count = 0
        self.closed = False
        # Whole compiled releases: neither dictionary-encoded nor min/max'ed (never repeated,
        # never filtered on), which only costs time.
        small = [name for name in schema.names if name not in LARGE_COLUMNS]
        self.writer = pq.ParquetWriter(
            path, schema, compression="zstd", use_dictionary=small, write_statistics=small
        )

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def write(self, table: pa.Table) -> None:
        """Append an Arrow table whose columns are the schema's, in order (names and
        compatible types may differ, e.g. DuckDB's)."""
        self.flush()
        if table.num_rows:
            if table.schema.types == self.schema.types:
                table = pa.Table.from_arrays(table.columns, schema=self.schema)
            else:
                table = table.rename_columns(self.schema.names).cast(self.schema)
            self.writer.write_table(table)
            self.count += table.num_rows

    def flush(self) -> None:
        if not self.rows:
            return
        columns = list(zip(*self.rows, strict=True))
        arrays = [
            pa.array(column, type=field.type)
            for column, field in zip(columns, self.schema, strict=True)
        ]
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        self.count += len(self.rows)
        self.rows = []

    def close(self) -> None:
        if not self.closed:
            self.flush()
            self.writer.close()
            self.closed = True


class SnapshotBuilder:
    """Build the next snapshot with new data for one source; `commit` switches to it."""

    def __init__(self, source: str, base: str | Path | None = None, tables: Iterable[str] = ()):
        self.root = money_dir(base)
        self.source = validate_source(source)
        self.tables = list(tables) or list(SCHEMAS)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.root / ".lock", "a+")  # noqa: SIM115 - closed in _cleanup
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        self.tmp = self.root / f".tmp-{os.getpid()}-{time.monotonic_ns()}"
        self.tmp.mkdir()
        self.writers: dict[str, TableWriter] = {}
        for table in self.tables:
            (self.tmp / table).mkdir()
            self.writers[table] = TableWriter(
                self.tmp / table / f"{self.source}.parquet", TABLES[table]
            )
        self.committed: Path | None = None

    def add(self, table: str, row: tuple) -> None:
        self.writers[table].add(row)

    def counts(self) -> dict[str, int]:
        return {t: w.count + len(w.rows) for t, w in self.writers.items()}

    def close_writers(self) -> None:
        for writer in self.writers.values():
            writer.close()

    def duplicates(self, table: str, column: str) -> int:
        """Rows of ``table`` (written by this import) whose ``column`` repeats."""
        self.close_writers()
        path = _sql_string(str(self.writers[table].path))
        with tempfile.TemporaryDirectory(prefix=".duckdb-", dir=self.root) as spill:
            con = duckdb.connect(":memory:")
            try:
                # A grouping (unlike count(DISTINCT ...)) spills to disk beyond the memory
                # limit, so that the import's memory does not grow with the number of rows.
                con.execute(f"SET memory_limit = '{DISTINCT_MEMORY}'")
                con.execute(f"SET temp_directory = {_sql_string(spill)}")
                con.execute("SET threads = 1")
                sql = (
                    f"SELECT (SELECT count(*) FROM read_parquet({path})) - "
                    f"(SELECT count(*) FROM (SELECT DISTINCT {column} FROM read_parquet({path})))"
                )
                return con.execute(sql).fetchone()[0]
            finally:
                con.close()

    def commit(self, info: dict[str, Any] | None = None) -> Path:
        self.close_writers()
        counts = {t: w.count for t, w in self.writers.items()}
        previous = current_snapshot(self.root)
        old = manifest(previous) if previous else {"sources": {}}
        sources = {k: v for k, v in old.get("sources", {}).items() if k != self.source}
        if previous is not None:
            for table_dir in previous.iterdir():
                if not table_dir.is_dir():
                    continue
                for file in table_dir.glob("*.parquet"):
                    if file.stem == self.source and table_dir.name in self.writers:
                        continue  # replaced by this import
                    # Other sources, and tables this import does not write, carry over.
                    target = self.tmp / table_dir.name / file.name
                    target.parent.mkdir(exist_ok=True)
                    try:
                        os.link(file, target)
                    except OSError:
                        shutil.copy2(file, target)
        sources[self.source] = {
            "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "counts": counts,
            **(info or {}),
        }
        numbers = [int(m.group(1)) for p in self.root.iterdir() if (m := SNAPSHOT_RE.match(p.name))]
        name = f"snapshot-{max(numbers, default=0) + 1:06d}"
        (self.tmp / "manifest.json").write_bytes(
            orjson.dumps({"snapshot": name, "sources": sources}, option=orjson.OPT_INDENT_2)
        )
        final = self.root / name
        os.rename(self.tmp, final)
        pointer = self.root / f".CURRENT-{os.getpid()}"
        pointer.write_text(name + "\n")
        with open(pointer) as f:
            os.fsync(f.fileno())
        os.replace(pointer, self.root / "CURRENT")
        self.committed = final
        self._prune(keep=name)
        self._cleanup()
        return final

    def abort(self) -> None:
        for writer in self.writers.values():
            with contextlib.suppress(Exception):
                writer.writer.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        self._cleanup()

    def _prune(self, keep: str) -> None:
        snapshots = sorted(p for p in self.root.iterdir() if SNAPSHOT_RE.match(p.name))
        for old in snapshots[:-KEEP]:
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)

    def _cleanup(self) -> None:
        if not self._lock.closed:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()

    def __enter__(self) -> SnapshotBuilder:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.committed is None:
            self.abort()


# --- Reading ---------------------------------------------------------------------------------

_local = threading.local()


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def connect(snapshot: Path | None = None, base: str | Path | None = None):
    """A new in-memory DuckDB connection with one view per table of the snapshot."""
    snapshot = snapshot if snapshot is not None else current_snapshot(base)
    con = duckdb.connect(":memory:")
    for table, schema in TABLES.items():
        files = sorted((snapshot / table).glob("*.parquet")) if snapshot else []
        if files:
            paths = ", ".join(_sql_string(str(f)) for f in files)
            con.execute(
                f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{paths}], union_by_name=true)"
            )
        else:
            empty = schema.empty_table()  # noqa: F841 - read by DuckDB's replacement scan
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM empty")
    for name, resolve in EXTERNAL_VIEWS.items():
        if name in TABLES:
            continue
        files = resolve() or []
        if files:
            paths = ", ".join(_sql_string(str(f)) for f in files)
            con.execute(
                f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{paths}], union_by_name=true)"
            )
    return con


def _cached_connection(base: str | Path | None):
    snapshot = current_snapshot(base)
    external = tuple((name, tuple(map(str, fn() or []))) for name, fn in EXTERNAL_VIEWS.items())
    key = (str(money_dir(base)), str(snapshot), tuple(TABLES), external)
    cached = getattr(_local, "connection", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    if cached is not None:
        cached[1].close()
    con = connect(snapshot)
    _local.connection = (key, con)
    return con


def query(sql: str, params: list | tuple | dict | None = None, base: str | Path | None = None):
    """Run ``sql`` on the current snapshot; rows as dicts."""
    con = _cached_connection(base)
    cursor = con.cursor()
    try:
        result = cursor.execute(sql, params) if params is not None else cursor.execute(sql)
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    finally:
        cursor.close()


def iter_compiled_releases(
    base: str | Path | None = None, where: str = "", params: list | None = None
) -> Iterator[bytes]:
    """The stored compiled releases as JSON bytes (for downloads and red flags)."""
    con = _cached_connection(base).cursor()
    try:
        sql = f"SELECT compiled_release FROM releases {where} ORDER BY source, ocid"
        result = con.execute(sql, params or [])
        while batch := result.fetchmany(1000):
            for (text,) in batch:
                yield text.encode()
    finally:
        con.close()
