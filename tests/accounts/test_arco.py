"""ARCO rights (LGPDPPSO) of a citizen account: access, rectification, cancellation and
opposition; the requests that need a person wait in the back office with their deadline."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from participation_helpers import make_citizen

from cocrea.accounts import arco, citizens
from cocrea.accounts.models import ArcoStatus, CitizenProfile

pytestmark = pytest.mark.django_db


def test_access_downloads_only_the_persons_own_data(client, proposal, ana, beto):
    from cocrea.participation import services as participation

    participation.add_comment(proposal, actor=beto, body="Comentario de Beto")
    client.force_login(ana)
    data = json.loads(client.get("/cuenta/mis-datos.json").content)
    assert data["account"]["email"] == ana.email
    assert data["participation"]["proposals"][0]["title"] == proposal.title
    text = json.dumps(data, ensure_ascii=False)
    assert beto.email not in text and "Comentario de Beto" not in text
    with pytest.raises(PermissionDenied):
        citizens.export_account_data(ana, actor=beto)


def test_rectification_of_name_and_e_mail(client, ana, django_capture_on_commit_callbacks):
    client.force_login(ana)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cuenta/", {"action": "rectify", "display_name": "Ana Pérez",
                                            "email": "Ana.Nueva@Example.org"})  # fmt: skip
    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.display_name, ana.email, ana.username) == (
        "Ana Pérez",
        "ana.nueva@example.org",
        "ana.nueva@example.org",
    )
    # The new address must be verified again: participation waits for it.
    assert CitizenProfile.objects.get(user=ana).email_verified_at is None
    assert mail.outbox[-1].to == ["ana.nueva@example.org"]
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/cuenta/verificar/" in line)
    client.get(link[link.index("/cuenta/verificar/") :])
    assert CitizenProfile.objects.get(user=ana).email_verified_at is not None


def test_rectification_refuses_a_taken_address_and_others(client, ana, beto):
    with pytest.raises(ValidationError) as exc:
        arco.rectify(ana, actor=ana, display_name="Ana", email=beto.email)
    assert "email" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        arco.rectify(ana, actor=beto, display_name="Otra", email=ana.email)
    client.force_login(ana)
    page = client.post("/cuenta/", {"action": "rectify", "display_name": "Ana",
                                    "email": beto.email})  # fmt: skip
    assert (
        page.status_code == 200 and "Ya existe una cuenta con ese correo" in page.content.decode()
    )


def test_cancellation_keeps_the_public_record_without_the_name(client, proposal, ana):
    client.force_login(ana)
    client.post("/cuenta/eliminar/", {"confirm": "eliminar"})
    assert not type(ana).objects.filter(pk=ana.pk).exists()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert proposal.title in page and "Ana P." not in page


def test_opposition_to_e_mails_and_to_the_public_name(client, proposal, ana):
    from cocrea.notifications.models import EmailMode, Notification
    from cocrea.notifications.services import send_emails

    client.force_login(ana)
    client.post("/cuenta/", {"action": "oppose", "emails": "on", "public_name": "on"})
    ana.refresh_from_db()
    assert ana.emails_opposed_at and ana.public_name_opposed_at and ana.is_active
    # No e-mail, though the notice stays in the centre.
    Notification.objects.create(user=ana, kind="prueba", title="Aviso", created_at=timezone.now(),
                                email_mode=EmailMode.IMMEDIATE)  # fmt: skip
    assert send_emails(EmailMode.IMMEDIATE) == 0 and mail.outbox == []
    assert "Aviso" in client.get("/avisos/").content.decode()
    # The pseudonym is no longer shown next to what she published.
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Ana P." not in page and "Participante" in page
    # Consent given back.
    client.post("/cuenta/", {"action": "oppose"})
    ana.refresh_from_db()
    assert ana.emails_opposed_at is None and ana.public_name_opposed_at is None
    assert "Ana P." in client.get(proposal.get_absolute_url()).content.decode()


def test_legal_deadline_counts_business_days():
    friday = datetime.date(2026, 12, 4)
    assert arco.legal_deadline(friday) == datetime.date(2027, 1, 1)
    assert arco.legal_deadline(friday, days=1) == datetime.date(2026, 12, 7)  # Monday


def test_requests_wait_in_the_back_office_with_their_deadline(client, ana, users):
    client.force_login(ana)
    client.post("/cuenta/", {"action": "request", "right": "rectificacion",
                             "text": "Mi nombre aparece mal en la minuta de la mesa 3"})  # fmt: skip
    request = ana.arco_requests.get()
    # Counted from the filing day in Mexico, which is not the UTC day after 18:00 there.
    assert request.due_on == arco.legal_deadline(timezone.localdate(request.filed_at))
    page = client.get("/cuenta/").content.decode()
    assert "Pendiente" in page
    assert f"{request.due_on.day} de" in page
    # Only national coordination answers it.
    with pytest.raises(PermissionDenied):
        arco.resolve_request(request, actor=users["member"], resolution="Hecho")
    with pytest.raises(PermissionDenied):
        arco.resolve_request(request, actor=ana, resolution="Hecho")
    coordinator = users["coordinator"]
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    listing = client.get("/admin/accounts/arcorequest/").content.decode()
    assert "vence en" in listing and "Rectificación" in listing
    client.post(f"/admin/accounts/arcorequest/{request.pk}/change/",
                {"resolution": "Corregimos la minuta."})  # fmt: skip
    request.refresh_from_db()
    assert request.status == ArcoStatus.RESOLVED and request.resolved_by == coordinator
    client.force_login(ana)
    assert "Corregimos la minuta." in client.get("/cuenta/").content.decode()
    with pytest.raises(ValidationError):
        arco.resolve_request(request, actor=coordinator, resolution="Otra vez")


def test_a_member_of_staff_without_coordination_does_not_see_the_queue(client, users):
    member = users["member"]
    member.is_staff = True
    member.save()
    client.force_login(member)
    assert client.get("/admin/accounts/arcorequest/").status_code == 403
    assert make_citizen("otra").arco_requests.count() == 0
