"""Sigue el Dinero: the DuckDB queries of the supplier (bidder) and buyer pages, the search and
the process page at scale, before and after the per-party summary and lists
(`cocrea.money.analytics.parties`).

    COCREA_DEBUG=1 uv run --frozen python benchmarks/money/bench_supplier_pages.py \
        [PROCESSES ...] [--parties N]

For each PROCESSES (default 20,000 and 100,000) generates that many compiled releases with
the generator of bench_flows.py (the demo's builder over 32 entities: every firm bids in many
processes), imports them as `cocrea money import` does (flows tables, red flags and the
per-party summary), and prints, side by side in the same run, the median and worst of 5 runs
of each page's queries: "antes" reads the flows and store tables as before the summary (the
queries that snapshots without it still run), "después" reads the summary. Then each list
of the pages (a supplier's buyers and processes, a buyer's suppliers, processes and flags by
code) alone: "antes" aggregates the awards, processes and flags (snapshots without
``party_links``, ``party_processes`` and ``party_flags``), "después" reads them. The results
of both are compared (they must be equal). Also prints the time that the summary adds to the
flows rebuild, and of it the time of the lists.

The generator has few firms (12 per entity), so its summary is small: with --parties N
(default 300,000) the search also runs over a synthetic summary of N suppliers, to show what
it costs when the parties, not the processes, are many.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

import bench_flows  # noqa: E402 - sets up Django and a temporary COCREA_MONEY_DIR
import duckdb  # noqa: E402
import orjson  # noqa: E402

from cocrea.money.analytics import database, findings, flows_snapshot, pages, parties, party_search
from cocrea.money.budget import moments
from cocrea.money.ocds.importer import import_ocds  # noqa: E402
from cocrea.money.store import snapshots

RUNS = 5


def _times(fn, runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, max(times) * 1000


LISTS = (flows_snapshot.LINKS_TABLE, flows_snapshot.PROCESSES_TABLE, flows_snapshot.FLAGS_TABLE)


def _old_database(tables=tuple(t for t, _f in flows_snapshot.PARTY_TABLES)):
    """The snapshots' views without these tables (by default the whole summary and lists):
    the queries of older snapshots."""
    con = database._open(
        tuple(str(f) for f in moments.current_files()),
        flows_snapshot.current_snapshot(),
        snapshots.current_snapshot(),
    )
    for table in tables:
        con.execute(f"DROP VIEW {table}")
    return con


def _side_by_side(label: str, fn, old_db) -> None:
    """fn(con) over the old views and over the summary: times, and the same result."""

    def new():
        con = database.connect()
        try:
            return fn(con)
        finally:
            con.close()

    def old():
        con = old_db.cursor()
        try:
            return fn(con)
        finally:
            con.close()

    if new() != old():
        raise SystemExit(f"{label}: resultados distintos antes y después")
    before = _times(old)
    after = _times(new)
    print(
        f"  {label:<34} antes {before[0]:7.1f} ms (peor {before[1]:7.1f}) · "
        f"después {after[0]:6.1f} ms (peor {after[1]:6.1f}) · ×{before[0] / after[0]:5.1f}"
    )


def scale(processes: int) -> None:
    base = Path(bench_flows.TMP) / f"p{processes}"
    base.mkdir()
    os.environ["COCREA_MONEY_DIR"] = str(base)
    from django.conf import settings

    settings.COCREA_MONEY_DIR = base
    compiled = base / "compiled.jsonl"
    with open(compiled, "wb") as f:
        for release in bench_flows.releases(processes):
            f.write(orjson.dumps(release) + b"\n")
    started = time.perf_counter()
    report = import_ocds([compiled], "bench", flows=True)
    took = time.perf_counter() - started
    compiled.unlink()
    snap = flows_snapshot.current_snapshot()
    with tempfile.TemporaryDirectory(dir=base) as work:
        copy = Path(work) / "flows"
        shutil.copytree(snap, copy)
        started = time.perf_counter()
        rows = parties.build(copy, snapshots.current_snapshot(), Path(work) / "spill")
        summary = time.perf_counter() - started
        con = parties._connect(
            copy, snapshots.current_snapshot(), Path(work) / "spill", *parties.ATTEMPTS[0]
        )
        try:
            started = time.perf_counter()
            parties.write_lists(con, copy)
            lists = time.perf_counter() - started
        finally:
            con.close()
    size = (snap / flows_snapshot.SUMMARY_FILE).stat().st_size
    list_sizes = ", ".join(
        f"{t} {(snap / f).stat().st_size / 1e3:.0f} kB" for t, f in flows_snapshot.PARTY_TABLES[3:]
    )
    print(
        f"\n== {processes:,} procesos: importación (con flujos y banderas) {took:.1f} s, de ellos "
        f"el resumen por parte {summary:.2f} s ({summary / took:.0%}; las listas "
        f"{lists:.2f} s); {rows:,} filas, {size / 1e3:.0f} kB; {list_sizes}; "
        f"{report.flows.flags:,} banderas"
    )

    old_db = _old_database()
    try:
        con = database.connect()
        try:
            bids = con.execute("SELECT count(*) FROM bids").fetchone()[0]
            top, top_bids = con.execute(
                "SELECT t, count(*) AS n FROM (SELECT unnest(tenderer_ids) AS t FROM bids) "
                "GROUP BY t ORDER BY n DESC, t LIMIT 1"
            ).fetchone()
            buyer = con.execute(
                "SELECT buyer_id FROM processes GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
            ).fetchone()[0]
            ocid = con.execute("SELECT min(ocid) FROM bids").fetchone()[0]
            awarded = con.execute(
                "SELECT supplier_id FROM awards WHERE supplier_id IS NOT NULL GROUP BY 1 "
                "ORDER BY count(*) DESC, 1 LIMIT 1"
            ).fetchone()[0]
        finally:
            con.close()
        print(f"ofertas: {bids:,}; el licitante con más ofertas: {top} ({top_bids:,})")
        print("consultas DuckDB de cada página (sin Django), antes y después del resumen:")
        for q in ("sur", "MX-RFC", "constructora azteca 1708", "nadie-en-absoluto"):
            _side_by_side(f"búsqueda «{q}»", lambda con, q=q: party_search.search(con, q), old_db)
        _side_by_side(
            "búsqueda «de», página 3 (20 por página)",
            lambda con: party_search.search(con, "de", offset=40),
            old_db,
        )
        _side_by_side(
            "proveedor con más ofertas", lambda con: pages.supplier_detail(con, top), old_db
        )
        _side_by_side(
            "identificador desconocido (404)",
            lambda con: pages.supplier_detail(con, "MX-RFC-NADIE"),
            old_db,
        )
        _side_by_side(
            "comprador con más procesos", lambda con: pages.buyer_detail(con, buyer), old_db
        )
        _side_by_side(
            "proveedor con más adjudicaciones",
            lambda con: pages.supplier_detail(con, awarded),
            old_db,
        )
        _side_by_side(
            "proceso (con sus ofertas)", lambda con: _process(con, ocid), old_db
        )  # unchanged: for reference
    finally:
        old_db.close()
    old_db = _old_database(LISTS)
    try:
        print("cada lista de las páginas, antes y después de las listas por parte:")
        for label, fn in (
            ("proveedor: compradores", lambda con: pages._party_links(con, "supplier", awarded)),
            ("proveedor: procesos (50)", lambda con: pages._process_list(con, "supplier", awarded, 50)),
            ("comprador: proveedores", lambda con: pages._party_links(con, "buyer", buyer)),
            ("comprador: procesos (50)", lambda con: pages._process_list(con, "buyer", buyer, 50)),
            ("comprador: banderas por código", lambda con: pages._party_flags(con, buyer)),
        ):  # fmt: skip
            _side_by_side(label, fn, old_db)
    finally:
        old_db.close()


def many_parties(n: int) -> None:
    """The search over a synthetic search table of n parties (one in 11 a buyer's name)."""
    with tempfile.TemporaryDirectory(dir=bench_flows.TMP) as work:
        path = Path(work) / flows_snapshot.SEARCH_FILE
        con = duckdb.connect()
        try:
            con.execute(
                f"""COPY (
                SELECT CASE WHEN i % 11 = 0 THEN 'buyer_name' ELSE 'supplier' END AS kind,
                       printf('MX-RFC-X%09d', i) AS party_id, lower(party_id) AS id_norm,
                       printf('Empresa %s %d SA de CV', ['Azteca', 'del Sur', 'Ñandú',
                              'Mezquital', 'Anáhuac'][1 + i % 5], i) AS name,
                       lower(strip_accents(name)) AS norm, NULL::VARCHAR[] AS names,
                       (hash(i) % 500)::BIGINT AS processes, NULL::DECIMAL(38, 2) AS awarded,
                       i AS first_row
                FROM range({n}) t(i) ORDER BY kind, processes DESC, party_id)
                TO '{path}' (FORMAT parquet, COMPRESSION zstd,
                             ROW_GROUP_SIZE {parties.ROW_GROUP_ROWS})"""
            )
            con.execute(
                f"CREATE VIEW {flows_snapshot.SEARCH_TABLE} AS SELECT * FROM read_parquet('{path}')"
            )
            print(f"\n== búsqueda sobre una tabla de búsqueda sintética de {n:,} partes:")
            for q in ("sur", "nandu 12", "X00001234", "nadie-en-absoluto", "nadie_en%absoluto"):
                cur = con.cursor()
                median, worst = _times(lambda cur=cur, q=q: party_search.search(cur, q))
                found = party_search.search(cur, q)
                print(
                    f"  búsqueda «{q}»{'':<{22 - len(q)}} {median:6.1f} ms (peor {worst:6.1f}); "
                    f"{len(found['suppliers'])} proveedores, {len(found['buyers'])} compradores"
                )
                cur.close()
        finally:
            con.close()


def _process(con, ocid):
    pages.process_detail(con, ocid)
    findings.process_checks(con, ocid, None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("processes", nargs="*", type=int, default=[20_000, 100_000])
    parser.add_argument("--parties", type=int, default=300_000)
    args = parser.parse_args()
    print(f"directorio: {bench_flows.TMP}")
    try:
        for n in args.processes:
            scale(n)
        if args.parties:
            many_parties(args.parties)
    finally:
        shutil.rmtree(bench_flows.TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
