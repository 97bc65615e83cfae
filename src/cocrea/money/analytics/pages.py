"""The data of one process, buyer or supplier page: its header, lists and bids, read from
the per-party tables of the flows snapshot, or scanned from the flows tables when an older
snapshot has none (`parties`)."""

from __future__ import annotations

import duckdb
from django.utils.translation import gettext_lazy as _

from ..redflags import EXPLANATIONS
from ..store import snapshots
from . import flows_snapshot
from .database import ACTIVE_AWARD, ZERO, _rows
from .findings import flags_for
from .parties import BID_TOTALS, SUPPLIER_NAMES

# --- Process, buyer and supplier --------------------------------------------------------------


def process_detail(con, ocid: str) -> dict | None:
    rows = _rows(con, "SELECT * FROM processes WHERE ocid = $ocid", {"ocid": ocid})
    if not rows:
        return None
    detail = rows[0]
    params = {"ocid": ocid}
    detail["awards"] = _rows(
        con, "SELECT * FROM awards WHERE ocid = $ocid ORDER BY award_id, supplier_id", params
    )
    detail["contracts"] = _rows(
        con, "SELECT * FROM contracts WHERE ocid = $ocid ORDER BY contract_id", params
    )
    detail["transactions"] = _rows(
        con,
        "SELECT * FROM transactions WHERE ocid = $ocid ORDER BY date, transaction_id LIMIT 500",
        params,
    )
    detail["bids"] = _rows(
        con,
        """WITH b AS (
            SELECT bid_id, status, value_amount, value_currency,
                   unnest(CASE WHEN len(tenderer_ids) > 0 THEN tenderer_ids
                               ELSE [NULL::VARCHAR] END) AS tenderer_id
            FROM bids WHERE ocid = $ocid),
        n AS (SELECT party_id, max(name) AS name FROM parties
              WHERE ocid = $ocid GROUP BY party_id)
        SELECT b.*, n.name AS tenderer_name FROM b LEFT JOIN n ON n.party_id = b.tenderer_id
        ORDER BY b.value_amount NULLS LAST, b.bid_id, b.tenderer_id LIMIT 500""",
        params,
    )
    detail["flags"] = flags_for(con, "OCID", ocid)
    detail["paid"] = sum((t["amount"] or ZERO for t in detail["transactions"]), ZERO)
    detail["awarded"] = sum((a["amount"] or ZERO for a in detail["awards"]), ZERO)
    return detail


def compiled_release(ocid: str) -> bytes | None:
    """The compiled release of a process as stored by `cocrea money import` (JSON bytes),
    without contact points (personal data, see `ocds.privacy`)."""
    from ..ocds.privacy import public_json

    if snapshots.current_snapshot() is None:
        return None
    rows = snapshots.query(
        "SELECT compiled_release FROM releases WHERE ocid = ? ORDER BY source LIMIT 1", [ocid]
    )
    return public_json(rows[0]["compiled_release"].encode()) if rows else None


def _summary_row(con, kind: str, party_id: str, columns: str) -> dict | None | bool:
    """The party's row of the per-party summary (`parties`): None when it has none, False
    when the snapshot has no summary (written before it existed)."""
    try:
        rows = _rows(
            con,
            f"SELECT {columns} FROM {flows_snapshot.SUMMARY_TABLE} WHERE kind = $kind AND party_id = $id",
            {"kind": kind, "id": party_id},
        )
    except duckdb.CatalogException:
        return False
    return rows[0] if rows else None


def buyer_detail(con, buyer_id: str, limit: int = 50) -> dict | None:
    """A buyer: its header from the per-party summary (or, in older snapshots, counted from
    the processes), its suppliers, processes and red flags.

    The lists (its 20 suppliers with most awarded, its `limit` most recent processes and its
    processes' red flags by code) are the buyer's rows of the per-party lists (`parties`:
    ``party_links``, ``party_processes``, ``party_flags``), a few row groups each; snapshots
    without them query the awards, processes and flags as before (`_party_links`,
    `_process_list`, `_party_flags`). Five bounded queries whatever the size of the data."""
    header = _summary_row(
        con, "buyer", buyer_id, "party_id AS buyer_id, name, entity, processes, direct"
    )
    if header is False:
        rows = _rows(
            con,
            "SELECT buyer_id, max(buyer_name) AS name, any_value(entity) AS entity, "
            "count(*) AS processes, count(*) FILTER (WHERE method = 'limited') AS direct "
            "FROM processes WHERE buyer_id = $id GROUP BY buyer_id",
            {"id": buyer_id},
        )
    else:
        rows = [header] if header else []
    if not rows:
        return None
    detail = rows[0]
    detail["suppliers"] = _party_links(con, "buyer", buyer_id)
    detail["process_list"] = _process_list(con, "buyer", buyer_id, limit)
    detail["flags"] = flags_for(con, ["Buyer", "ProcuringEntity"], buyer_id)
    detail["process_flags"] = _party_flags(con, buyer_id)
    for f in detail["process_flags"]:
        f["title"] = EXPLANATIONS.get(f["code"], {}).get("title", f["code"])
    return detail


