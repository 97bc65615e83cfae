"""Spanish dates outside the public pages: the e-mails and the notices centre write months in
lower case ("12 nov 14:00", not "12 Nov 14:00")."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from events_helpers import make_open_event, person

from cocrea.events import services

for folder in ("integration", "participation"):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / folder))
from participation_helpers import make_citizen  # noqa: E402
from test_public_site_privacy import CAPITALISED_DATE  # noqa: E402

pytestmark = pytest.mark.django_db
MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]


def test_the_confirmation_e_mail_writes_months_in_lower_case(
    reference, django_capture_on_commit_callbacks
):
    event = make_open_event()
    workshop = event.sessions.get(title__startswith="Taller: rastrear")
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event, **person(1), sessions=[workshop])
    body = mail.outbox[-1].body
    start = timezone.localtime(workshop.start)
    assert f"{start.day} {MONTHS[start.month - 1]} {start:%H:%M}" in body
    assert CAPITALISED_DATE.findall(body) == []


def test_the_notices_centre_writes_months_in_lower_case(client):
    from cocrea.notifications.models import Notification

    citizen = make_citizen("lectora")
    when = timezone.make_aware(datetime.datetime(2026, 11, 11, 10, 30))
    Notification.objects.create(user=citizen, kind="prueba", title="Aviso", created_at=when)
    client.force_login(citizen)
    html = client.get("/avisos/").content.decode()
    assert "11 nov 2026" in html
    assert CAPITALISED_DATE.findall(html) == []
