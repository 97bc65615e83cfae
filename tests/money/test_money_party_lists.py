"""The lists of the supplier and buyer pages (a supplier's buyers and processes, a buyer's
suppliers, processes and processes' red flags) read the per-party lists of the flows snapshot
(`cocrea.money.analytics.parties`: ``party_links``, ``party_processes``, ``party_flags``), and give
exactly what the queries over the awards, processes and flags give (kept as the fallback of
snapshots without them): the same rows, order and values, with ties of amounts and dates,
NULL dates, amounts and identifiers, and the limits of 20 and 50.

Two data sets: the demo (Morelos and Jalisco), and generated flows tables full of ties
(few amounts and dates, several names per party, cancelled and pending awards, awards of
processes that are not in the table), built by `parties.build` as a rebuild does.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from money_demo_fixture import CountingConnection, load_demo

from cocrea.money.analytics import database, flows_snapshot, pages, parties
from cocrea.money.budget import moments
from cocrea.money.store import snapshots

LISTS = (flows_snapshot.LINKS_TABLE, flows_snapshot.PROCESSES_TABLE, flows_snapshot.FLAGS_TABLE)


def _without(con, tables) -> None:
    for table in tables:
        con.execute(f"DROP VIEW {table}")


def _lists(con, kind: str, party: str, limit: int) -> dict:
    out = {
        "links": pages._party_links(con, kind, party),
        "processes": pages._process_list(con, kind, party, limit),
    }
    if kind == "buyer":
        out["flags"] = pages._party_flags(con, party)
    return out


def _compare(new, old, suppliers, buyers, limits=(3, 20, 50, 10_000)) -> dict:
    """Every list of every party, new and old, equal; returns what the lists held (to check
    that the data had what the comparison needs)."""
    seen = {"links": 0, "processes": 0, "flags": 0, "max_links": 0, "max_processes": 0}
    for kind, ids in (("supplier", suppliers), ("buyer", buyers)):
        for party in [*ids, "MX-RFC-NADIE000000", ""]:
            for limit in limits:
                got = _lists(new, kind, party, limit)
                assert got == _lists(old, kind, party, limit), (kind, party, limit)
            seen["links"] += len(got["links"])
            seen["processes"] += len(got["processes"])
            seen["flags"] += len(got.get("flags", []))
            seen["max_links"] = max(seen["max_links"], len(got["links"]))
            seen["max_processes"] = max(seen["max_processes"], len(got["processes"]))
    return seen


# --- Generated data with ties --------------------------------------------------------------

AMOUNTS = [Decimal("100.00"), Decimal("250.50"), Decimal("1000.00"), None]
DATES = [date(2020, 1, 1), date(2020, 6, 30), date(2021, 3, 15), None]
STATUSES = [None, "active", "active", "cancelled", "pending", "unsuccessful"]
CODES = ["R001", "R018", "R024", "R025", "R058"]


def _generated(base, seed: int = 7, processes: int = 700):
    rnd = random.Random(seed)
    buyers = [f"B{i:02d}" for i in range(8)]
    suppliers = [f"MX-RFC-S{i:03d}" for i in range(40)]
    rows = {t: [] for t in flows_snapshot.TABLES}
    for i in range(processes):
        ocid = f"ocds-test-{i:05d}"
        buyer = rnd.choice([*buyers, *buyers, None])
        rows["processes"].append(
            {
                "ocid": ocid,
                "source": "store",
                "entity": "17",
                "buyer_id": buyer,
                "buyer_name": rnd.choice([f"Comprador {buyer}", f"COMPRADOR {buyer} (B)", None]),
                "title": f"Proceso {i}",
                "method": rnd.choice(["open", "limited", "selective", None]),
                "method_details": rnd.choice(["Licitación", None]),
                "date": rnd.choice(DATES),
                "year": 2020,
            }
        )
        for _ in range(rnd.choice([0, 1, 1, 2, 3, 4])):
            supplier = rnd.choice([*suppliers, None])
            rows["awards"].append(
                {
                    "ocid": ocid,
                    "award_id": f"{ocid}-a{len(rows['awards'])}",
                    "status": rnd.choice(STATUSES),
                    "amount": rnd.choice(AMOUNTS),
                    "supplier_id": supplier,
                    "supplier_name": rnd.choice([f"Empresa {supplier}", f"EMPRESA {supplier}"]),
                }
            )
        for _ in range(rnd.choice([0, 0, 1, 2, 3])):
            rows["flags"].append({"grp": "OCID", "key": ocid, "code": rnd.choice(CODES)})
    # Awards and flags of processes that are not in the table; flags of other groups.
    for j in range(20):
        rows["awards"].append(
            {"ocid": f"ocds-gone-{j}", "status": "active", "amount": AMOUNTS[0],
             "supplier_id": rnd.choice(suppliers), "supplier_name": "Empresa X"}
        )  # fmt: skip
        rows["flags"].append({"grp": "OCID", "key": f"ocds-gone-{j}", "code": "R001"})
        rows["flags"].append({"grp": "Buyer", "key": rnd.choice(buyers), "code": "R003"})
    flows = base / "flows"
    flows.mkdir()
    for name, schema in flows_snapshot.SCHEMAS.items():
        table = pa.Table.from_pylist(rows[name], schema=schema)
        pq.write_table(table, flows / f"{name}.parquet")
    parties.build(flows, None, base / "spill")
    return flows, suppliers, buyers


def _cons(flows):
    new = database._open((), flows, None)
    old = database._open((), flows, None)
    _without(old, LISTS)
    return new, old


def test_generated_lists_with_ties_equal_the_old_queries(tmp_path):
    flows, suppliers, buyers = _generated(tmp_path)
    new, old = _cons(flows)
    try:
        seen = _compare(new, old, suppliers, buyers)
        # The data has what the comparison needs: lists cut at 20 and 50, ties of the
        # awarded value within them, NULL dates, and flags.
        assert seen["max_links"] == 20 and seen["max_processes"] > 50 and seen["flags"] > 20
        ties = new.execute(
            f"SELECT count(*) FROM (SELECT kind, party_id, awarded FROM {flows_snapshot.LINKS_TABLE} "
            "GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        assert ties > 10
        nulls = new.execute(
            f"SELECT count(*) FILTER (WHERE date IS NULL), count(*) FILTER (WHERE awarded "
            f"IS NULL) FROM {flows_snapshot.PROCESSES_TABLE}"
        ).fetchone()
        assert min(nulls) > 10
        # The whole pages too (headers from the summary or counted, lists from either).
        everything = flows_snapshot.PARTY_TABLES
        scan = database._open((), flows, None)
        _without(scan, [t for t, _f in everything])
        try:
            for supplier in suppliers:
                page = pages.supplier_detail(new, supplier)
                assert page == pages.supplier_detail(scan, supplier), supplier
            for buyer in buyers:
                assert pages.buyer_detail(new, buyer) == pages.buyer_detail(scan, buyer)
        finally:
            scan.close()
    finally:
        new.close()
        old.close()


def test_generated_lists_read_in_small_row_groups(tmp_path):
    """With row groups of 3 rows read by several threads, every party's lists are the same
    (its rows span many row groups, some shared with other parties)."""
    flows, suppliers, buyers = _generated(tmp_path, seed=11, processes=300)
    for _table, name in flows_snapshot.PARTY_TABLES[3:]:
        path = flows / name
        pq.write_table(pq.read_table(path), path, row_group_size=3)
        assert pq.ParquetFile(path).metadata.num_row_groups > 10
    new, old = _cons(flows)
    try:
        new.execute("SET threads = 4")
        _compare(new, old, suppliers, buyers, limits=(1, 20, 50))
    finally:
        new.close()
        old.close()


def test_lists_are_sorted_by_party(tmp_path):
    """Each table is in the order of its pages: one party's rows are contiguous, and a
    buyer's list of processes is its first rows."""
    flows, _suppliers, buyers = _generated(tmp_path, seed=3, processes=200)
    orders = {
        flows_snapshot.LINKS_FILE: "kind, party_id, awarded DESC NULLS LAST, other_id NULLS LAST",
        flows_snapshot.PROCESSES_FILE: "kind, party_id, date DESC NULLS LAST, ocid",
        flows_snapshot.FLAGS_FILE: "party_id, code",
    }
    new = database._open((), flows, None)
    try:
        for name, order in orders.items():
            path = flows / name
            written = new.execute(f"SELECT * FROM read_parquet('{path}')").fetchall()
            assert written
            assert (
                written
                == new.execute(f"SELECT * FROM read_parquet('{path}') ORDER BY {order}").fetchall()
            )
    finally:
        new.close()


