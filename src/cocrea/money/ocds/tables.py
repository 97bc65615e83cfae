"""Compiled releases to analytical rows: the OCDS tables of the money store.

Every table has ``source`` (the import's name), ``entity`` (INEGI code or null) and ``ocid``,
so tables join on ``(source, ocid)``. Amounts are float64 in their currency; dates are UTC
timestamps. Extraction is defensive (wrong types become nulls), because ``--no-validate``
imports may hold anything; validated releases never lose data here.

The ``flow_*`` tables are the rows of the flows tables (`cocrea.money.facts`) of each source,
derived at import time so that rebuilding the flows never parses JSON again: amounts in
cents (decimal), dates as the calendar date written in the release, the buyer's region (for
imports without ``--entity``), and ``idx``, the release's position in its import (its row in
``releases/<source>.parquet``), which tells duplicated ocids apart.

How rows are made (`Flattener`): the compiled releases are batched as JSON text and DuckDB
turns each batch into every table (``from_json`` with the typed structure `SPEC`, then SQL),
in a worker thread, while the importer reads, validates and encodes the next releases. That
is exact when a release has the shape `SPEC` describes (`shape_validator`: the fields read
have the expected JSON types, dates are ISO 8601 as DuckDB and Python read them alike); the
few releases that do not are turned into rows by the Python functions `rows` and
`flow_rows`, which define the semantics (tests/money/test_money_store_tables.py checks that
both paths agree).
"""

from __future__ import annotations

import queue
import threading
from array import array
from itertools import accumulate

import orjson
import pyarrow as pa

from .rows import flow_rows, rows
from .shape import (
    DATE_PATTERN,
    SHAPE_SCHEMA,
    SPEC,
    STRUCTURE,
    shape_validator,
    valid_and_shaped_validator,
)
from .sql import MACROS, QUERIES

__all__ = [
    "DATE_PATTERN",
    "FLOW_TABLES",
    "SCHEMAS",
    "SHAPE_SCHEMA",
    "SPEC",
    "STRUCTURE",
    "Flattener",
    "flow_rows",
    "rows",
    "shape_validator",
    "valid_and_shaped_validator",
]


TS = pa.timestamp("us", tz="UTC")
STR = pa.string()
F64 = pa.float64()
I64 = pa.int64()
LIST_STR = pa.list_(pa.string())
AMOUNT = pa.decimal128(18, 2)
DATE = pa.date32()

_KEYS = [("source", STR), ("entity", STR), ("ocid", STR)]


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in (*_KEYS, *fields)])


