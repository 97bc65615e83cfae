"""Time the evaluation pages at national scale (run through benchmarks/evaluation/run.sh).

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

from cocrea.evaluation import scale  # noqa: E402
from cocrea.territory.services import load_reference  # noqa: E402


def main(repetitions: int) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    load_reference()
    started = time.perf_counter()
    data = scale.build()
    built = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"datos: {data['entities']} entidades, {data['plans']} planes, {data['reviews']} "
        f"revisiones publicadas, {data['assessments']} valoraciones (creadas en {built:.1f} s)"
    )
    print(f"PostgreSQL {connection.pg_version // 10000}, {repetitions} repeticiones por página\n")
    client = Client(HTTP_HOST="127.0.0.1")
    review = data["review"]
    pages = {
        "evaluación nacional": "/evaluacion/",
        "nacional filtrada": "/evaluacion/?plan=2&valor=participation&indicador=completed",
        "entidad": f"/evaluacion/{review.plan.entity.slug}/",
        "plan": f"/evaluacion/planes/{review.plan_id}/",
        "revisión": review.get_absolute_url(),
        "informe PDF": f"/evaluacion/revisiones/{review.pk}/informe.pdf",
        "API calificaciones (JSON)": "/api/v1/evaluation/ratings",
        "API calificaciones (CSV)": "/api/v1/evaluation/ratings.csv",
    }
    print(f"{'página':28} {'consultas':>9} {'mediana ms':>11} {'p95 ms':>8} {'máx ms':>8}")
    for name, url in pages.items():
        for _ in range(3):  # warm-up
            assert client.get(url).status_code == 200
        connection.force_debug_cursor = True
        client.get(url)
        queries = list(connection.queries)
        connection.force_debug_cursor = False
        if "-p" in sys.argv and name == "evaluación nacional":
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(client.get, url)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
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