# The processes in which a party took part as a bidder (its bids, or its name in the tender's
# list of tenderers), each with the result for it: "won" (supplier of an active award),
# "disqualified" (all its bids disqualified), "lost" (the process was awarded to others) or
# "pending" (no active award yet).
PARTY_BIDS = f"""
mine AS (
    SELECT ocid, count(*) AS bids,
           count(*) FILTER (WHERE status = 'disqualified') AS disqualified_bids,
           count(*) FILTER (WHERE status = 'valid') AS valid_bids,
           sum(value_amount) FILTER (WHERE coalesce(value_currency, 'MXN') = 'MXN') AS bid_amount
    FROM bids WHERE list_contains(tenderer_ids, $id) GROUP BY ocid
),
listed AS (SELECT ocid, max(name) AS name FROM tenderers WHERE party_id = $id GROUP BY ocid),
o AS (SELECT ocid FROM mine UNION SELECT ocid FROM listed),
won AS (SELECT DISTINCT ocid FROM awards a WHERE a.supplier_id = $id AND {ACTIVE_AWARD}),
decided AS (SELECT DISTINCT a.ocid FROM awards a JOIN o USING (ocid) WHERE {ACTIVE_AWARD}),
bp AS (
    SELECT o.ocid, coalesce(mine.bids, 0) AS bids,
           coalesce(mine.disqualified_bids, 0) AS disqualified_bids,
           coalesce(mine.valid_bids, 0) AS valid_bids, mine.bid_amount, listed.name,
           CASE WHEN won.ocid IS NOT NULL THEN 'won'
                WHEN mine.bids > 0 AND mine.disqualified_bids = mine.bids THEN 'disqualified'
                WHEN decided.ocid IS NOT NULL THEN 'lost'
                ELSE 'pending' END AS result
    FROM o LEFT JOIN mine USING (ocid) LEFT JOIN listed USING (ocid)
    LEFT JOIN won USING (ocid) LEFT JOIN decided USING (ocid)
)"""
BID_RESULTS = {
    "won": _("ganada"),
    "lost": _("perdida"),
    "disqualified": _("descalificada"),
    "pending": _("sin adjudicar"),
}


# The name: the greatest of all its names (as the search shows it), else those of its awards,
# payments, bids or parties.
SUPPLIER_HEADER = """party_id AS supplier_id, coalesce(name, award_name, payee_name) AS name,
    award_processes AS processes, coalesce(awarded, 0) AS awarded, award_rows, paid, payments,
    flag_rows, bid_processes, bids, valid_bids, disqualified_bids, won, lost, disqualified,
    pending, tenderer_name, party_name"""


def supplier_detail(con, supplier_id: str, limit: int = 50) -> dict | None:
    """A supplier or bidder: any party that was awarded, bid, was listed as a tenderer, was
    paid or has a tenderer red flag (None when the identifier appears nowhere).

    Its awards, payments and buyers, its bids with their results (the `limit` most recent
    processes), and its red flags. The header's figures (awards, payments, flags and the
    totals of its bids) are one row of the per-party summary (`parties`); then only what the
    party has is queried: its bids (the summary's bids of each party), its buyers and
    processes (if awarded: its rows of the per-party lists ``party_links`` and
    ``party_processes``, see `_finish_supplier`) and its flags (if any). Snapshots without
    the summary count them as before (`_supplier_detail_scan`). At most five bounded
    queries (six without the summary), whatever the size of the data."""
    params = {"id": supplier_id}
    found = _summary_row(con, "supplier", supplier_id, SUPPLIER_HEADER)
    if found is False:
        return _supplier_detail_scan(con, supplier_id, limit)
    if found is None:
        return None
    detail = found
    name = detail.pop("tenderer_name")
    party_name = detail.pop("party_name")
    detail["name"] = detail["name"] or name
    if detail["name"] is None:
        detail["name"] = party_name
    bid_rows = _party_bids(con, params, limit) if detail["bid_processes"] else []
    for row in bid_rows:
        row.setdefault("tenderer_name", name)  # as the rows of `_bid_rows` have it
    _finish_supplier(con, detail, bid_rows, params, limit)
    return detail