SCHEMAS: dict[str, pa.Schema] = {
    "processes": _schema(
        ("date", TS),
        ("release_count", I64),
        ("buyer_id", STR),
        ("buyer_name", STR),
        ("title", STR),
        ("description", STR),
        ("status", STR),
        ("procurement_method", STR),
        ("procurement_method_details", STR),
        ("main_procurement_category", STR),
        ("value_amount", F64),
        ("value_currency", STR),
        ("tender_start", TS),
        ("tender_end", TS),
        ("number_of_tenderers", I64),
        ("award_count", I64),
        ("contract_count", I64),
        ("awarded_amount", F64),
        ("contracted_amount", F64),
        ("paid_amount", F64),
        ("budget_id", STR),
        ("budget_project", STR),
        ("budget_project_id", STR),
        ("budget_amount", F64),
        ("budget_currency", STR),
    ),
    "parties": _schema(
        ("party_id", STR),
        ("name", STR),
        ("roles", LIST_STR),
        ("identifier_scheme", STR),
        ("identifier_id", STR),
        ("legal_name", STR),
        ("region", STR),
        ("locality", STR),
        ("country_name", STR),
    ),
    "tender": _schema(
        ("tender_id", STR),
        ("title", STR),
        ("status", STR),
        ("procurement_method", STR),
        ("procurement_method_details", STR),
        ("main_procurement_category", STR),
        ("value_amount", F64),
        ("value_currency", STR),
        ("tender_start", TS),
        ("tender_end", TS),
        ("number_of_tenderers", I64),
        ("procuring_entity_id", STR),
        ("procuring_entity_name", STR),
    ),
    "tenderers": _schema(("party_id", STR), ("name", STR)),
    "bids": _schema(
        ("bid_id", STR),
        ("date", TS),
        ("status", STR),
        ("value_amount", F64),
        ("value_currency", STR),
        ("tenderer_ids", LIST_STR),
    ),
    "awards": _schema(
        ("award_id", STR),
        ("title", STR),
        ("status", STR),
        ("date", TS),
        ("value_amount", F64),
        ("value_currency", STR),
        ("supplier_ids", LIST_STR),
        ("supplier_names", LIST_STR),
    ),
    "award_suppliers": _schema(("award_id", STR), ("supplier_id", STR), ("supplier_name", STR)),
    "contracts": _schema(
        ("contract_id", STR),
        ("award_id", STR),
        ("title", STR),
        ("status", STR),
        ("date_signed", TS),
        ("period_start", TS),
        ("period_end", TS),
        ("value_amount", F64),
        ("value_currency", STR),
    ),
    "transactions": _schema(
        ("contract_id", STR),
        ("transaction_id", STR),
        ("date", TS),
        ("amount", F64),
        ("currency", STR),
        ("payer_id", STR),
        ("payer_name", STR),
        ("payee_id", STR),
        ("payee_name", STR),
        ("source_uri", STR),
    ),
    "items": _schema(
        ("stage", STR),
        ("parent_id", STR),
        ("item_id", STR),
        ("description", STR),
        ("classification_scheme", STR),
        ("classification_id", STR),
        ("quantity", F64),
        ("unit_name", STR),
        ("unit_amount", F64),
    ),
    # The compiled release itself (JSON text), for downloads and for red flags.
    "releases": _schema(("compiled_release", STR)),
    # The rows of the flows tables, per source (see the module's docstring).
    "flow_processes": _schema(
        ("idx", I64),
        ("buyer_region", STR),
        ("buyer_id", STR),
        ("buyer_name", STR),
        ("title", STR),
        ("method", STR),
        ("method_details", STR),
        ("project_id", STR),
        ("project", STR),
        ("budget_amount", AMOUNT),
        ("tender_value", AMOUNT),
        ("date", DATE),
        ("year", pa.int16()),
    ),
    "flow_awards": _schema(
        ("idx", I64),
        ("award_id", STR),
        ("status", STR),
        ("date", DATE),
        ("amount", AMOUNT),
        ("supplier_id", STR),
        ("supplier_name", STR),
    ),
    "flow_contracts": _schema(
        ("idx", I64),
        ("contract_id", STR),
        ("award_id", STR),
        ("status", STR),
        ("date_signed", DATE),
        ("amount", AMOUNT),
    ),
    "flow_transactions": _schema(
        ("idx", I64),
        ("contract_id", STR),
        ("transaction_id", STR),
        ("date", DATE),
        ("amount", AMOUNT),
        ("payee_id", STR),
        ("payee_name", STR),
    ),
}
FLOW_TABLES = [name for name in SCHEMAS if name.startswith("flow_")]


def _strings(texts: list[bytes]) -> pa.Array:
    """A string array of UTF-8 texts, built from their concatenation (much faster than
    `pyarrow.array` on a list of long texts)."""
    offsets = array("i", [0])
    offsets.extend(accumulate(map(len, texts)))
    data = pa.py_buffer(b"".join(texts))
    strings = pa.StringArray.from_buffers(len(texts), pa.py_buffer(offsets), data)
    strings.validate(full=True)  # UTF-8
    return strings


# --- Batches --------------------------------------------------------------------------------

# Batches of JSON text: the first ones small (the worker starts soon), then bigger (each
# batch costs DuckDB some planning), at most BATCH_BYTES (memory).
FIRST_BATCH_BYTES = 4 << 20
BATCH_BYTES = 16 << 20
TEXTS_CHUNK_BYTES = 1 << 20  # of JSON text handed to ``on_texts`` at a time
WORKERS = 2  # DuckDB connections turning batches into tables


