"""The per-party summary (`cocrea.money.analytics.parties`): the search of suppliers and buyers and the
headers of their pages read one table written with the flows snapshot, and give exactly what
the old queries over the flows and store tables gave (kept as `party_search.search_scan` and the
fallback of snapshots without the summary).

The data: the demo (Morelos and Jalisco), Morelos's releases imported again as a second
source without two processes (the same ocids in two sources, bidders without awards), and a
third source with edge cases: a supplier with several names (accents, case, a «%» and a «_»
in them), a tenderer listed without bids, a bid whose tenderer is repeated, a payee that is
no supplier and a buyer with two names.
"""

from __future__ import annotations

import copy
import re
import shutil
import tempfile

import duckdb
import orjson
import pyarrow.parquet as pq
import pytest
from money_demo_fixture import CountingConnection, load_demo

from cocrea.money import demo
from cocrea.money.analytics import database, flows, flows_snapshot, pages, parties, party_search
from cocrea.money.budget import moments
from cocrea.money.ocds.importer import import_ocds
from cocrea.money.store import snapshots

pytestmark = pytest.mark.django_db

EDGE = "ocds-c0crea-17-2099-"
NANDU = "MX-RFC-ÑANDU000001"
PAYEE = "MX-RFC-PAGO0000001"
BIG = 10_000


def _suppliers(release: dict) -> set[str]:
    return {s["id"] for a in release.get("awards", []) for s in a.get("suppliers", [])}


def _edge_releases(releases: list[dict]) -> list[dict]:
    base = next(
        r
        for r in releases
        if r["ocid"].startswith(f"{demo.PREFIX}-17-")
        and len(r.get("bids", {}).get("details", [])) >= 3
        and any(c.get("implementation", {}).get("transactions") for c in r.get("contracts", []))
    )
    out = []
    for i in range(3):
        r = copy.deepcopy(base)
        r["ocid"] = f"{EDGE}{i:04d}"
        r["id"] = f"{r['ocid']}-1"
        out.append(r)
    first, second, third = out
    # A tenderer listed (and a party) under a new name, without bids.
    name = "Constructora Ñandú 50% y_Asociados SA"
    first["tender"]["tenderers"].append({"id": NANDU, "name": name})
    first["parties"].append({"id": NANDU, "name": name, "roles": ["tenderer"]})
    # The same firm under other names in another process: listed, and bidding twice in a bid.
    second["tender"]["tenderers"].append({"id": NANDU, "name": "CONSTRUCTORA NANDU SA"})
    second["parties"].append({"id": NANDU, "name": "constructora ñandu", "roles": ["supplier"]})
    bid = copy.deepcopy(second["bids"]["details"][0])
    bid["id"] += "-dup"
    bid["status"] = "disqualified"
    bid["tenderers"] = [{"id": NANDU}, {"id": NANDU}]
    second["bids"]["details"].append(bid)
    # A payee that was never awarded; the buyer under another name.
    for contract in third["contracts"]:
        for t in contract.get("implementation", {}).get("transactions", []):
            t["payee"] = {"id": PAYEE, "name": "Pagos_Únicos del Centro"}
    third["buyer"]["name"] = third["buyer"]["name"].upper() + " (OFICINA)"
    return out


@pytest.fixture
def data(settings, tmp_path, reference):
    load_demo(settings, tmp_path, reference)
    entities = [(e.code, e.common_name) for e in (reference["17"], reference["14"])]
    releases, _budget = demo.build(2018, entities)
    morelos = [r for r in releases if r["ocid"].startswith(f"{demo.PREFIX}-17-")]
    awarded_twice = [r for r in morelos if _suppliers(r)][:2]
    again = [r for r in morelos if r not in awarded_twice]
    with tempfile.TemporaryDirectory() as tmp:
        for source, items in ((f"{demo.SOURCE}-17", again), ("extra", _edge_releases(releases))):
            path = f"{tmp}/{source}.jsonl"
            with open(path, "wb") as f:
                for release in items:
                    f.write(orjson.dumps(release) + b"\n")
            import_ocds([path], source, entity="17", strict=True)
    flows.sync_from_store(force=True)
    return releases


