"""Sigue el Dinero: the DuckDB queries of the supplier (bidder) page, the search and the
process page at scale.

    COCREA_DEBUG=1 uv run --frozen python benchmarks/money/bench_supplier_pages.py [PROCESSES]

Generates PROCESSES compiled releases (default 50,000) with the generator of bench_flows.py
(the demo's builder over 32 entities: every firm bids in many processes), imports them as
`cocrea money import` does, and prints the median and worst of 5 runs of: the supplier page
of the firm with the most bids (its bids are found by scanning the store's bids), of a firm
found only as a bidder, the search of suppliers and bidders, and a process page.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

import bench_flows  # noqa: E402 - sets up Django and a temporary COCREA_MONEY_DIR
import orjson  # noqa: E402

from cocrea.money import analytics, facts  # noqa: E402
from cocrea.money.ocds.importer import import_ocds  # noqa: E402


def _with_con(fn):
    def run():
        con = analytics.connect()
        try:
            return fn(con)
        finally:
            con.close()

    return run


def main(processes: int) -> None:
    print(f"directorio: {bench_flows.TMP}")
    compiled = os.path.join(bench_flows.TMP, "compiled.jsonl")
    with open(compiled, "wb") as f:
        for release in bench_flows.releases(processes):
            f.write(orjson.dumps(release) + b"\n")
    started = time.perf_counter()
    import_ocds([compiled], "bench")
    facts.sync_from_store(force=True)
    print(f"importación de {processes:,} procesos: {time.perf_counter() - started:.1f} s")

    con = analytics.connect()
    try:
        bids = con.execute("SELECT count(*) FROM bids").fetchone()[0]
        top, top_bids = con.execute(
            "SELECT t, count(*) AS n FROM (SELECT unnest(tenderer_ids) AS t FROM bids) "
            "GROUP BY t ORDER BY n DESC, t LIMIT 1"
        ).fetchone()
        ocid = con.execute("SELECT min(ocid) FROM bids").fetchone()[0]
    finally:
        con.close()
    print(f"ofertas: {bids:,}; el licitante con más ofertas: {top} ({top_bids:,})\n")

    detail = _with_con(lambda con: analytics.supplier_detail(con, top))()
    print(
        f"página de {top}: {detail['bid_processes']:,} procesos con ofertas "
        f"({detail['won']:,} ganados, {detail['lost']:,} perdidos, "
        f"{detail['disqualified']:,} descalificados), {len(detail['bid_list'])} en la tabla"
    )
    print("consultas DuckDB de cada página (sin Django):")
    bench_flows.timed(
        "proveedor con más ofertas", _with_con(lambda con: analytics.supplier_detail(con, top))
    )
    bench_flows.timed(
        "identificador desconocido (404)",
        _with_con(lambda con: analytics.supplier_detail(con, "MX-RFC-NADIE")),
    )
    bench_flows.timed(
        "búsqueda de proveedores y licitantes", _with_con(lambda con: analytics.search(con, "sur"))
    )
    bench_flows.timed("proceso (con sus ofertas)", _with_con(lambda con: _process(con, ocid)))


def _process(con, ocid):
    analytics.process_detail(con, ocid)
    analytics.process_checks(con, ocid, None)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