class Flattener:
    """Write the rows of compiled releases into ``writers`` ({table: writer}; a writer has
    ``write(pyarrow.Table)`` and ``add(row tuple)``, see `cocrea.money.store.TableWriter`).

    `add` is called from one thread; batches are turned into Arrow tables by DuckDB in
    `WORKERS` threads and written in order by another (a few batches in flight at most, so
    memory stays bounded). Call `close` at the end (it raises a worker's error, if any) or
    `abort`. ``on_texts(texts)``, if given, is called
    by the thread that calls `add` with the JSON texts of the releases, in order, about a
    MiB at a time (the red flags).
    """

    def __init__(
        self, writers: dict, source: str, entity: str | None, threads: int = 1, on_texts=None
    ):
        self.writers = writers
        self.on_texts = on_texts
        self._out: list[bytes] = []
        self._out_bytes = 0
        self.limit = min(FIRST_BATCH_BYTES, BATCH_BYTES)
        self.source = source
        self.entity = entity
        self.threads = threads
        self.shape = shape_validator().is_valid
        self.idx = 0
        self.error: BaseException | None = None
        self._stop = False
        self._new_batch()
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._batches = 0
        self._ready: dict[int, list | None] = {}  # batch number -> its tables, to write
        self._done = threading.Condition()
        self._running = WORKERS
        self._workers = [
            threading.Thread(target=self._work, name=f"flattener-{i}", daemon=True)
            for i in range(WORKERS)
        ]
        for thread in self._workers:
            thread.start()
        self._writer = threading.Thread(target=self._write, name="flattener-writer", daemon=True)
        self._writer.start()

    def _new_batch(self) -> None:
        self.start = self.idx
        self.ocids: list[str] = []
        self.texts: list[bytes] = []
        self.release_counts: list[int | None] = []
        self.tenders: list[bool] = []
        self.plain: list[bool] = []
        self.slow: list[tuple[int, bytes, int | None]] = []
        self.bytes = 0

    def add(
        self,
        compiled: dict,
        release_count: int | None = None,
        text: bytes | None = None,
        plain: bool | None = None,
    ):
        """One compiled release (its ``ocid`` a string); ``text`` its JSON (UTF-8), and
        ``plain`` whether it has the shape of `shape_validator`, if known."""
        if text is None:
            text = orjson.dumps(compiled)
        if plain is None:
            plain = self.shape(compiled)
        tender = compiled.get("tender")
        self._add(
            compiled["ocid"],
            text,
            release_count,
            isinstance(tender, dict) and len(tender) > 0,
            plain,
        )

    def add_encoded(
        self, ocids: list[str], texts: list[bytes], tenders: list[bool], plain: list[bool]
    ):
        """Compiled releases already encoded, as `add` would take them one by one (without
        release counts): their ocids, JSON texts, whether each has a non-empty ``tender``
        object, and whether each has the shape of `shape_validator`."""
        add = self._add
        for ocid, text, tender, is_plain in zip(ocids, texts, tenders, plain, strict=True):
            add(ocid, text, None, tender, is_plain)

    def _add(self, ocid: str, text: bytes, release_count: int | None, tender: bool, plain: bool):
        if not plain:
            self.slow.append((self.idx, text, release_count))
        self.ocids.append(ocid)
        self.texts.append(text)
        self.release_counts.append(release_count)
        self.tenders.append(tender)
        self.plain.append(plain)
        self.idx += 1
        self.bytes += len(text)
        if self.on_texts is not None:
            self._out.append(text)
            self._out_bytes += len(text)
            if self._out_bytes >= TEXTS_CHUNK_BYTES:
                self._flush_texts()
        if self.bytes >= self.limit:
            self.limit = min(self.limit * 2, BATCH_BYTES)
            self._submit()

    def _flush_texts(self) -> None:
        if self._out:
            self.on_texts(self._out)
        self._out = []
        self._out_bytes = 0

    def _submit(self) -> None:
        if self.error is not None:
            raise self.error
        if self.ocids:
            batch = (
                self.start,
                self.ocids,
                self.texts,
                self.release_counts,
                self.tenders,
                self.plain,
                self.slow,
            )
            self._queue.put((self._batches, batch))
            self._batches += 1
        self._new_batch()

    def close(self) -> None:
        """Write what is left and wait for the workers; raise their error, if any."""
        try:
            if self.on_texts is not None:
                self._flush_texts()
            self._submit()
        finally:
            self._join()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        with self._done:
            self._stop = True
            self._done.notify_all()
        self._new_batch()
        self._join()

    def _join(self) -> None:
        for _ in self._workers:
            self._queue.put(None)
        for thread in self._workers:
            thread.join()
        self._writer.join()

    # -- workers: DuckDB turns batches into Arrow tables (two at a time, so that the last
    # ones use both cores); writer: Parquet, in the order of the batches

    def _work(self) -> None:
        con = None
        try:
            while True:
                with self._done:
                    # Not too far ahead of the writer: memory stays bounded.
                    while len(self._ready) >= WORKERS and self.error is None and not self._stop:
                        self._done.wait()
                item = self._queue.get()
                if item is None:
                    break
                number, batch = item
                results = None
                if not self._stop and self.error is None:
                    try:
                        if con is None:
                            con = self._connect()
                        results = self._rows(con, *batch)
                    except BaseException as e:  # noqa: BLE001 - handed to the caller
                        self.error = e
                with self._done:
                    self._ready[number] = results
                    self._done.notify_all()
        finally:
            with self._done:
                self._running -= 1
                self._done.notify_all()
            if con is not None:
                con.close()

    def _write(self) -> None:
        writers = self.writers
        number = 0
        while True:
            with self._done:
                while number not in self._ready and self._running > 0:
                    self._done.wait()
                if number not in self._ready:
                    return
                results = self._ready.pop(number)
                self._done.notify_all()
            number += 1
            if results is None or self._stop or self.error is not None:
                continue
            try:
                for name, data in results:
                    if isinstance(data, pa.Table):
                        writers[name].write(data)
                    else:
                        for row in data:
                            writers[name].add(row)
            except BaseException as e:  # noqa: BLE001 - handed to the caller
                self.error = e

    def _connect(self):
        import duckdb

        con = duckdb.connect(":memory:")
        con.execute(f"SET threads = {int(self.threads)}")
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        for macro in MACROS:
            con.execute(macro)
        return con

    def _rows(self, con, start, ocids, texts, release_counts, tenders, plain, slow) -> list:
        """[(table, Arrow table or row tuples)] for one batch."""
        n = len(ocids)
        writers = self.writers
        out: list = []
        keys = {
            "source": pa.array([self.source] * n, STR),
            "entity": pa.array([self.entity] * n, STR),
            "ocid": pa.array(ocids, STR),
        }
        compiled = _strings(texts)
        if "releases" in writers:
            out.append(("releases", pa.table({**keys, "compiled_release": compiled})))
        batch = pa.table(
            {
                "idx": pa.array(range(start, start + n), I64),
                "ocid": keys["ocid"],
                "release_count": pa.array(release_counts, I64),
                "has_tender": pa.array(tenders, pa.bool_()),
                "plain": pa.array(plain, pa.bool_()),
                "compiled_release": compiled,
            }
        )
        con.register("batch", batch)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE parsed AS SELECT idx, ocid, release_count, "
            f"has_tender, from_json(compiled_release, '{STRUCTURE}') AS r FROM batch "
            "WHERE plain"
        )
        con.unregister("batch")
        params = {"source": self.source, "entity": self.entity}
        for names, sql in QUERIES.items():
            if isinstance(names, str):
                names = (names,)
            if not any(name in writers for name in names):
                continue
            result = con.sql(sql, params=params).to_arrow_table()
            at = 0
            for name in names:
                width = len(SCHEMAS[name])
                if name in writers:
                    columns = result.columns[at : at + width]
                    out.append((name, pa.Table.from_arrays(columns, names=SCHEMAS[name].names)))
                at += width
        python: dict[str, list[tuple]] = {}
        for idx, text, release_count in slow:
            # As stored: the JSON text (in memory, compiled releases may hold list subclasses).
            release = orjson.loads(text)
            for name, row in rows(release, self.source, self.entity, release_count):
                python.setdefault(name, []).append(row)
            for name, row in flow_rows(release, self.source, self.entity, idx):
                python.setdefault(name, []).append(row)
        out += [(name, found) for name, found in python.items() if name in writers]
        return out