def _summary_con():
    return database.connect()


def _fresh_con():
    """A connection over the current snapshots' files as they are now (not cached)."""
    return database._open(
        tuple(str(f) for f in moments.current_files()),
        flows_snapshot.current_snapshot(),
        snapshots.current_snapshot(),
    )


def _scan_con():
    """A connection over the same snapshots as the pages, without the summary's view: the
    queries of snapshots written before it existed."""
    con = _fresh_con()
    for table, _file in flows_snapshot.PARTY_TABLES:
        con.execute(f"DROP VIEW {table}")
    return con


def _queries(names: list[str], ids: list[str]) -> list[str]:
    fixed = [
        "agua", "AGUA", "comisión", "COMISION", "Comision Estatal", "sa de cv", "MX-RFC",
        "mx-rfc-d17", "ñandú", "NANDU", "50%", "%", "_", "y_a", "a_u", "pagos_únicos",
        "PAGOS_UNICOS", "(oficina)", "oficina", "x", "sur", "nadie-en-absoluto", "  agua  ",
        "D17000007", "Ñ", "ü",
    ]  # fmt: skip
    found = set(fixed)
    for name in names:
        found.update({name[:4], name[-5:].upper(), name[3:9].lower()})
    for party_id in ids:
        found.update({party_id[-4:], party_id.lower()})
    return sorted(q for q in found if q.strip())


def test_search_equals_the_old_query(data):
    con, old = _summary_con(), _scan_con()
    try:
        names = [
            n
            for (n,) in old.execute(
                "SELECT DISTINCT name FROM (SELECT name FROM parties UNION ALL "
                "SELECT buyer_name FROM processes) WHERE name IS NOT NULL"
            ).fetchall()
        ]
        ids = [i for (i,) in old.execute("SELECT DISTINCT party_id FROM parties").fetchall()]
        queries = _queries(names, ids)
        assert len(queries) > 100
        nonempty = 0
        for q in queries:
            new = party_search.search(con, q, limit=BIG)
            assert new == party_search.search_scan(old, q, limit=BIG), q
            nonempty += bool(new["buyers"] or new["suppliers"])
        assert nonempty > 80
        # Paging: the same pages, whatever the page size.
        everything = party_search.search(con, "a", limit=BIG)
        assert len(everything["suppliers"]) > 20 and len(everything["buyers"]) > 3
        for offset in (0, 7, 14, 21, BIG):
            page = party_search.search(con, "a", limit=7, offset=offset)
            assert page == party_search.search_scan(old, "a", limit=7, offset=offset)
            assert page["suppliers"] == everything["suppliers"][offset : offset + 7]
    finally:
        con.close()
        old.close()


def test_search_stops_early_in_the_order_of_the_results(data):
    """The search reads its table in the order of the results and stops at the end of the
    page: with row groups of 3 rows (many, read by several threads), every page is still the
    one the old query gives."""
    path = flows_snapshot.current_snapshot() / flows_snapshot.SEARCH_FILE
    table = pq.read_table(path)
    pq.write_table(table, path, row_group_size=3)
    assert pq.ParquetFile(path).metadata.num_row_groups > 10
    con, old = _fresh_con(), _scan_con()
    try:
        con.execute("SET threads = 4")
        for q in ("a", "sa de cv", "MX-RFC", "ñandú", "d17", "nadie-en-absoluto"):
            everything = party_search.search_scan(old, q, limit=BIG)
            assert party_search.search(con, q, limit=BIG) == everything, q
            for offset in (0, 1, 5, 19, 40):
                for limit in (1, 3, 20):
                    page = party_search.search(con, q, limit=limit, offset=offset)
                    assert page["suppliers"] == everything["suppliers"][offset : offset + limit]
                    assert page["buyers"] == everything["buyers"][offset : offset + limit]
    finally:
        con.close()
        old.close()