# --- The demo ----------------------------------------------------------------------------


@pytest.fixture
def demo_data(settings, tmp_path, reference):
    load_demo(settings, tmp_path, reference)


def _demo_con(drop=()):
    con = database._open(
        tuple(str(f) for f in moments.current_files()),
        flows_snapshot.current_snapshot(),
        snapshots.current_snapshot(),
    )
    _without(con, drop)
    return con


def _demo_ids(con):
    suppliers = [
        i
        for (i,) in con.execute(
            "SELECT DISTINCT id FROM (SELECT supplier_id AS id FROM awards UNION ALL "
            "SELECT payee_id FROM transactions UNION ALL SELECT party_id FROM parties) "
            "WHERE id IS NOT NULL ORDER BY id"
        ).fetchall()
    ]
    buyers = [
        i
        for (i,) in con.execute(
            "SELECT DISTINCT buyer_id FROM processes WHERE buyer_id IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    return suppliers, buyers


@pytest.mark.django_db
def test_demo_lists_equal_the_old_queries(demo_data):
    new, old = _demo_con(), _demo_con(LISTS)
    try:
        suppliers, buyers = _demo_ids(old)
        assert len(suppliers) > 30 and len(buyers) > 3
        seen = _compare(new, old, suppliers, buyers)
        assert seen["links"] > 30 and seen["processes"] > 50 and seen["flags"] > 3
        # The pages: with the lists, without them, and without the summary at all.
        scan = _demo_con([t for t, _f in flows_snapshot.PARTY_TABLES])
        try:
            for supplier in suppliers:
                page = pages.supplier_detail(new, supplier)
                assert page == pages.supplier_detail(old, supplier), supplier
                assert page == pages.supplier_detail(scan, supplier), supplier
            for buyer in buyers:
                page = pages.buyer_detail(new, buyer)
                assert page["suppliers"] and page["process_list"]
                assert page == pages.buyer_detail(old, buyer), buyer
                assert page == pages.buyer_detail(scan, buyer), buyer
        finally:
            scan.close()
    finally:
        new.close()
        old.close()


@pytest.mark.django_db
def test_demo_pages_run_a_fixed_number_of_queries(client, demo_data, django_assert_max_num_queries):
    con = database.connect()
    try:
        suppliers, buyers = _demo_ids(con)
        top = con.execute(
            f"SELECT party_id FROM {flows_snapshot.SUMMARY_TABLE} WHERE kind = 'supplier' "
            "ORDER BY award_rows DESC, bid_processes DESC, party_id LIMIT 1"
        ).fetchone()[0]
        counting = CountingConnection(con)
        page = pages.supplier_detail(counting, top)
        assert page["buyers"] and page["process_list"] and counting.n <= 5
        for buyer in buyers:
            counting = CountingConnection(con)
            pages.buyer_detail(counting, buyer)
            assert counting.n == 5, buyer  # header, suppliers, processes, flags, their flags
    finally:
        con.close()
    for path in (
        f"/sigue-el-dinero/proveedores/{top}/",
        f"/sigue-el-dinero/compradores/{buyers[0]}/",
    ):
        with django_assert_max_num_queries(6):
            response = client.get(path)
        assert response.status_code == 200