def _party_bids(con, params: dict, limit: int) -> list[dict]:
    """The party's bids in its most recent processes, from the per-party bids of the summary
    (sorted by party: one small read), or scanned from the store's bids without them."""
    try:
        return _rows(
            con,
            f"""SELECT ocid, bids, disqualified_bids, valid_bids, bid_amount, name, result,
                   title, buyer_id, buyer_name, method, method_details, date
            FROM {flows_snapshot.BIDS_TABLE} WHERE party_id = $id
            ORDER BY date DESC NULLS LAST, ocid LIMIT {int(limit)}""",
            params,
        )
    except duckdb.CatalogException:
        return _bid_rows(con, params, limit)


def _bid_rows(con, params: dict, limit: int) -> list[dict]:
    """The party's bids: the rows of the most recent processes, and window totals over all
    of them."""
    return _rows(
        con,
        f"""WITH {PARTY_BIDS}
        SELECT bp.*, p.title, p.buyer_id, p.buyer_name, p.method, p.method_details, p.date,
               count(*) OVER () AS bid_processes, sum(bp.bids) OVER () AS total_bids,
               sum(bp.valid_bids) OVER () AS total_valid_bids,
               sum(bp.disqualified_bids) OVER () AS total_disqualified_bids,
               count(*) FILTER (WHERE result = 'won') OVER () AS total_won,
               count(*) FILTER (WHERE result = 'lost') OVER () AS total_lost,
               count(*) FILTER (WHERE result = 'disqualified') OVER () AS total_disqualified,
               count(*) FILTER (WHERE result = 'pending') OVER () AS total_pending,
               max(bp.name) OVER () AS tenderer_name
        FROM bp LEFT JOIN processes p USING (ocid)
        ORDER BY p.date DESC NULLS LAST, bp.ocid LIMIT {limit}""",
        params,
    )


def _finish_supplier(con, detail: dict, bid_rows: list[dict], params: dict, limit: int) -> None:
    """The lists of a supplier page: bids, buyers, awarded processes and red flags (the
    queries of the lists it cannot have are skipped). Its buyers and processes are its rows
    of the per-party lists (`_party_links`, `_process_list`), or, in snapshots without them,
    aggregated from the awards and processes as before."""
    detail["bid_list"] = [
        {k: v for k, v in b.items() if not k.startswith("total_") and k != "bid_processes"}
        | {"result_label": str(BID_RESULTS[b["result"]])}
        for b in bid_rows
    ]
    if detail["award_rows"]:
        detail["buyers"] = _party_links(con, "supplier", params["id"])
        detail["process_list"] = _process_list(con, "supplier", params["id"], limit)
    else:
        detail["buyers"] = []
        detail["process_list"] = []
    detail["flags"] = flags_for(con, "Tenderer", params["id"]) if detail["flag_rows"] else []


def _supplier_detail_scan(con, supplier_id: str, limit: int = 50) -> dict | None:
    """`supplier_detail` over a snapshot without the per-party summary: the header counted
    from the awards, payments, flags and bids (the lists, by `_finish_supplier`, from the
    per-party lists if the snapshot has them, else from the awards and processes)."""
    params = {"id": supplier_id}
    detail = _rows(
        con,
        f"""WITH
        aw AS (SELECT count(DISTINCT ocid) FILTER (WHERE {ACTIVE_AWARD}) AS processes,
                      coalesce(sum(amount) FILTER (WHERE {ACTIVE_AWARD}), 0) AS awarded,
                      count(*) AS award_rows, max(supplier_name) AS name
               FROM awards a WHERE a.supplier_id = $id),
        pay AS (SELECT coalesce(sum(amount), 0) AS paid, count(*) AS payments,
                       max(payee_name) AS name FROM transactions WHERE payee_id = $id),
        fl AS (SELECT count(*) AS flag_rows FROM flags WHERE grp = 'Tenderer' AND key = $id),
        nm AS (SELECT max(name) AS name FROM ({SUPPLIER_NAMES}) WHERE id = $id)
        SELECT $id AS supplier_id, coalesce(nm.name, aw.name, pay.name) AS name, aw.processes,
               aw.awarded, aw.award_rows, pay.paid, pay.payments, fl.flag_rows
        FROM aw, pay, fl, nm""",
        params,
    )[0]
    bid_rows = _bid_rows(con, params, limit)
    first = bid_rows[0] if bid_rows else {}
    for key in BID_TOTALS:
        total = first.get(key if key == "bid_processes" else f"total_{key}")
        detail[key] = int(total or 0)
    if not (
        detail["award_rows"] or detail["payments"] or detail["flag_rows"] or detail["bid_processes"]
    ):
        return None
    detail["name"] = detail["name"] or first.get("tenderer_name")
    if detail["name"] is None:
        # A bidder named only in the parties of its processes.
        found = con.execute(
            "SELECT max(name) FROM parties WHERE party_id = $id AND name IS NOT NULL",
            params,
        ).fetchone()
        detail["name"] = found[0] if found else None
    _finish_supplier(con, detail, bid_rows, params, limit)
    return detail


