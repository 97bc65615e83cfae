"""One row per buyer and per supplier of the flows snapshot, for the search and page headers.

The search of suppliers and buyers and the headers of their pages used to aggregate the
flows tables (processes, awards, transactions, flags) and the store's tenderers, bids and
parties on every request, which costs time in proportion to the data. Each flows rebuild
(`flows._rebuild`: `cocrea money import`, `cocrea money sync-flows`, the demo loader) now
writes those aggregates once, as ``party_summary.parquet`` in the same snapshot, from the
very views the pages read (`database._open`), with the very expressions the pages used:

    kind               'supplier' (any awarded supplier, tenderer, bidder or payee, or a
                       party with a red flag as a tenderer), 'buyer' (one row per buyer, for
                       its page) or 'buyer_name' (one row per buyer and name, for the search,
                       which counts the processes whose buyer's name matches)
    party_id           its identifier
    name               the name that the pages, the search and the downloads show: the
                       greatest of the party's names (see `analytics`)
    names              its distinct names, without accents and in lower case (the search
                       matches them as ILIKE matched the names themselves)
    listed             in the search (a supplier known only by a red flag is not)
    processes          processes of the search (suppliers: awarded, listed as tenderer,
                       bidding or paid; buyers: as buyer, with that name)
    awarded            a supplier's awarded value for the search (active awards; NULL
                       without any)
    entity, direct     a buyer's entity and its direct awards (method 'limited')
    award_processes, award_rows, award_name, paid, payments, payee_name, flag_rows,
    bid_processes, bids, valid_bids, disqualified_bids, won, lost, disqualified, pending,
    tenderer_name, party_name
                       a supplier page's header (`pages.supplier_detail`)
    first_row          buyers: position of their first process in the processes table

The rows are sorted by kind and identifier, so that the lookup of one party reads one small
row group. The search reads a projection of it, ``party_search.parquet``: the rows of the
search (listed suppliers and buyers' names) with their identifier in lower case
(``id_norm``) and their names joined in one text (``norm``, matched first; ``names`` then
checks each name, only for parties with several), sorted by kind and by processes
(descending) and identifier, the order of the results. So the search
of suppliers reads row groups only until it has the page it shows (`party_search.search`):
a common word costs the first row groups, a text that matches nothing costs a scan of the
parties' names, never of the processes.

The bids of each party in each process, with their result and the process's title, buyer,
method and date (the supplier page's list of bids), are ``party_bids.parquet``, sorted by
party and date (most recent first): a supplier page reads the few row groups of its party
instead of scanning the store's bids.

The other lists of the supplier and buyer pages are three more tables, each sorted by party
so that one party's rows are a few row groups (a page reads them, not the store's awards,
processes and flags):

    party_links      kind ('supplier': its buyers; 'buyer': its suppliers), party_id,
                     other_id and other_name (the buyer or supplier and the greatest of its
                     names), awarded (sum of the active awards) and processes (with an active
                     award); sorted by kind, party, awarded (descending, NULL last) and
                     other_id, the order of the page (`pages._party_links`). One row per
                     pair and direction: both directions are read the same way.
    party_processes  kind ('supplier': the processes with any award to it; 'buyer': its
                     processes), party_id, and each process's ocid, title, method,
                     method_details, date, buyer_name, awarded (sum of all its awards) and
                     flags (its red flags); sorted by kind, party, date (most recent first,
                     NULL last) and ocid, the order of the page (`pages._process_list`).
    party_flags      each buyer's processes' red flags counted by code (party_id, code, n),
                     sorted by buyer and code.

Snapshots written before these tables existed have none: the pages then run the old queries
(`party_search.search_scan`, `pages._supplier_detail_scan` and the buyer's header query;
without ``party_bids`` only the list of bids is scanned, without ``party_links``,
``party_processes`` or ``party_flags`` only those lists), and the next
`cocrea money sync-flows` (no ``--force`` needed) writes a new snapshot with them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from .database import ACTIVE_AWARD, _open
from .flows_snapshot import (
    BIDS_FILE,
    FLAGS_FILE,
    LINKS_FILE,
    PROCESSES_FILE,
    SEARCH_FILE,
    SUMMARY_FILE,
)

ROW_GROUP_ROWS = 8192
# DuckDB's threads and memory while building (beyond it, its sorts and joins spill to the work
# directory), so that the peak memory of an import does not grow with the number of parties.
# Each thread of a sort pins blocks of its own: with 1M processes, two threads built in 20.6 s
# within 400 MB (572 MiB peak) and ran out of 256 MB, one thread built in 37.5 s within 256 MB
# (425 MiB). So two threads first, and one if two run out of memory.
ATTEMPTS = ((2, "400MB"), (1, "256MB"))
SUM = pa.decimal128(38, 2)
SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("party_id", pa.string()),
        ("name", pa.string()),
        ("names", pa.list_(pa.string())),
        ("listed", pa.bool_()),
        ("processes", pa.int64()),
        ("awarded", SUM),
        ("entity", pa.string()),
        ("direct", pa.int64()),
        ("award_processes", pa.int64()),
        ("award_rows", pa.int64()),
        ("award_name", pa.string()),
        ("paid", SUM),
        ("payments", pa.int64()),
        ("payee_name", pa.string()),
        ("flag_rows", pa.int64()),
        ("bid_processes", pa.int64()),
        ("bids", pa.int64()),
        ("valid_bids", pa.int64()),
        ("disqualified_bids", pa.int64()),
        ("won", pa.int64()),
        ("lost", pa.int64()),
        ("disqualified", pa.int64()),
        ("pending", pa.int64()),
        ("tenderer_name", pa.string()),
        ("party_name", pa.string()),
        ("first_row", pa.int64()),
    ]
)
BID_TOTALS = (
    "bid_processes", "bids", "valid_bids", "disqualified_bids",
    "won", "lost", "disqualified", "pending",
)  # fmt: skip


def _bids_sql() -> str:
    """Each party's bids in each process, as the supplier page lists them
    (`pages.PARTY_BIDS` for every party at once), with the process's columns: one
    aggregate of the bids (a row per tenderer of each bid) and of the tenderers, joined with
    the active awards and the processes by ocid."""
    return f"""WITH
    x AS (
        SELECT id, ocid, status, value_amount, value_currency, NULL::VARCHAR AS name,
               true AS is_bid
        FROM (SELECT ocid, status, value_amount, value_currency,
                     unnest(list_distinct(tenderer_ids)) AS id FROM bids)
        WHERE id IS NOT NULL
        UNION ALL
        SELECT party_id, ocid, NULL, NULL, NULL, name, false FROM tenderers
        WHERE party_id IS NOT NULL),
    o AS (
        SELECT id, ocid, count(*) FILTER (WHERE is_bid) AS bids,
               count(*) FILTER (WHERE is_bid AND status = 'disqualified') AS disqualified_bids,
               count(*) FILTER (WHERE is_bid AND status = 'valid') AS valid_bids,
               sum(value_amount) FILTER (WHERE is_bid
                                         AND coalesce(value_currency, 'MXN') = 'MXN')
                 AS bid_amount,
               max(name) FILTER (WHERE NOT is_bid) AS name
        FROM x GROUP BY id, ocid),
    decided AS (SELECT a.ocid, list(DISTINCT a.supplier_id) AS winners FROM awards a
                WHERE {ACTIVE_AWARD} GROUP BY a.ocid)
    SELECT o.id AS party_id, o.ocid, o.bids, o.disqualified_bids, o.valid_bids, o.bid_amount,
           o.name,
           CASE WHEN list_contains(d.winners, o.id) THEN 'won'
                WHEN o.bids > 0 AND o.disqualified_bids = o.bids THEN 'disqualified'
                WHEN d.ocid IS NOT NULL THEN 'lost'
                ELSE 'pending' END AS result,
           p.title, p.buyer_id, p.buyer_name, p.method, p.method_details, p.date
    FROM o LEFT JOIN decided d ON d.ocid = o.ocid LEFT JOIN processes p ON p.ocid = o.ocid"""


def _lists_sql() -> list[tuple[str, str, str]]:
    """(file, SELECT, ORDER BY) of the lists of the supplier and buyer pages, the same rows
    as `pages._party_links`, `pages._process_list` and `pages._party_flags`
    query for one party (their fallbacks), for every party at once."""
    # The awards of each supplier to each buyer, first per process (so that the processes
    # are counted without a DISTINCT aggregate), then per pair.
    links = f"""WITH
    j AS (SELECT a.supplier_id, p.buyer_id, a.ocid, sum(a.amount) AS amount,
                 max(a.supplier_name) AS supplier_name, max(p.buyer_name) AS buyer_name
          FROM awards a JOIN processes p USING (ocid) WHERE {ACTIVE_AWARD}
          GROUP BY a.supplier_id, p.buyer_id, a.ocid),
    l AS (SELECT supplier_id, buyer_id, max(supplier_name) AS supplier_name,
                 max(buyer_name) AS buyer_name, sum(amount) AS awarded, count(*) AS processes
          FROM j GROUP BY supplier_id, buyer_id)
    SELECT 'supplier' AS kind, supplier_id AS party_id, buyer_id AS other_id,
           buyer_name AS other_name, CAST(awarded AS DECIMAL(38, 2)) AS awarded, processes
    FROM l WHERE supplier_id IS NOT NULL
    UNION ALL
    SELECT 'buyer', buyer_id, supplier_id, supplier_name, CAST(awarded AS DECIMAL(38, 2)),
           processes
    FROM l WHERE buyer_id IS NOT NULL"""
    # Each process once with its figures, then joined with its parties: its buyer and each
    # supplier with an award in it (whatever the award's status).
    processes = """WITH
    aw AS (SELECT ocid, sum(amount) AS awarded FROM awards GROUP BY ocid),
    fl AS (SELECT key AS ocid, count(*) AS flags FROM flags WHERE grp = 'OCID' GROUP BY key),
    pp AS (SELECT p.ocid, p.title, p.method, p.method_details, p.date, p.buyer_name,
                  CAST(aw.awarded AS DECIMAL(38, 2)) AS awarded,
                  coalesce(fl.flags, 0)::BIGINT AS flags
           FROM processes p LEFT JOIN aw USING (ocid) LEFT JOIN fl USING (ocid)),
    k AS (SELECT 'buyer' AS kind, buyer_id AS party_id, ocid FROM processes
          WHERE buyer_id IS NOT NULL
          UNION ALL
          SELECT DISTINCT 'supplier', supplier_id, ocid FROM awards
          WHERE supplier_id IS NOT NULL)
    SELECT k.kind, k.party_id, pp.* FROM k JOIN pp USING (ocid)"""
    flags = """SELECT p.buyer_id AS party_id, f.code, count(*) AS n
    FROM flags f JOIN processes p ON f.key = p.ocid
    WHERE f.grp = 'OCID' AND p.buyer_id IS NOT NULL GROUP BY p.buyer_id, f.code"""
    return [
        (LINKS_FILE, links, "kind, party_id, awarded DESC NULLS LAST, other_id NULLS LAST"),
        (PROCESSES_FILE, processes, "kind, party_id, date DESC NULLS LAST, ocid"),
        (FLAGS_FILE, flags, "party_id, code NULLS LAST"),
    ]


# Every (identifier, name) under which a supplier or bidder appears: awarded suppliers,
# tenderers (in the tender or in the parties) and payees; the search and the summary share it.
SUPPLIER_NAMES = """SELECT DISTINCT id, name FROM (
        SELECT supplier_id AS id, supplier_name AS name FROM awards
        UNION ALL SELECT party_id, name FROM tenderers
        UNION ALL SELECT party_id, name FROM parties
                  WHERE list_contains(roles, 'tenderer') OR list_contains(roles, 'supplier')
        UNION ALL SELECT payee_id, payee_name FROM transactions)
    WHERE id IS NOT NULL"""


def _sql() -> str:
    norm = "list_sort(list_distinct(list(lower(strip_accents({})))))"
    return f"""WITH
    -- The search's universe and figures (see `party_search.search_scan`).
    named AS ({SUPPLIER_NAMES}),
    nm AS (SELECT id, max(name) AS name, {norm.format("name")} AS names FROM named GROUP BY id),
    -- (the bidders and listed tenderers of each process are the rows of party_bids_t)
    u AS (SELECT supplier_id AS id, ocid FROM awards WHERE supplier_id IS NOT NULL
          UNION ALL SELECT party_id, ocid FROM party_bids_t
          UNION ALL SELECT payee_id, ocid FROM transactions WHERE payee_id IS NOT NULL),
    us AS (SELECT id, count(DISTINCT ocid) AS processes FROM u GROUP BY id),
    -- A supplier page's header (see `pages.supplier_detail`).
    aw AS (SELECT a.supplier_id AS id,
                  sum(a.amount) FILTER (WHERE {ACTIVE_AWARD}) AS awarded,
                  count(DISTINCT a.ocid) FILTER (WHERE {ACTIVE_AWARD}) AS award_processes,
                  count(*) AS award_rows, max(a.supplier_name) AS award_name
           FROM awards a WHERE a.supplier_id IS NOT NULL GROUP BY 1),
    pay AS (SELECT payee_id AS id, coalesce(sum(amount), 0) AS paid, count(*) AS payments,
                   max(payee_name) AS payee_name
            FROM transactions WHERE payee_id IS NOT NULL GROUP BY 1),
    fl AS (SELECT key AS id, count(*) AS flag_rows FROM flags
           WHERE grp = 'Tenderer' AND key IS NOT NULL GROUP BY 1),
    bt AS (SELECT party_id AS id, count(*) AS bid_processes, sum(bids) AS bids,
                  sum(valid_bids) AS valid_bids, sum(disqualified_bids) AS disqualified_bids,
                  count(*) FILTER (WHERE result = 'won') AS won,
                  count(*) FILTER (WHERE result = 'lost') AS lost,
                  count(*) FILTER (WHERE result = 'disqualified') AS disqualified,
                  count(*) FILTER (WHERE result = 'pending') AS pending,
                  max(name) AS tenderer_name
           FROM party_bids_t GROUP BY party_id),
    ids AS (SELECT id FROM us UNION SELECT id FROM fl),
    pn AS (SELECT party_id AS id, max(name) AS party_name FROM parties
           WHERE name IS NOT NULL AND party_id IN (SELECT id FROM ids) GROUP BY 1),
    suppliers AS (
        SELECT 'supplier' AS kind, ids.id AS party_id, nm.name, coalesce(nm.names, []) AS names,
               us.id IS NOT NULL AS listed, coalesce(us.processes, 0) AS processes,
               aw.awarded, NULL AS entity, NULL::BIGINT AS direct,
               coalesce(aw.award_processes, 0) AS award_processes,
               coalesce(aw.award_rows, 0) AS award_rows, aw.award_name,
               coalesce(pay.paid, 0) AS paid, coalesce(pay.payments, 0) AS payments,
               pay.payee_name, coalesce(fl.flag_rows, 0) AS flag_rows,
               coalesce(bt.bid_processes, 0) AS bid_processes, coalesce(bt.bids, 0) AS bids,
               coalesce(bt.valid_bids, 0) AS valid_bids,
               coalesce(bt.disqualified_bids, 0) AS disqualified_bids,
               coalesce(bt.won, 0) AS won, coalesce(bt.lost, 0) AS lost,
               coalesce(bt.disqualified, 0) AS disqualified, coalesce(bt.pending, 0) AS pending,
               bt.tenderer_name, pn.party_name
        FROM ids LEFT JOIN us USING (id) LEFT JOIN nm USING (id) LEFT JOIN aw USING (id)
        LEFT JOIN pay USING (id) LEFT JOIN fl USING (id) LEFT JOIN bt USING (id)
        LEFT JOIN pn USING (id)),
    -- A buyer's page header: one row per buyer (the greatest of its names; its entity that
    -- of its first process in the table's order, as the page's any_value read it).
    buyers AS (
        SELECT 'buyer' AS kind, buyer_id AS party_id,
               max(buyer_name) AS name, [] AS names, false AS listed, count(*) AS processes,
               arg_min(entity, pos) FILTER (WHERE entity IS NOT NULL) AS entity,
               count(*) FILTER (WHERE method = 'limited') AS direct, min(pos) AS first_row
        FROM processes_n WHERE buyer_id IS NOT NULL GROUP BY buyer_id),
    -- The search of buyers counts the processes whose buyer's name (or identifier) matches:
    -- one row per buyer and name.
    buyer_names AS (
        SELECT 'buyer_name' AS kind, buyer_id AS party_id, buyer_name AS name,
               CASE WHEN buyer_name IS NULL THEN []
                    ELSE [lower(strip_accents(buyer_name))] END AS names,
               true AS listed, count(*) AS processes, min(pos) AS first_row
        FROM processes_n WHERE buyer_id IS NOT NULL GROUP BY buyer_id, buyer_name)
    SELECT * FROM suppliers
    UNION ALL BY NAME SELECT * FROM buyers
    UNION ALL BY NAME SELECT * FROM buyer_names"""


OPTIONS = f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_ROWS})"


def _connect(flows: Path, contracting: Path | None, work: Path, threads: int, memory: str):
    """A DuckDB connection over the flows directory and the store snapshot, with the build's
    threads and memory limit (its sorts and joins spill to ``work``)."""
    con = _open((), flows, contracting)
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"SET temp_directory = '{_q(work)}'")
        con.execute(f"SET memory_limit = '{memory}'")
        con.execute(f"SET threads = {int(threads)}")
    except BaseException:
        con.close()
        raise
    return con


def write_lists(con, flows: Path) -> None:
    """Write ``party_links``, ``party_processes`` and ``party_flags`` into ``flows`` (each
    sorted straight to Parquet, so that the sorts spill instead of growing in memory)."""
    for name, select, order in _lists_sql():
        tmp = flows / f".{name}.tmp"
        con.execute(f"COPY ({select} ORDER BY {order}) TO '{_q(tmp)}' {OPTIONS}")
        tmp.rename(flows / name)


def build(flows: Path, contracting: Path | None, work: Path) -> int:
    """Write ``party_summary.parquet``, ``party_search.parquet``, ``party_bids.parquet``
    and the lists of the pages (`write_lists`) into the flows directory ``flows`` (its
    processes, awards, transactions and flags already written), from it and the store
    snapshot ``contracting``; return the number of rows of the summary. Tries each of
    `ATTEMPTS` in turn while DuckDB runs out of memory (each writes every file anew)."""
    for threads, memory in ATTEMPTS[:-1]:
        try:
            return _build(flows, contracting, work, threads, memory)
        except duckdb.OutOfMemoryException:
            pass
    return _build(flows, contracting, work, *ATTEMPTS[-1])


def _build(flows: Path, contracting: Path | None, work: Path, threads: int, memory: str) -> int:
    con = _connect(flows, contracting, work, threads, memory)
    try:
        options = OPTIONS
        write_lists(con, flows)
        con.execute(
            "CREATE VIEW processes_n AS SELECT *, file_row_number AS pos FROM "
            f"read_parquet('{_q(flows / 'processes.parquet')}', file_row_number = true)"
        )
        # Each party's bids first, straight to Parquet (their widest rows are then not held
        # in memory); the summary reads them back.
        bids_tmp = flows / f".{BIDS_FILE}.tmp"
        con.execute(
            f"COPY ({_bids_sql()} ORDER BY party_id, date DESC NULLS LAST, ocid) "
            f"TO '{_q(bids_tmp)}' {options}"
        )
        con.execute(f"CREATE VIEW party_bids_t AS SELECT * FROM read_parquet('{_q(bids_tmp)}')")
        columns = ", ".join(f"CAST({f.name} AS {_duck(f.type)}) AS {f.name}" for f in SCHEMA)
        con.execute(f"CREATE TEMP TABLE summary AS SELECT {columns} FROM ({_sql()})")
        search = (
            "SELECT kind, party_id, lower(party_id) AS id_norm, name, CASE WHEN len(names) > 0 "
            "THEN array_to_string(names, chr(10)) END AS norm, "
            "CASE WHEN len(names) > 1 THEN names END AS names, processes, awarded, first_row "
            "FROM summary WHERE listed"
        )
        for name, select, order in (
            (SUMMARY_FILE, "SELECT * FROM summary", "kind, party_id, first_row"),
            (SEARCH_FILE, search, "kind, processes DESC, party_id, first_row"),
        ):
            tmp = flows / f".{name}.tmp"
            con.execute(f"COPY ({select} ORDER BY {order}) TO '{_q(tmp)}' {options}")
            tmp.rename(flows / name)
        (rows,) = con.execute("SELECT count(*) FROM summary").fetchone()
    finally:
        con.close()
    bids_tmp.rename(flows / BIDS_FILE)
    return rows


def _duck(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return f"{_duck(t.value_type)}[]"
    if pa.types.is_decimal(t):
        return f"DECIMAL({t.precision}, {t.scale})"
    return {
        pa.string(): "VARCHAR",
        pa.bool_(): "BOOLEAN",
        pa.int64(): "BIGINT",
    }[t]


def _q(path) -> str:
    return str(path).replace("'", "''")
