"""Open-data lists of Sigue el Dinero: the same rows as CSV downloads and as paginated JSON.

Each `Table` is one dataset of the catalogue (/datos/): its output columns, the SQL that
selects them from the current snapshots (the read-only DuckDB views of `database.connect()`),
its filters and a total order (so pages of `limit`/`offset` never overlap nor skip rows).

No personal data: the budget lines are administrative units; the contracting tables hold
organisations (buyers, suppliers, payees) by identifier and name, never contact points
(the parties' e-mails, phones or contact names are not read). The directories of suppliers
and buyers (`SUPPLIERS`, `BUYERS`) read the per-party summary (`parties`): snapshots written
before it existed have none, and those two tables are then unavailable (`available`; empty
pages, no download).

`page()` runs two bounded queries (a count and one page of at most `MAX_LIMIT` rows);
`stream()` fetches the whole table in batches of `BATCH` rows, for the CSV downloads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import duckdb

from ..analytics import database, flows_snapshot
from ..budget import fiscal, moments
from ..redflags import EXPLANATIONS

MAX_LIMIT = 5000
BATCH = 5000


@dataclass(frozen=True)
class Table:
    name: str  # file name without extension: presupuesto, procesos, adjudicaciones...
    columns: tuple[str, ...]
    select: str  # the columns, in order, as SQL expressions
    source: str  # FROM ... (with JOINs)
    order: str
    filters: dict[str, str] = field(default_factory=dict)  # filter -> predicate using $filter
    row: Callable | None = None  # turns a fetched tuple into the output tuple
    where: str = ""  # a predicate every query of the table applies


# Entity and year of a process (the pages' scope): awards, contracts and payments inherit them.
SCOPE = {"entity": "p.entity = $entity", "year": "p.year = $year", "ocid": "p.ocid = $ocid"}
_PROCESSES_IN_SCOPE = "SELECT ocid FROM processes p WHERE {where}"


def _flag_row(row: tuple) -> tuple:
    info = EXPLANATIONS.get(row[2])
    return (*row, str(info["title"]) if info else row[2])


BUDGET = Table(
    "presupuesto",
    tuple(fiscal.EXPORT_COLUMNS),
    ", ".join(fiscal.EXPORT_COLUMNS),
    "budget_lines b",
    "entidad, ciclo, clave_programa, source, line",
    {
        "entity": "b.entidad = $entity",
        "year": "b.ciclo = $year",
        "program": "b.clave_programa = $program",
        "municipio": "b.municipio = $municipio",
    },
)
PROCESSES = Table(
    "procesos",
    (
        "ocid",
        "entity",
        "buyer_id",
        "buyer_name",
        "title",
        "method",
        "method_details",
        "project_id",
        "project",
        "tender_value",
        "date",
        "year",
    ),  # fmt: skip
    "p.ocid, p.entity, p.buyer_id, p.buyer_name, p.title, p.method, p.method_details, "
    "p.project_id, p.project, p.tender_value, p.date, p.year",
    "processes p",
    "p.ocid",
    {
        **SCOPE,
        "buyer": "p.buyer_id = $buyer",
        "supplier": "p.ocid IN (SELECT ocid FROM awards WHERE supplier_id = $supplier)",
        "method": "p.method = $method",
        "program": "(p.project_id = $program OR p.project = $program)",
    },
)
AWARDS = Table(
    "adjudicaciones",
    (
        "ocid",
        "entity",
        "year",
        "award_id",
        "status",
        "date",
        "amount",
        "supplier_id",
        "supplier_name",
    ),  # fmt: skip
    "a.ocid, p.entity, p.year, a.award_id, a.status, a.date, a.amount, a.supplier_id, "
    "a.supplier_name",
    "awards a LEFT JOIN processes p ON p.ocid = a.ocid",
    "a.ocid, a.award_id, a.supplier_id, a.supplier_name, a.status, a.date, a.amount",
    {**SCOPE, "ocid": "a.ocid = $ocid", "supplier": "a.supplier_id = $supplier"},
)
CONTRACTS = Table(
    "contratos",
    ("ocid", "entity", "year", "contract_id", "award_id", "status", "date_signed", "amount"),
    "c.ocid, p.entity, p.year, c.contract_id, c.award_id, c.status, c.date_signed, c.amount",
    "contracts c LEFT JOIN processes p ON p.ocid = c.ocid",
    "c.ocid, c.contract_id, c.award_id, c.status, c.date_signed, c.amount",
    {**SCOPE, "ocid": "c.ocid = $ocid"},
)
PAYMENTS = Table(
    "pagos",
    (
        "ocid",
        "entity",
        "year",
        "contract_id",
        "transaction_id",
        "date",
        "amount",
        "payee_id",
        "payee_name",
    ),  # fmt: skip
    "t.ocid, p.entity, p.year, t.contract_id, t.transaction_id, t.date, t.amount, t.payee_id, "
    "t.payee_name",
    "transactions t LEFT JOIN processes p ON p.ocid = t.ocid",
    "t.ocid, t.contract_id, t.transaction_id, t.date, t.amount, t.payee_id, t.payee_name",
    {**SCOPE, "ocid": "t.ocid = $ocid", "payee": "t.payee_id = $payee"},
)
# A flag is about a process (OCID), a buyer (Buyer, ProcuringEntity) or a bidder (Tenderer);
# entity and year keep the flags of the processes, buyers and bidders of that scope.
_FLAG_SCOPE = (
    "((f.grp = 'OCID' AND f.key IN ({processes})) "
    "OR (f.grp IN ('Buyer', 'ProcuringEntity') AND f.key IN "
    "(SELECT buyer_id FROM processes p WHERE {where})) "
    "OR (f.grp = 'Tenderer' AND f.key IN (SELECT supplier_id FROM awards "
    "WHERE ocid IN ({processes}) UNION SELECT party_id FROM tenderers "
    "WHERE ocid IN ({processes}))))"
)
FLAGS = Table(
    "banderas",
    ("group", "key", "code", "value", "title"),
    'f.grp AS "group", f.key, f.code, f.value',
    "flags f",
    "f.grp, f.key, f.code, f.value",
    {
        "ocid": "f.grp = 'OCID' AND f.key = $ocid",
        "group": "f.grp = $group",
        "code": "f.code = $code",
    },
    row=_flag_row,
)
# The directory of parties: one row per supplier (or bidder, payee, flagged tenderer: every
# party with a supplier page) and per buyer, with the public figures of the per-party summary
# (`parties`, written with each flows snapshot). Identifier and name only, never contacts.
SUPPLIERS = Table(
    "proveedores",
    (
        "supplier_id",
        "name",
        "processes",
        "award_processes",
        "awarded",
        "paid",
        "payments",
        "bid_processes",
        "bids",
        "valid_bids",
        "disqualified_bids",
        "won",
        "lost",
        "disqualified",
        "pending",
        "flags",
    ),  # fmt: skip
    # The name of the supplier's page (`pages.supplier_detail`), else the search's.
    "s.party_id, coalesce(s.award_name, s.payee_name, s.tenderer_name, s.party_name, s.name), "
    "s.processes, s.award_processes, coalesce(s.awarded, 0), s.paid, s.payments, "
    "s.bid_processes, s.bids, s.valid_bids, s.disqualified_bids, s.won, s.lost, "
    "s.disqualified, s.pending, s.flag_rows",
    f"{flows_snapshot.SUMMARY_TABLE} s",
    "s.party_id",
    where="s.kind = 'supplier'",
)
BUYERS = Table(
    "compradores",
    ("buyer_id", "name", "entity", "processes", "direct", "flags"),
    "s.party_id, s.name, s.entity, s.processes, s.direct, coalesce(f.n, 0)",
    f"{flows_snapshot.SUMMARY_TABLE} s LEFT JOIN (SELECT key, count(*) AS n FROM flags "
    "WHERE grp IN ('Buyer', 'ProcuringEntity') GROUP BY key) f ON f.key = s.party_id",
    "s.party_id",
    {"entity": "s.entity = $entity"},
    where="s.kind = 'buyer'",
)
TABLES = {
    t.name: t for t in (BUDGET, PROCESSES, AWARDS, CONTRACTS, PAYMENTS, FLAGS, SUPPLIERS, BUYERS)
}
# Tables read from the per-party summary: absent from snapshots written before it existed
# (and with no data at all), where they are unavailable (empty lists, no download).
PARTY_TABLES = {SUPPLIERS.name, BUYERS.name}


def available(name: str) -> bool:
    """Whether the current snapshots have the table (the downloads page and the CSV)."""
    if name in PARTY_TABLES:
        snap = flows_snapshot.current_snapshot()
        return snap is not None and (snap / flows_snapshot.SUMMARY_FILE).exists()
    if name == BUDGET.name:
        return moments.current_snapshot() is not None
    return flows_snapshot.current_snapshot() is not None


def _where(table: Table, filters: dict) -> tuple[str, dict]:
    given = {k: v for k, v in filters.items() if v is not None and v != ""}
    unknown = set(given) - set(table.filters) - ({"entity", "year"} if table is FLAGS else set())
    if unknown:
        raise ValueError(f"unknown filters for {table.name}: {sorted(unknown)}")
    clauses = [table.where] if table.where else []
    clauses += [table.filters[k] for k in given if k in table.filters]
    if table is FLAGS and ({"entity", "year"} & set(given)):
        where = " AND ".join(SCOPE[k] for k in ("entity", "year") if k in given)
        processes = _PROCESSES_IN_SCOPE.format(where=where)
        clauses.append(_FLAG_SCOPE.format(processes=processes, where=where))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), given


def _sql(table: Table, filters: dict) -> tuple[str, dict]:
    where, params = _where(table, filters)
    return f"SELECT {table.select} FROM {table.source}{where} ORDER BY {table.order}", params


def _out(table: Table, rows: list[tuple]) -> list[tuple]:
    return [table.row(r) for r in rows] if table.row else rows


def page(name: str, filters: dict, limit: int, offset: int) -> tuple[int, list[dict]]:
    """(total rows matching `filters`, the rows offset..offset+limit as dicts)."""
    table = TABLES[name]
    limit = max(1, min(limit, MAX_LIMIT))
    sql, params = _sql(table, filters)
    con = database.connect()
    try:
        where, _ = _where(table, filters)
        try:
            total = con.execute(f"SELECT count(*) FROM {table.source}{where}", params).fetchone()[0]
        except duckdb.CatalogException:
            if name not in PARTY_TABLES:
                raise
            return 0, []  # a snapshot without the per-party summary
        rows = []
        if offset < total:
            rows = con.execute(f"{sql} LIMIT {int(limit)} OFFSET {int(offset)}", params).fetchall()
    finally:
        con.close()
    return total, [dict(zip(table.columns, r, strict=True)) for r in _out(table, rows)]


def stream(name: str, filters: dict | None = None) -> Iterator[tuple]:
    """Every row of the table (filtered), fetched `BATCH` rows at a time."""
    table = TABLES[name]
    sql, params = _sql(table, filters or {})
    con = database.connect()
    try:
        cur = con.execute(sql, params)
        while batch := cur.fetchmany(BATCH):
            yield from _out(table, batch)
    finally:
        con.close()
