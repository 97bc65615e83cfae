"""Time the three tracking pages at national scale (run through benchmarks/plans/run.sh).

Server time = the full Django request/response cycle through the test client (URL routing,
middleware, views, queries, templates), without network or browser. Prints median and p95.
"""

from __future__ import annotations

import statistics
import sys
import time

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from cocrea.plans import scale  # noqa: E402
from cocrea.territory.services import load_reference  # noqa: E402


def main(repetitions: int) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    load_reference()
    started = time.perf_counter()
    data = scale.build()
    built = time.perf_counter() - started
    if "--no-analyze" not in sys.argv:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if "--explain" in sys.argv:
        from cocrea.plans import selectors

        connection.force_debug_cursor = True
        selectors.board()
        for q in list(connection.queries):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + q["sql"])
                print("\n".join(r[0] for r in cursor.fetchall()))
        connection.force_debug_cursor = False
    print(
        f"datos: {data['entities']} entidades, {data['plans']} planes, {data['commitments']} "
        f"compromisos, {data['milestones']} hitos, {data['reports']} reportes "
        f"(creados en {built:.1f} s)"
    )
    print(f"PostgreSQL {connection.pg_version // 10000}, {repetitions} repeticiones por página\n")
    client = Client(HTTP_HOST="127.0.0.1")
    pages = {
        "tablero nacional": "/seguimiento/",
        "tablero filtrado": "/seguimiento/?valor=participacion&plan=2",
        "plan de la entidad": f"/seguimiento/{data['entity'].slug}/",
        "compromiso": data["commitment"].get_absolute_url(),
        "API compromisos (entidad)": f"/api/v1/commitments?entity={data['entity'].code}",
    }
    print(f"{'página':28} {'consultas':>9} {'mediana ms':>11} {'p95 ms':>8} {'máx ms':>8}")
    for name, url in pages.items():
        for _ in range(3):  # warm-up
            assert client.get(url).status_code == 200
        # The test client resets the query log when a request starts: read it afterwards.
        connection.force_debug_cursor = True
        client.get(url)
        queries = list(connection.queries)
        connection.force_debug_cursor = False
        if "-p" in sys.argv:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(client.get, url)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        if "-v" in sys.argv:
            for q in queries:
                print(f"   {float(q['time']) * 1000:8.1f} ms  {q['sql'][:150]}")
        times = []
        for _ in range(repetitions):
            reset_queries()
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
        print(
            f"{name:28} {len(queries):>9} {statistics.median(times):>11.1f} {p95:>8.1f} "
            f"{times[-1]:>8.1f}"
        )


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    main(int(args[0]) if args else 40)