def test_edge_cases_are_found(data):
    con = _summary_con()
    try:
        by_name = party_search.search(con, "nandu 50%")["suppliers"]
        assert [s["id"] for s in by_name] == [NANDU]
        # Listed in two processes and bidding in one of them; never awarded; its display name
        # is the greatest of its names.
        assert by_name[0]["processes"] == 2 and by_name[0]["awarded"] is None
        assert by_name[0]["name"] == "constructora ñandu"
        assert party_search.search(con, "NANDU SA")["suppliers"] == by_name  # another name
        payee = party_search.search(con, "pagos_unicos")["suppliers"]
        assert [s["id"] for s in payee] == [PAYEE]
        detail = pages.supplier_detail(con, NANDU)
        assert (detail["bid_processes"], detail["bids"], detail["disqualified_bids"]) == (2, 1, 1)
        assert detail["name"] == by_name[0]["name"]  # its page shows the search's name
        assert pages.supplier_detail(con, PAYEE)["payments"] > 0
    finally:
        con.close()


def test_page_headers_equal_the_old_queries(data):
    con, old = _summary_con(), _scan_con()
    try:
        supplier_ids = [
            i
            for (i,) in old.execute(
                "SELECT DISTINCT id FROM (SELECT supplier_id AS id FROM awards UNION ALL "
                "SELECT payee_id FROM transactions UNION ALL SELECT party_id FROM parties "
                "UNION ALL SELECT key FROM flags UNION ALL SELECT unnest(tenderer_ids) FROM bids)"
                " WHERE id IS NOT NULL ORDER BY id"
            ).fetchall()
        ]
        assert NANDU in supplier_ids and PAYEE in supplier_ids and len(supplier_ids) > 40
        found = 0
        for party in [*supplier_ids, "MX-RFC-NADIE000000", ""]:
            new = pages.supplier_detail(con, party)
            assert new == pages.supplier_detail(old, party), party
            found += new is not None
            short = pages.supplier_detail(con, party, limit=3)  # the most recent bids
            assert short == pages.supplier_detail(old, party, limit=3), party
        assert found > 30
        buyer_ids = [
            i
            for (i,) in old.execute(
                "SELECT DISTINCT buyer_id FROM processes WHERE buyer_id IS NOT NULL"
            ).fetchall()
        ]
        assert len(buyer_ids) > 3
        for buyer in [*buyer_ids, supplier_ids[0], "MX-RFC-NADIE000000"]:
            assert pages.buyer_detail(con, buyer) == pages.buyer_detail(old, buyer), buyer
    finally:
        con.close()
        old.close()


def test_snapshots_without_the_bids_of_each_party_scan_the_bids(data):
    """Snapshots written with the summary but before the bids of each party existed."""
    party = f"MX-RFC-D17{demo.COVER:06d}"
    con = _summary_con()
    try:
        with_bids = pages.supplier_detail(con, party)
    finally:
        con.close()
    assert with_bids["bid_list"]
    without = _fresh_con()
    without.execute(f"DROP VIEW {flows_snapshot.BIDS_TABLE}")
    try:
        assert pages.supplier_detail(without, party) == with_bids
    finally:
        without.close()


def test_search_and_headers_run_a_fixed_number_of_queries(
    client, data, django_assert_max_num_queries
):
    con = database.connect()
    try:
        for q in ("a", "agua", "MX-RFC", "nadie-en-absoluto"):
            counting = CountingConnection(con)
            party_search.search(counting, q)
            assert counting.n == 2, q  # buyers, suppliers: one table each
        top = con.execute(
            f"SELECT party_id FROM {flows_snapshot.SUMMARY_TABLE} WHERE kind = 'supplier' "
            "ORDER BY bid_processes DESC, award_rows DESC, party_id LIMIT 1"
        ).fetchone()[0]
        for party, most in ((top, 5), ("MX-RFC-NADIE000000", 1)):
            counting = CountingConnection(con)
            pages.supplier_detail(counting, party)
            assert counting.n <= most, party
    finally:
        con.close()
    for q in ("agua", "MX-RFC-D17", "sa de cv"):
        with django_assert_max_num_queries(6):
            response = client.get("/sigue-el-dinero/buscar/", {"q": q})
        assert response.status_code == 200


