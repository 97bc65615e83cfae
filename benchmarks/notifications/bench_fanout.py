"""Fan-out at scale (run through benchmarks/notifications/run.sh).

For each N: N people follow one commitment; a validated report of one of its milestones is
fanned out (what the worker's `fan_out` task does: one query for the audience and its
preferences, bulk inserts of 5,000), then the daily digest sends one e-mail per person.
"""

from __future__ import annotations

import datetime
import sys
import time

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from cocrea.accounts.models import User  # noqa: E402
from cocrea.notifications import services  # noqa: E402
from cocrea.notifications.models import EmailMode, Follow, Notification, Preference  # noqa: E402
from cocrea.plans.models import ActionPlan, Commitment, Milestone, ProgressReport  # noqa: E402
from cocrea.territory.models import Entity  # noqa: E402
from cocrea.territory.services import load_reference  # noqa: E402


def timed(fn):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
    return result, elapsed, len(queries)


def main(sizes: list[int]) -> None:
    setup_test_environment()  # locmem e-mail backend: the digest is built, not delivered
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", interactive=False, verbosity=0)
    load_reference()
    entity = Entity.objects.get(code="17")
    plan = ActionPlan.objects.create(
        entity=entity, sequence=1, title="Plan", status="implementacion"
    )
    print(f"PostgreSQL {connection.pg_version // 10000}\n")
    print(f"{'seguidores':>10} {'paso':30} {'segundos':>9} {'consultas':>9}")
    for index, n in enumerate(sizes, start=1):
        Notification.objects.all().delete()
        Follow.objects.all().delete()
        Preference.objects.all().delete()
        User.objects.filter(username__startswith="bench").delete()
        commitment = Commitment.objects.create(plan=plan, number=index, title=f"Compromiso {n}")
        milestone = Milestone.objects.create(
            commitment=commitment, number=1, title="Hito", weight=1, responsible_side="gobierno",
            start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31),
        )  # fmt: skip
        report = ProgressReport.objects.create(
            milestone=milestone, date=datetime.date(2026, 3, 1), text="Avance", progress=50,
            side="gobierno", status="validado",
        )  # fmt: skip
        users = User.objects.bulk_create(
            (User(username=f"bench{i}", email=f"bench{i}@example.org", password="!")
             for i in range(n)), batch_size=5000,
        )  # fmt: skip
        Follow.objects.bulk_create(
            (Follow(user=u, kind="compromiso", target=str(commitment.pk)) for u in users),
            batch_size=5000,
        )
        Preference.objects.bulk_create(
            (
                Preference(user=u, kind="plans.report_validated", mode=EmailMode.DAILY)
                for u in users
            ),
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        count, seconds, queries = timed(
            lambda report=report: services.fan_out("plans.report_validated", report)
        )
        assert count == n, count
        print(f"{n:>10} {'fan-out (avisos en bloque)':30} {seconds:>9.2f} {queries:>9}")
        mail.outbox = []
        sent, seconds, queries = timed(lambda: services.send_emails(EmailMode.DAILY))
        assert sent == n == len(mail.outbox), (sent, len(mail.outbox))
        print(f"{n:>10} {'resumen diario (1 correo c/u)':30} {seconds:>9.2f} {queries:>9}")
        mail.outbox = []


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    main(sizes)
