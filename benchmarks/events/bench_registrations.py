"""Concurrent registrations against one event: throughput, latency, and the invariants.

Fires N registrations (default 1,000) from W threads (default 40), each thread with its
own database connection, at an event with C seats (default 300), then checks that
exactly C are confirmed, the waiting list is 1..N-C in lock order, and no email repeats.
Prints registrations per second and the median / p95 / max latency of one registration
(the time spent waiting for the event's row lock included).

    bash benchmarks/events/run.sh                      # throwaway PostgreSQL 15
    DATABASE_URL=... python benchmarks/events/bench_registrations.py --people 2000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocrea.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from cocrea.events import demo, services  # noqa: E402
from cocrea.events.models import Event, Registration  # noqa: E402
from cocrea.territory.services import load_reference  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=40)
    parser.add_argument("--seats", type=int, default=300)
    args = parser.parse_args()

    call_command("migrate", interactive=False, verbosity=0)
    load_reference()
    Registration.objects.filter(event__slug="bench-registros").delete()
    Event.objects.filter(slug="bench-registros").delete()
    now = timezone.now()
    event = demo.create_event(
        slug="bench-registros",
        title="Benchmark",
        description="",
        first_day=date.today() + timedelta(days=30),
        programme=demo.UPCOMING_PROGRAMME,
        capacity=args.seats,
        registration_opens=now - timedelta(days=1),
        registration_closes=now + timedelta(days=20),
    )

    def one(n: int) -> float:
        start = time.perf_counter()
        try:
            services.register(
                event,
                name=f"Persona {n}",
                email=f"bench{n}@example.org",
                sector="other",
                accept_privacy_notice=True,
            )
        finally:
            connections.close_all()
        return time.perf_counter() - start

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        latencies = sorted(pool.map(one, range(args.people)))
    elapsed = time.perf_counter() - began

    regs = list(Registration.objects.filter(event=event).order_by("sequence"))
    confirmed = [r for r in regs if r.status == "confirmed"]
    waitlisted = [r for r in regs if r.status == "waitlisted"]
    ok = (
        len(regs) == args.people
        and len(confirmed) == args.seats
        and [r.waitlist_position for r in waitlisted]
        == list(range(1, args.people - args.seats + 1))
        and {r.sequence for r in confirmed} == set(range(1, args.seats + 1))
        and len({r.email_normalized for r in regs}) == args.people
    )
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"database: {connection.vendor}; {args.people} registrations, {args.workers} threads, {args.seats} seats"
    )
    print(f"wall time: {elapsed:.2f} s  ->  {args.people / elapsed:.0f} registrations/s")
    print(
        f"latency per registration: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(f"confirmed {len(confirmed)}, waitlisted {len(waitlisted)}; invariants hold: {ok}")
    Registration.objects.filter(event=event).delete()
    event.delete()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
