"""Never oversell: 210 concurrent registrations (10 of them repeated emails) for 50 seats.

Each worker thread uses its own database connection, so the registrations really race
on PostgreSQL's row lock. Order is defined by `sequence`, taken under the event lock:
the first 50 sequences are confirmed and the waiting list follows the same order.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from events_helpers import make_open_event, person

from cocrea.events import services
from cocrea.events.models import Registration

WORKERS = 40
SEATS = 50
PEOPLE = 200
REPEATS = 10


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_registrations_never_oversell(reference, settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (scripts/test.sh)")
    event = make_open_event(capacity=SEATS)
    # 200 different people plus 10 who submit twice at the same time.
    payloads = [person(i) for i in range(PEOPLE)] + [person(i) for i in range(REPEATS)]
    start = threading.Barrier(WORKERS)
    barrier_used = threading.local()

    def attempt(data):
        try:
            if not getattr(barrier_used, "done", False):
                barrier_used.done = True
                start.wait(timeout=30)
            try:
                reg = services.register(event, **data)
                return ("ok", reg.pk, reg.status)
            except services.AlreadyRegistered:
                return ("duplicate", None, None)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(attempt, payloads))

    ok = [r for r in results if r[0] == "ok"]
    assert len(ok) == PEOPLE
    assert sum(1 for r in results if r[0] == "duplicate") == REPEATS

    regs = list(Registration.objects.filter(event=event).order_by("sequence"))
    assert len(regs) == PEOPLE
    assert len({r.email_normalized for r in regs}) == PEOPLE
    confirmed = [r for r in regs if r.status == "confirmed"]
    waitlisted = [r for r in regs if r.status == "waitlisted"]
    assert len(confirmed) == SEATS
    assert len(waitlisted) == PEOPLE - SEATS
    # Sequences are 1..200 without gaps; the first 50 to get the lock got the seats.
    assert [r.sequence for r in regs] == list(range(1, PEOPLE + 1))
    assert {r.sequence for r in confirmed} == set(range(1, SEATS + 1))
    # The waiting list is 1..150 in the same order as the lock was taken.
    assert [r.waitlist_position for r in waitlisted] == list(range(1, PEOPLE - SEATS + 1))
    assert [r.created_at for r in regs] == sorted(r.created_at for r in regs)
    # What each caller was told matches what was stored.
    stored = {r.pk: r.status for r in regs}
    assert all(stored[pk] == status for _, pk, status in ok)
    event.refresh_from_db()
    assert event.registration_seq == PEOPLE and event.waitlist_seq == PEOPLE - SEATS

    # Freeing 3 seats concurrently promotes exactly positions 1, 2, 3.
    def cancel(reg):
        try:
            services.cancel_registration(reg)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(cancel, confirmed[:3]))
    now_confirmed = Registration.objects.filter(event=event, status="confirmed")
    assert now_confirmed.count() == SEATS
    promoted = sorted(
        now_confirmed.exclude(waitlist_position=None).values_list("waitlist_position", flat=True)
    )
    assert promoted == [1, 2, 3]
