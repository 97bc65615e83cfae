"""The DuckDB database the queries run on: read-only views over the current snapshots.

Every query (`figures`, `findings`, `pages`, `party_search`) takes an open connection from
`connect()` (views over the current budget and flows snapshots, the per-party summary of the
flows snapshot (`parties`), and the bids, tenderers and parties of the contracting store;
empty typed tables when there is no data yet) and a `Scope` (entity, year and, for a programme, its claves and hand-linked OCIDs).
Each page runs a fixed, small number of queries whose results are bounded by LIMITs,
whatever the size of the data.

Of the several names that a party (or a budget programme) may have, pages, lists, the search
and the downloads show the greatest (``max``), as the per-party summary does (`parties`):
``any_value`` would show whichever DuckDB's threads read first, and a page could change from
one request to the next.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import pyarrow as pa

from ..budget import moments
from ..store import snapshots
from . import flows_snapshot

ZERO = Decimal("0.00")
MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]


@dataclass
class Scope:
    entity: str | None = None
    year: int | None = None
    claves: list[str] | None = None  # a programme's claves (None = not a programme)
    ocids: list[str] = field(default_factory=list)  # hand-linked processes
    # A municipality: its own budget lines and the processes of the buyers tied to it.
    municipality: str | None = None
    buyers: list[str] = field(default_factory=list)

    @property
    def params(self) -> dict:
        return {
            "entity": self.entity,
            "municipality": self.municipality,
            "buyers": list(self.buyers) or [""],
            "year": self.year,
            "is_program": self.claves is not None,
            "claves": list(self.claves or []) or [""],
            "ocids": list(self.ocids) or [""],
        }


SCOPED = """
sp AS MATERIALIZED (
    SELECT * FROM processes
    WHERE ($entity IS NULL OR entity = $entity)
      AND ($municipality IS NULL OR list_contains($buyers, buyer_id))
      AND ($year IS NULL OR year = $year)
      AND (NOT $is_program OR list_contains($claves, project_id)
           OR list_contains($claves, project) OR list_contains($ocids, ocid))
)"""
SCOPED_BUDGET = """
sb AS MATERIALIZED (
    SELECT * FROM budget_lines
    WHERE ($entity IS NULL OR entidad = $entity)
      AND ($municipality IS NULL OR municipio = $municipality)
      AND ($year IS NULL OR ciclo = $year)
      AND (NOT $is_program OR list_contains($claves, clave_programa))
)"""


_local = threading.local()


def connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB cursor with read-only views over the current snapshots; close it when done.

    Reads never rebuild anything: the flows tables are derived by the writers
    (`cocrea money import`, `cocrea money sync-flows`, the demo loader). Opening a DuckDB
    database costs tens of milliseconds, so each thread keeps one in-memory database per set
    of snapshot files and hands out cursors (which share its views).
    """
    budget_files = tuple(str(f) for f in moments.current_files())
    flows = flows_snapshot.current_snapshot()
    contracting = snapshots.current_snapshot()
    key = (budget_files, str(flows), str(contracting))
    cached = getattr(_local, "database", None)
    if cached is None or cached[0] != key:
        if cached is not None:
            cached[1].close()
        _local.database = (key, _open(budget_files, flows, contracting))
    return _local.database[1].cursor()


# Tables of the contracting store (not derived into the flows tables) that the pages read:
# the bids and the tenderers of each process, and its parties (for the names of bidders).
STORE_TABLES = ("bids", "tenderers", "parties")


def _open(budget_files: tuple[str, ...], flows, contracting=None) -> duckdb.DuckDBPyConnection:

    con = duckdb.connect()
    for name in STORE_TABLES:
        files = sorted((contracting / name).glob("*.parquet")) if contracting else []
        if files:
            paths = ", ".join(f"'{_q(f)}'" for f in files)
            con.execute(
                f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{paths}], union_by_name=true)"
            )
        else:
            empty = snapshots.TABLES[name].empty_table()  # noqa: F841 - read by DuckDB's scan
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM empty")
    if budget_files:
        con.execute(
            f"CREATE VIEW budget_lines AS SELECT * FROM {moments.read_parquet_sql(budget_files)}"
        )
    else:
        empty = moments.SCHEMA.empty_table()  # noqa: F841 - read by DuckDB's replacement scan
        con.execute("CREATE TABLE budget_lines AS SELECT * FROM empty")
    for name in flows_snapshot.TABLES:
        path = flows / f"{name}.parquet" if flows is not None else None
        if path is not None and path.exists():
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{_q(path)}')")
        else:
            empty = flows_snapshot.SCHEMAS[name].empty_table()  # noqa: F841
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM empty")
    # The per-party summary and lists (`parties`): absent from snapshots written before they
    # existed, and then no view, so that the search and pages fall back to their old queries.
    for table, file in flows_snapshot.PARTY_TABLES:
        path = flows / file if flows is not None else None
        if path is not None and path.exists():
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{_q(path)}')")
    return con


def _q(path) -> str:
    return str(path).replace("'", "''")


def _rows(con, sql: str, params: dict | list | None = None) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _used(sql: str, params: dict) -> dict:
    """Only the named parameters that the statement uses (DuckDB rejects unused ones)."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def query(con, sql: str, scope: Scope) -> list[dict]:
    return _rows(con, sql, _used(sql, scope.params))


# --- Budget ----------------------------------------------------------------------------------


# --- Contracting ------------------------------------------------------------------------------

ACTIVE_AWARD = "coalesce(a.status, 'active') NOT IN ('cancelled', 'unsuccessful', 'pending')"


def empty_arrow(name: str) -> pa.Table:
    return flows_snapshot.SCHEMAS[name].empty_table()
