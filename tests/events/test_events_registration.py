"""Registration rules: capacity, waiting list order, one per email, session seats."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from events_helpers import make_open_event, person

from cocrea.core.models import AuditEntry
from cocrea.events import links, services
from cocrea.events.models import (
    Registration,
    RegistrationStatus,
    SessionRegistration,
)

pytestmark = pytest.mark.django_db(transaction=False)


def test_confirmed_until_full_then_waitlisted_in_order(
    reference, django_capture_on_commit_callbacks
):
    event = make_open_event(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        regs = [services.register(event, **person(i)) for i in range(5)]
    assert [r.status for r in regs] == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert [r.waitlist_position for r in regs] == [None, None, 1, 2, 3]
    assert [r.sequence for r in regs] == [1, 2, 3, 4, 5]
    assert len(mail.outbox) == 5
    assert mail.outbox[0].subject.startswith("Registro confirmado")
    assert mail.outbox[2].subject.startswith("Lista de espera")
    # The confirmed email carries the signed link and the QR code for check-in.
    body = mail.outbox[0].body
    match = re.search(r"http://\S+/mi-registro/(\S+)/", body)
    assert links.read_token(match.group(1)).pk == regs[0].pk
    assert regs[0].code in body
    assert mail.outbox[0].attachments[0][0] == "codigo-qr-registro.png"
    assert not mail.outbox[2].attachments


def test_cancel_promotes_first_on_waitlist_with_email(
    reference, django_capture_on_commit_callbacks
):
    event = make_open_event(capacity=2)
    regs = [services.register(event, **person(i)) for i in range(5)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled, promoted = services.cancel_registration(regs[1])
    assert cancelled.status == RegistrationStatus.CANCELLED
    assert [p.pk for p in promoted] == [regs[2].pk]
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses[regs[2].pk] == "confirmed"
    assert statuses[regs[3].pk] == statuses[regs[4].pk] == "waitlisted"
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["persona2@example.org"].startswith("Ya tiene lugar")
    assert subjects["persona1@example.org"].startswith("Registro cancelado")
    # Cancelling a waitlisted person promotes nobody; cancelling twice is harmless.
    _, promoted = services.cancel_registration(regs[4])
    assert promoted == []
    _, promoted = services.cancel_registration(regs[4])
    assert promoted == []
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2


def test_one_registration_per_email_case_insensitive(open_event):
    services.register(open_event, **person(1))
    with pytest.raises(services.AlreadyRegistered):
        services.register(open_event, **person(2, email="  PERSONA1@Example.org "))
    assert Registration.objects.filter(event=open_event).count() == 1


def test_cancelled_email_may_register_again_and_old_link_dies(open_event):
    first = services.register(open_event, **person(1))
    old_token = links.make_token(first)
    services.cancel_registration(first)
    again = services.register(open_event, **person(1))
    assert again.pk == first.pk and again.status == "confirmed"
    assert links.read_token(old_token) is None
    assert links.read_token(links.make_token(again)).pk == again.pk


def test_privacy_notice_is_mandatory(open_event):
    with pytest.raises(ValidationError) as exc:
        services.register(open_event, **person(1, accept_privacy_notice=False))
    assert "accept_privacy_notice" in exc.value.message_dict
    assert not Registration.objects.exists()


def test_closed_registration(open_event):
    open_event.registration_closes = timezone.now() - timedelta(minutes=1)
    open_event.registration_opens = timezone.now() - timedelta(days=2)
    open_event.save()
    with pytest.raises(services.RegistrationClosed):
        services.register(open_event, **person(1))
    open_event.registration_closes = timezone.now() + timedelta(days=1)
    open_event.status = "draft"
    open_event.save()
    with pytest.raises(services.RegistrationClosed):
        services.register(open_event, **person(1))


def test_session_capacity_and_session_waitlist(reference, django_capture_on_commit_callbacks):
    event = make_open_event(capacity=10)
    workshop = event.sessions.get(title__startswith="Taller: rastrear")
    workshop.capacity = 1
    workshop.save()
    a = services.register(event, **person(1), sessions=[workshop])
    b = services.register(event, **person(2), sessions=[workshop])
    seat_a = SessionRegistration.objects.get(registration=a)
    seat_b = SessionRegistration.objects.get(registration=b)
    assert seat_a.status == "confirmed"
    assert seat_b.status == "waitlisted" and seat_b.waitlist_position == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_registration(
            a, name="Persona 1", organization="", sector="academia", entity=None, sessions=[]
        )
    seat_b.refresh_from_db()
    assert seat_b.status == "confirmed"
    assert [m.subject for m in mail.outbox] == [f"Ya tiene lugar en la sesión: {workshop.title}"]


def test_pending_seats_are_allocated_on_promotion(reference):
    event = make_open_event(capacity=1)
    table = event.sessions.filter(capacity__isnull=False).first()
    a = services.register(event, **person(1))
    b = services.register(event, **person(2), sessions=[table])
    assert SessionRegistration.objects.get(registration=b).status == "pending"
    services.cancel_registration(a)
    assert SessionRegistration.objects.get(registration=b).status == "confirmed"


def test_sessions_without_capacity_cannot_be_chosen(open_event):
    keynote = open_event.sessions.filter(capacity__isnull=True).first()
    with pytest.raises(ValidationError):
        services.register(open_event, **person(1), sessions=[keynote])


def test_more_capacity_promotes_waitlist(reference, users):
    event = make_open_event(capacity=1)
    services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    event.capacity = 2
    services.save_event(event, actor=users["coordinator"])
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_audit_entries_hold_no_personal_data(open_event):
    reg = services.register(open_event, **person(7, name="Nombre Secreto"))
    services.cancel_registration(reg)
    entries = AuditEntry.objects.filter(action__startswith="events.registration")
    assert entries.count() == 2
    for entry in entries:
        dump = f"{entry.before} {entry.after} {entry.object_repr}"
        assert "persona7@example.org" not in dump and "Nombre Secreto" not in dump