def _search_page(client, q: str) -> str:
    text = client.get("/sigue-el-dinero/buscar/", {"q": q}).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def test_old_snapshots_fall_back_and_are_rebuilt_once(data, client):
    snap = flows_snapshot.current_snapshot()
    expected = _search_page(client, "de")
    assert (
        "/sigue-el-dinero/proveedores/" in expected and "/sigue-el-dinero/compradores/" in expected
    )
    # A snapshot as written before the summary existed.
    old = snap.parent / "20000101T000000-oldstyle"
    shutil.copytree(snap, old)
    for _table, name in flows_snapshot.PARTY_TABLES:
        (old / name).unlink()
    (snap.parent / "CURRENT").write_text(old.name + "\n")
    assert flows_snapshot.current_snapshot() == old
    assert _search_page(client, "de") == expected
    party = f"MX-RFC-D17{demo.COVER:06d}"
    assert client.get(f"/sigue-el-dinero/proveedores/{party}/").status_code == 200
    # The next `cocrea money sync-flows` (no --force) writes it, once.
    rebuilt = flows.sync_from_store()
    assert rebuilt is not None
    for _table, name in flows_snapshot.PARTY_TABLES:
        assert (flows_snapshot.current_snapshot() / name).exists()
    assert flows.sync_from_store() is None
    assert _search_page(client, "de") == expected


def test_live_import_writes_the_same_summary(settings, tmp_path):
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    releases, _budget = demo.build(7, [("17", "Morelos"), ("14", "Jalisco")])
    path = tmp_path / "releases.jsonl"
    path.write_bytes(
        b"".join(orjson.dumps(r) + b"\n" for r in [*releases, *_edge_releases(releases)])
    )
    report = import_ocds([path], "live", flows=True)
    assert report.flows.live
    live = pq.read_table(flows_snapshot.current_snapshot() / flows_snapshot.SUMMARY_FILE)
    assert live.schema.names == parties.SCHEMA.names
    assert live.cast(parties.SCHEMA).schema.equals(parties.SCHEMA)
    assert live.num_rows > 40
    flows.sync_from_store(force=True)
    assert pq.read_table(flows_snapshot.current_snapshot() / flows_snapshot.SUMMARY_FILE).equals(
        live
    )


def test_a_build_that_runs_out_of_memory_is_tried_again_with_one_thread(
    settings, tmp_path, monkeypatch
):
    """Two threads need more of DuckDB's memory than one: when they run out of it, the
    build starts again with one thread and writes the same tables."""
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    releases, _budget = demo.build(7, [("17", "Morelos")])
    path = tmp_path / "releases.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in releases))
    import_ocds([path], "live", flows=True)
    snap = flows_snapshot.current_snapshot()
    names = [name for _table, name in flows_snapshot.PARTY_TABLES]
    expected = {name: pq.read_table(snap / name) for name in names}

    tried = []
    real_build = parties._build

    def recording_build(flows, contracting, work, threads, memory):
        tried.append((threads, memory))
        return real_build(flows, contracting, work, threads, memory)

    monkeypatch.setattr(parties, "_build", recording_build)
    monkeypatch.setattr(parties, "ATTEMPTS", ((2, "1MB"), (1, "256MB")))
    copy = tmp_path / "flows"
    shutil.copytree(snap, copy)
    for name in names:
        (copy / name).unlink()
    (tmp_path / "spill").mkdir()
    rows = parties.build(copy, snapshots.current_snapshot(), tmp_path / "spill")
    assert tried == [(2, "1MB"), (1, "256MB")]
    assert rows == expected[flows_snapshot.SUMMARY_FILE].num_rows
    for name in names:
        assert pq.read_table(copy / name).equals(expected[name]), name
    assert not list(copy.glob(".*.tmp"))

    monkeypatch.setattr(parties, "ATTEMPTS", ((2, "1MB"),))
    with pytest.raises(duckdb.OutOfMemoryException):
        parties.build(copy, snapshots.current_snapshot(), tmp_path / "spill")
