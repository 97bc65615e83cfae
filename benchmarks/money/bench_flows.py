"""Sigue el Dinero at national scale: budget import, flows tables, and the page queries.

    COCREA_DEBUG=1 uv run --frozen python benchmarks/money/bench_flows.py [PROCESSES] [LINES]

Generates deterministic data (the demo's generator, all 32 entities): PROCESSES compiled
releases (default 50,000) and LINES budget lines (default 200,000), in a temporary
COCREA_MONEY_DIR. Prints the time of `import_budget` (CSV → Parquet in a store snapshot),
of the OCDS import of the compiled releases (store tables, flows tables and red flags over
every process, as `cocrea money import` does), and the median and worst of 5 runs of the
DuckDB queries behind the national, entity and programme pages.
"""

from __future__ import annotations

import io
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocrea.settings")
os.environ.setdefault("COCREA_DEBUG", "1")
TMP = tempfile.mkdtemp(prefix="cocrea-bench-money-")
os.environ["COCREA_MONEY_DIR"] = TMP

import django  # noqa: E402

django.setup()

import orjson  # noqa: E402

from cocrea.money import demo  # noqa: E402
from cocrea.money.analytics import (  # noqa: E402
    database,
    figures,
    findings,
    flows,
    flows_snapshot,
    party_search,
)
from cocrea.money.analytics.database import Scope  # noqa: E402
from cocrea.money.budget import moments  # noqa: E402
from cocrea.money.ocds.importer import import_ocds  # noqa: E402

NAMES = {f"{i:02d}": f"Entidad {i}" for i in range(1, 33)}


def releases(n: int, seed: int = 1):
    builders = {code: demo._Builder(seed, code, name) for code, name in NAMES.items()}
    rng = random.Random(seed)
    codes = list(builders)
    for i in range(n):
        b = builders[codes[i % 32]]
        clave, programa, office, prefix, item, category = demo.PROGRAMS[i % 3]
        method = demo.METHODS[rng.randrange(4)]
        winner = rng.randrange(12)
        others = (
            [] if method[0] == "limited" else rng.sample([k for k in range(12) if k != winner], 3)
        )
        year = 2020 + i % 6
        b.releases = []
        yield b.process(
            year=year, clave=clave, programa=programa, buyer=b.buyer(prefix, office), item=item,
            category=category, method=method, winner=winner, others=others,
            amount=round(rng.uniform(0.1, 9.0) * 1_000_000, 2),
            start=datetime(year, 1 + rng.randrange(10), 1 + rng.randrange(27), 10),
        )  # fmt: skip


def budget_csv(lines: int, seed: int = 2) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    out.write(",".join(moments.COLUMNS) + "\n")
    for i in range(lines):
        clave, programa, office, *_ = demo.PROGRAMS[i % 3]
        a = rng.uniform(1e5, 5e7)
        m = a * rng.uniform(0.9, 1.1)
        c = m * rng.uniform(0.8, 1.0)
        d = c * rng.uniform(0.8, 1.0)
        e = d * rng.uniform(0.9, 1.0)
        p = e * rng.uniform(0.9, 1.0)
        out.write(
            f"{2020 + i % 6},{1 + i % 32},Ramo {i % 40},{office},{programa},{clave}{i % 50:02d},"
            f'{21101 + i % 300},{demo.FUENTES[i % 5]},"{a:,.2f}",{m:.2f},{c:.2f},{d:.2f},'
            f"{e:.2f},{p:.2f}\n"
        )
    return out.getvalue().encode()


def timed(label: str, fn, runs: int = 5) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    print(f"  {label:<38} mediana {statistics.median(times) * 1000:7.1f} ms · peor "
          f"{max(times) * 1000:7.1f} ms")  # fmt: skip


def main(processes: int, lines: int) -> None:
    print(f"directorio: {TMP}")
    data = budget_csv(lines)
    started = time.perf_counter()
    result = moments.import_budget(io.BytesIO(data), "bench")
    took = time.perf_counter() - started
    print(f"presupuesto: {result.lines:,} líneas ({len(data) / 1e6:.1f} MB) en {took:.1f} s "
          f"({result.lines / took:,.0f} líneas/s)")  # fmt: skip

    compiled = os.path.join(TMP, "compiled.jsonl")
    with open(compiled, "wb") as f:
        for release in releases(processes):
            f.write(orjson.dumps(release) + b"\n")
    started = time.perf_counter()
    import_ocds([compiled], "bench")
    result = flows.sync_from_store(force=True)
    took = time.perf_counter() - started
    size = sum(f.stat().st_size for f in flows_snapshot.current_snapshot().iterdir())
    print(f"flujos: {result.processes:,} procesos, {result.transactions:,} pagos, "
          f"{result.flags:,} banderas en {took:.1f} s ({result.processes / took:,.0f} procesos/s;"
          f" {size / 1e6:.1f} MB en disco)")  # fmt: skip
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memoria máxima del proceso hasta aquí: {rss:.0f} MB\n")

    def page(scope: Scope, kind: str):
        def run():
            con = database.connect()
            try:
                figures.funnel(con, scope)
                figures.summary(con, scope)
                figures.top_suppliers(con, scope)
                figures.payments_by_month(con, scope)
                figures.sankey_flows(con, scope)
                findings.checks(con, scope)
                findings.flag_summary(con, scope)
                figures.processes(con, scope)
                if kind == "entity":
                    figures.budget_by_program(con, scope)
                    figures.top_buyers(con, scope)
            finally:
                con.close()

        return run

    def national():
        con = database.connect()
        try:
            figures.entities_overview(con)
            figures.summary(con, Scope())
            figures.funnel(con, Scope())
            findings.flag_summary(con, Scope())
        finally:
            con.close()

    print("consultas DuckDB de cada página (sin Django):")
    timed("portada nacional", national)
    timed("entidad (todos los ciclos)", page(Scope(entity="17"), "entity"))
    timed("entidad, un ciclo", page(Scope(entity="17", year=2024), "entity"))
    timed("programa (todos los ciclos)", page(Scope(entity="17", claves=["E012"]), "program"))
    timed("búsqueda de proveedores", lambda: _search("azteca"))


def _search(q):
    con = database.connect()
    try:
        party_search.search(con, q)
    finally:
        con.close()


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 50_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 200_000,
    )
