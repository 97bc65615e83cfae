"""The search of suppliers and buyers: over the per-party search table (`party_search`) when
the snapshot has it, else the old scan of the flows and store tables (`search_scan`)."""

from __future__ import annotations

import duckdb

from . import flows_snapshot
from .database import ACTIVE_AWARD, _rows
from .parties import SUPPLIER_NAMES

# The search over the per-party summary (its projection `party_search`): the same matches (a
# name, without accents and in any case, or the identifier, contains the text), figures and
# order as `search_scan`. Suppliers: every process of a supplier that matches; the table is in
# the order of the results, so the scan stops at the last row of the page. Buyers: the
# processes whose buyer's name (or identifier) matches, with the name of the first of them.
# A text without LIKE's wildcards is looked for with `contains` in the lower-case columns
# (what ILIKE does, but faster); otherwise with ILIKE, as before. The suppliers' inner LIMIT
# without ORDER BY keeps the first matches in the table's order because DuckDB preserves
# insertion order (`preserve_insertion_order`, true by default: never turn it off here).
MATCH = {
    "contains": """(contains(s.id_norm, lower($q)) OR (contains(s.norm, lower(strip_accents($q)))
      AND (s.names IS NULL
           OR len(list_filter(s.names, lambda n: contains(n, lower(strip_accents($q))))) > 0)))""",
    "like": """(s.party_id ILIKE $p OR (s.norm ILIKE strip_accents($p) AND (s.names IS NULL
      OR len(list_filter(s.names, lambda n: n ILIKE strip_accents($p))) > 0)))""",
}
SEARCH_SUPPLIERS = """SELECT * FROM (
    SELECT s.party_id AS id, s.name, s.processes, s.awarded FROM {table} s
    WHERE s.kind = 'supplier' AND {match} LIMIT $end)
ORDER BY processes DESC, id LIMIT $n OFFSET $o"""
SEARCH_BUYERS = """SELECT s.party_id AS id, max(s.name) AS name,
       sum(s.processes)::BIGINT AS processes
FROM {table} s WHERE s.kind = 'buyer_name' AND {match}
GROUP BY s.party_id ORDER BY processes DESC, id LIMIT $n OFFSET $o"""


def search(
    con, q: str, limit: int = 20, offset: int = 0, kinds=("buyers", "suppliers")
) -> dict[str, list[dict]]:
    """Buyers and suppliers (the lists named in `kinds`) whose name or identifier contains
    `q` (case and accents aside), the `limit` with most processes after the first `offset`:
    one query a list over the per-party summary (`parties`), whose cost depends on the
    number of parties, not of processes. Snapshots without the summary are searched as
    before (`search_scan`)."""
    text = q.strip()
    if any(c in text for c in "%_\\"):
        how, params = "like", {"p": f"%{text}%"}
    else:
        how, params = "contains", {"q": text}
    params |= {"n": limit, "o": offset}
    sql = {"table": flows_snapshot.SEARCH_TABLE, "match": MATCH[how]}
    queries = {
        "buyers": (SEARCH_BUYERS, params),
        "suppliers": (SEARCH_SUPPLIERS, params | {"end": limit + offset}),
    }
    try:
        return {
            kind: _rows(con, queries[kind][0].format(**sql), queries[kind][1]) for kind in kinds
        }
    except duckdb.CatalogException:
        found = search_scan(con, q, limit, offset)
        return {kind: found[kind] for kind in kinds}


def search_scan(con, q: str, limit: int = 20, offset: int = 0) -> dict[str, list[dict]]:
    """`search` without the per-party summary: aggregated from the flows and store tables."""
    pattern = f"%{q.strip()}%"
    buyers = _rows(
        con,
        """SELECT buyer_id AS id, max(buyer_name) AS name, count(*) AS processes
        FROM processes WHERE buyer_id IS NOT NULL
          AND (strip_accents(buyer_name) ILIKE strip_accents($p) OR buyer_id ILIKE $p)
        GROUP BY buyer_id ORDER BY processes DESC, buyer_id LIMIT $n OFFSET $o""",
        {"p": pattern, "n": limit, "o": offset},
    )
    # Suppliers and bidders: awarded suppliers, tenderers (named in the tender's tenderers or
    # in the parties, or only identified in the bids) and payees. Names are matched once per
    # distinct (identifier, name); the processes are counted for the matches only.
    suppliers = _rows(
        con,
        f"""WITH named AS ({SUPPLIER_NAMES}),
        bid AS (SELECT ocid, unnest(tenderer_ids) AS id FROM bids),
        m AS (SELECT id FROM named
              WHERE strip_accents(name) ILIKE strip_accents($p) OR id ILIKE $p
              UNION SELECT id FROM bid WHERE id ILIKE $p),
        u AS (SELECT supplier_id AS id, ocid FROM awards WHERE supplier_id IN (SELECT id FROM m)
              UNION ALL SELECT party_id, ocid FROM tenderers WHERE party_id IN (SELECT id FROM m)
              UNION ALL SELECT id, ocid FROM bid WHERE id IN (SELECT id FROM m)
              UNION ALL SELECT payee_id, ocid FROM transactions
                        WHERE payee_id IN (SELECT id FROM m)),
        aw AS (SELECT a.supplier_id AS id, sum(a.amount) AS awarded FROM awards a
               WHERE a.supplier_id IN (SELECT id FROM m) AND {ACTIVE_AWARD} GROUP BY 1),
        nm AS (SELECT id, max(name) AS name FROM named WHERE id IN (SELECT id FROM m) GROUP BY 1)
        SELECT u.id, any_value(nm.name) AS name, count(DISTINCT u.ocid) AS processes,
               any_value(aw.awarded) AS awarded
        FROM u LEFT JOIN aw USING (id) LEFT JOIN nm USING (id)
        GROUP BY u.id ORDER BY processes DESC, u.id LIMIT $n OFFSET $o""",
        {"p": pattern, "n": limit, "o": offset},
    )
    return {"buyers": buyers, "suppliers": suppliers}
