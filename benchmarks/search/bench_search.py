"""Time /buscar/ at national scale (run through benchmarks/search/run.sh).

Server time = the whole request through Django's test client (routing, middleware, the
search's queries, the template). Prints queries, median, p95 and the largest time per query.
"""

from __future__ import annotations

import statistics
import sys
import time

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from cocrea.participation.scale import build_large_process  # noqa: E402
from cocrea.plans import scale  # noqa: E402
from cocrea.territory.models import Entity  # noqa: E402
from cocrea.territory.services import load_reference  # noqa: E402

QUERIES = ["contratos", "participacion ciudadana", "tranparencia", "presupuesto", "morelos"]


def main(repetitions: int) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    load_reference()
    started = time.perf_counter()
    data = scale.build()
    large = build_large_process(Entity.objects.get(code="17"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"datos: {data['commitments']} compromisos en {data['plans']} planes, "
        f"{large['process'].proposals.count()} propuestas (creados en {time.perf_counter() - started:.1f} s)"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'búsqueda':26} {'consultas':>9} {'mediana ms':>11} {'p95 ms':>8} {'máx ms':>8}")
    worst = 0.0
    for q in QUERIES:
        for _ in range(3):
            assert client.get("/buscar/", {"q": q}).status_code == 200
        connection.force_debug_cursor = True
        client.get("/buscar/", {"q": q})
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        times = []
        for _ in range(repetitions):
            t0 = time.perf_counter()
            client.get("/buscar/", {"q": q})
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        worst = max(worst, p95)
        print(f"{q:26} {queries:9d} {statistics.median(times):11.1f} {p95:8.1f} {times[-1]:8.1f}")
    print(f"\np95 más alto: {worst:.1f} ms (meta: < 100 ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 50)
