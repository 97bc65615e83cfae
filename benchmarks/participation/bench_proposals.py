"""Server time of the proposal list and a proposal page with 10,000 proposals and
100,000 comments in one process. Prints median and p95 per page, and the SQL query count.

Run on a throwaway PostgreSQL cluster with `bash benchmarks/participation/run.sh`
(or against any empty database: DATABASE_URL=... python benchmarks/participation/bench_proposals.py).
Times are measured around Django's test client (the whole request/response cycle in
process, without network), after three warm-up requests.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocrea.settings_test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cocrea.participation.scale import build_large_process, remove_large_process  # noqa: E402
from cocrea.territory.models import Entity  # noqa: E402
from cocrea.territory.services import load_reference  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "50"))


def measure(client: Client, url: str) -> tuple[list[float], int]:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return times, len(queries)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    call_command("migrate", interactive=False, verbosity=0)
    load_reference()
    started = time.perf_counter()
    data = build_large_process(Entity.objects.get(code="17"))
    built = time.perf_counter() - started
    process, busy, quiet = data["process"], data["busy"], data["quiet"]
    base = process.get_absolute_url()
    client = Client()
    client.force_login(data["users"][1])
    pages = [
        ("Lista: más apoyadas (p. 1)", base + "propuestas/"),
        ("Lista: más recientes (p. 250)", base + "propuestas/?orden=recientes&pagina=250"),
        ("Lista: tema + estado", base + "propuestas/?tema=salud&estado=aceptada"),
        ("Lista: búsqueda", base + "propuestas/?q=Propuesta+99"),
        ("Propuesta con 2,000 comentarios", busy.get_absolute_url()),
        ("Propuesta con 2,000 comentarios (p. 20)", busy.get_absolute_url() + "?comentarios=20"),
        ("Propuesta típica (10 comentarios)", quiet.get_absolute_url()),
        ("Página del proceso", base),
    ]
    print(f"Base de datos: {connection.vendor} · datos creados en {built:.1f} s")
    print(f"{RUNS} solicitudes por página (tras 3 de calentamiento)\n")
    print(f"{'página':44} {'mediana ms':>11} {'p95 ms':>9} {'consultas':>10}")
    for label, url in pages:
        times, queries = measure(client, url)
        print(f"{label:44} {statistics.median(times):11.1f} {p95(times):9.1f} {queries:10d}")
    remove_large_process(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