# The other party of the lists of a page: a supplier's buyers, a buyer's suppliers.
OTHER = {"supplier": "buyer", "buyer": "supplier"}
# Without the per-party lists: a supplier's buyers and a buyer's suppliers, from the awards
# (active ones) and the processes. Of several names, the greatest; ties of the awarded value in
# the order of the other party's identifier (NULL last), as `parties` sorts them.
LINKS_SCAN = {
    "supplier": f"""SELECT p.buyer_id, max(p.buyer_name) AS buyer_name,
        sum(a.amount) AS awarded, count(DISTINCT a.ocid) AS processes
    FROM awards a JOIN processes p USING (ocid) WHERE a.supplier_id = $id AND {ACTIVE_AWARD}
    GROUP BY p.buyer_id ORDER BY awarded DESC NULLS LAST, p.buyer_id NULLS LAST LIMIT 20""",
    "buyer": f"""SELECT a.supplier_id, max(a.supplier_name) AS supplier_name,
        sum(a.amount) AS awarded, count(DISTINCT a.ocid) AS processes
    FROM awards a JOIN processes p USING (ocid) WHERE p.buyer_id = $id AND {ACTIVE_AWARD}
    GROUP BY a.supplier_id ORDER BY awarded DESC NULLS LAST, a.supplier_id NULLS LAST
    LIMIT 20""",
}
# Without the per-party lists: which processes are a party's.
PROCESSES_SCAN = {
    "supplier": "p.ocid IN (SELECT ocid FROM awards WHERE supplier_id = $id)",
    "buyer": "p.buyer_id = $id",
}


def _party_links(con, kind: str, party_id: str) -> list[dict]:
    """A supplier's buyers or a buyer's suppliers (kind is the party's), the 20 with most
    awarded (active awards): its rows of ``party_links`` (sorted by party: one small read),
    or aggregated from the awards without them."""
    other = OTHER[kind]
    params = {"kind": kind, "id": party_id}
    try:
        return _rows(
            con,
            f"""SELECT other_id AS {other}_id, other_name AS {other}_name, awarded, processes
            FROM {flows_snapshot.LINKS_TABLE} WHERE kind = $kind AND party_id = $id
            ORDER BY awarded DESC NULLS LAST, other_id NULLS LAST LIMIT 20""",
            params,
        )
    except duckdb.CatalogException:
        return _rows(con, LINKS_SCAN[kind], {"id": party_id})


def _process_list(con, kind: str, party_id: str, limit: int) -> list[dict]:
    """A supplier's processes (any award to it) or a buyer's, the `limit` most recent, each
    with the sum of its awards and its count of red flags: its rows of ``party_processes``,
    or queried from the processes, awards and flags without them."""
    params = {"kind": kind, "id": party_id}
    try:
        return _rows(
            con,
            f"""SELECT ocid, title, method, method_details, date, buyer_name, awarded, flags
            FROM {flows_snapshot.PROCESSES_TABLE} WHERE kind = $kind AND party_id = $id
            ORDER BY date DESC NULLS LAST, ocid LIMIT {int(limit)}""",
            params,
        )
    except duckdb.CatalogException:
        pass
    return _rows(
        con,
        f"""SELECT p.ocid, p.title, p.method, p.method_details, p.date, p.buyer_name,
               (SELECT sum(amount) FROM awards a WHERE a.ocid = p.ocid) AS awarded,
               (SELECT count(*) FROM flags f WHERE f.grp = 'OCID' AND f.key = p.ocid) AS flags
        FROM processes p WHERE {PROCESSES_SCAN[kind]}
        ORDER BY p.date DESC NULLS LAST, p.ocid LIMIT {int(limit)}""",
        {"id": party_id},
    )


def _party_flags(con, buyer_id: str) -> list[dict]:
    """The red flags of a buyer's processes, counted by code: its rows of ``party_flags``,
    or counted from the flags and processes without them."""
    try:
        return _rows(
            con,
            f"SELECT code, n FROM {flows_snapshot.FLAGS_TABLE} WHERE party_id = $id "
            "ORDER BY code NULLS LAST",
            {"id": buyer_id},
        )
    except duckdb.CatalogException:
        return _rows(
            con,
            "SELECT f.code, count(*) AS n FROM flags f JOIN processes p ON f.key = p.ocid "
            "WHERE f.grp = 'OCID' AND p.buyer_id = $id GROUP BY f.code "
            "ORDER BY f.code NULLS LAST",
            {"id": buyer_id},
        )
