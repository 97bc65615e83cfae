"""E-mail through the queue: per-type modes, digests, one-click unsubscribe, failures."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from notif_helpers import follow
from smtp_server import SMTPServer

from cocrea.accounts.models import Role
from cocrea.notifications import services
from cocrea.notifications.models import EmailMode, Notification, Preference
from people import make_user

pytestmark = pytest.mark.django_db

FLAG = {"role": "supplier", "party_id": "MX-RFC-ABC010101AB1", "name": "Constructora Ejemplo",
        "flag": "Proveedor único", "ocid": "ocds-abc-001"}  # fmt: skip


def _flag(n=1, **extra):
    for i in range(n):
        services.fan_out("money.red_flag", None, {**FLAG, "ocid": f"ocds-abc-{i:03}", **extra})


@pytest.fixture
def four(reference):
    """Four citizens following one supplier, one per e-mail mode."""
    people = {}
    for mode in EmailMode.values:
        user = make_user(f"p_{mode}", Role.CITIZEN)
        follow(user, "proveedor", FLAG["party_id"])
        Preference.objects.create(user=user, kind="money.red_flag", mode=mode)
        people[mode] = user
    return people


def test_each_mode_gets_what_it_chose(four, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _flag(3)
    # Immediate: sent by the queue right away; the three notices, waiting together, in one.
    assert [m.to for m in mail.outbox] == [["p_inmediato@example.org"]]
    mail.outbox.clear()
    assert services.send_emails(EmailMode.DAILY) == 1
    assert services.send_emails(EmailMode.DAILY) == 0  # sent once
    assert services.send_emails(EmailMode.WEEKLY) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["p_diario@example.org", "p_semanal@example.org"]
    daily = next(m for m in mail.outbox if m.to == ["p_diario@example.org"])
    assert daily.subject == "Resumen de Cocrea: 3 avisos"
    assert daily.body.count("Nueva bandera roja: Constructora Ejemplo") == 3
    assert (
        "https://cocrea.example.org/sigue-el-dinero/proveedores/MX-RFC-ABC010101AB1/" in daily.body
    )
    # "none" never gets an e-mail, but everyone has the notices in the centre.
    assert Notification.objects.filter(user=four["ninguno"]).count() == 3
    assert services.send_emails(EmailMode.NONE) == 0
    assert not any(m.to == ["p_ninguno@example.org"] for m in mail.outbox)


def test_default_modes_and_preferences_page(client, users):
    client.force_login(users["citizen"])
    page = client.get("/avisos/preferencias/").content.decode()
    assert "Nueva bandera roja en Sigue el Dinero" in page
    response = client.post("/avisos/preferencias/", {"money.red_flag": "semanal",
                                                      "plans.report_returned": "ninguno"})  # fmt: skip
    assert response.status_code == 302
    modes = services.modes_for(users["citizen"])
    assert modes["money.red_flag"] == "semanal" and modes["plans.report_returned"] == "ninguno"
    assert modes["plans.plan_version"] == "diario"  # untouched: the type's default
    client.post("/avisos/preferencias/", {"money.red_flag": "cada-hora"})
    assert services.modes_for(users["citizen"])["money.red_flag"] == "semanal"


def test_every_email_has_one_click_unsubscribe_without_login(client, four):
    _flag(1)
    services.send_emails(EmailMode.DAILY)
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert link in message.body
    path = link.removeprefix("https://cocrea.example.org")
    assert path.startswith("/avisos/baja/")
    # Looking at the link changes nothing (mail scanners open links).
    page = client.get(path)
    assert page.status_code == 200 and "Darme de baja" in page.content.decode()
    assert services.modes_for(four["diario"])["money.red_flag"] == "diario"
    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", without a session or CSRF.
    csrf_client = type(client)(enforce_csrf_checks=True)
    done = csrf_client.post(path, "List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert done.status_code == 200
    assert services.modes_for(four["diario"])["money.red_flag"] == "ninguno"
    _flag(1)
    mail.outbox.clear()
    services.send_emails(EmailMode.DAILY)
    assert mail.outbox == []
    # A tampered token does nothing.
    bad = client.post(path[:-3] + "xyz/")
    assert bad.status_code == 400


def test_a_refused_recipient_does_not_stop_the_queue(settings, reference):
    """Through the task queue, against a real SMTP server that bounces one address."""
    people = []
    for name in ("uno", "rebota", "tres"):
        user = make_user(f"smtp_{name}", Role.CITIZEN)
        follow(user, "proveedor", FLAG["party_id"])
        people.append(user)
    _flag(1)
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "cocrea.operations.mail.TaskEmailBackend"
        settings.COCREA_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = False
        services.send_emails(EmailMode.DAILY)
    delivered = sorted(r[0][0] for r in server.received)
    assert delivered == ["smtp_tres@example.org", "smtp_uno@example.org"]
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in server.received[0][1]
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_failing_direct_backend_does_not_stop_the_rest(settings, reference):
    """Even with SMTP straight from the worker (no queue), one refusal skips one person."""
    for name in ("uno", "rebota", "tres"):
        follow(make_user(f"d_{name}", Role.CITIZEN), "proveedor", FLAG["party_id"])
    _flag(1)
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = False
        sent = services.send_emails(EmailMode.DAILY)
    assert sent == 2
    assert sorted(r[0][0] for r in server.received) == ["d_tres@example.org", "d_uno@example.org"]
