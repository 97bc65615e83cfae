"""Fan-out at scale: 10,000 followers of one commitment, notified in bulk, one e-mail each."""

from __future__ import annotations

import pytest
from django.core import mail
from notif_helpers import report

from cocrea.accounts.models import User
from cocrea.notifications import services
from cocrea.notifications.models import EmailMode, Follow, Notification, Preference
from cocrea.plans import services as plans

pytestmark = pytest.mark.django_db

N = 10_000


@pytest.fixture
def crowd(morelos):
    users = User.objects.bulk_create(
        User(username=f"seguidor{i}", email=f"seguidor{i}@example.org", password="!")
        for i in range(N)
    )
    c = morelos["commitment"]
    Follow.objects.bulk_create(Follow(user=u, kind="compromiso", target=str(c.pk)) for u in users)
    Preference.objects.bulk_create(
        Preference(user=u, kind="plans.report_validated", mode=EmailMode.DAILY) for u in users
    )
    return users


def test_ten_thousand_followers_in_bulk(morelos, crowd, django_assert_max_num_queries):
    reports = []
    for milestone, reporter, checker in (
        (morelos["gov_milestone"], morelos["gov_user"], morelos["cso_user"]),
        (morelos["cso_milestone"], morelos["cso_user"], morelos["gov_user"]),
    ):
        r = report(milestone, reporter)
        plans.validate_report(r, actor=checker)  # the announcement waits for the commit
        reports.append(r)
    for r in reports:
        # What the worker does: a handful of queries whatever the number of followers.
        with django_assert_max_num_queries(8):
            assert services.fan_out("plans.report_validated", r) == N
    assert Notification.objects.filter(kind="plans.report_validated").count() == 2 * N
    # One e-mail per person per digest, with both notices; per batch of 500 people: a
    # savepoint, the people, their notices (locked), marking them sent, the release.
    with django_assert_max_num_queries(5 * (N // 500) + 5):
        assert services.send_emails(EmailMode.DAILY) == N
    assert len(mail.outbox) == N
    assert len({m.to[0] for m in mail.outbox}) == N
    assert all(m.subject == "Resumen de Cocrea: 2 avisos" for m in mail.outbox[:50])
    assert services.send_emails(EmailMode.DAILY) == 0
