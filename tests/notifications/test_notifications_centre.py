"""The in-app centre: unread count in the header, read/unread, mark all read, bounded queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocrea.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _notes(user, n, start=0):
    Notification.objects.bulk_create(
        Notification(
            user=user,
            kind="plans.report_validated",
            title=f"Aviso {i}",
            body="Texto",
            url="/seguimiento/",
            created_at=timezone.now(),
        )  # fmt: skip
        for i in range(start, start + n)
    )


def test_header_count_list_and_mark_all_read(client, users):
    citizen = users["citizen"]
    _notes(citizen, 3)
    _notes(users["evaluator"], 2)
    client.force_login(citizen)
    home = client.get("/seguimiento/").content.decode()
    assert 'data-unread="3"' in home
    page = client.get("/avisos/").content.decode()
    assert "3 avisos sin leer" in page and page.count("nt-unread") == 3
    assert "Aviso 0" in page and "@example.org" not in page
    client.post("/avisos/leidos/")
    assert Notification.objects.filter(user=citizen, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(user=users["evaluator"], read_at__isnull=True).count() == 2
    page = client.get("/avisos/").content.decode()
    assert "nt-unread" not in page and "Marcar todo como leído" not in page
    assert 'data-unread="0"' in page


def test_anonymous_has_no_centre(client):
    assert client.get("/avisos/").status_code == 302
    assert "data-unread" not in client.get("/seguimiento/").content.decode()


def test_the_centre_runs_the_same_queries_for_5_or_5000(
    client, users, django_assert_max_num_queries
):
    citizen = users["citizen"]
    client.force_login(citizen)
    _notes(citizen, 5)
    with CaptureQueriesContext(connection) as few:
        client.get("/avisos/")
    _notes(citizen, 4995, start=5)
    with CaptureQueriesContext(connection) as many, django_assert_max_num_queries(12):
        page = client.get("/avisos/").content.decode()
    assert len(many) == len(few)
    assert "5000 avisos sin leer" in page
    assert page.count("nt-item") == 50  # the latest page only
    with django_assert_max_num_queries(12):
        client.post("/avisos/leidos/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
