"""Emails to registrants. Each is sent after the transaction that caused it commits."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import links
from .models import Registration, RegistrationStatus, SessionRegistration

logger = logging.getLogger(__name__)


def _send(registration: Registration, template: str, subject: str, base_url: str, **extra) -> None:
    """Render and send one message; `subject` is a msgid with %(title)s, in Spanish."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _(subject) % {"title": extra.pop("subject_title", registration.event.title)}
        context = {
            "registration": registration,
            "event": registration.event,
            "manage_url": links.absolute(base_url, links.manage_path(registration)),
            "seats": list(
                registration.session_choices.select_related("session").order_by("session__start")
            ),
            **extra,
        }
        text = render_to_string(f"events/email/{template}.txt", context)
        html = render_to_string("events/email/message.html", {**context, "text": text})
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[registration.email], from_email=None
    )
    message.attach_alternative(html, "text/html")
    if registration.status == RegistrationStatus.CONFIRMED:
        message.attach(
            "codigo-qr-registro.png", links.qr_png(links.qr_payload(registration)), "image/png"
        )
    try:
        message.send()
    except Exception:  # a mail outage must not undo a committed registration
        logger.exception("Could not send %s email for registration %s", template, registration.pk)


def _load(pk: int) -> Registration | None:
    return Registration.objects.select_related("event", "event__entity").filter(pk=pk).first()


def send_confirmation(pk: int, base_url: str = "") -> None:
    registration = _load(pk)
    if registration is None:
        return
    if registration.status == RegistrationStatus.CONFIRMED:
        subject = gettext_noop("Registro confirmado: %(title)s")
    else:
        subject = gettext_noop("Lista de espera: %(title)s")
    _send(registration, "confirmation", subject, base_url)


def send_promotion(pk: int, base_url: str = "") -> None:
    registration = _load(pk)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return
    _send(registration, "promotion", gettext_noop("Ya tiene lugar: %(title)s"), base_url)


def send_session_promotion(seat_pk: int, base_url: str = "") -> None:
    seat = SessionRegistration.objects.select_related("session", "registration").filter(pk=seat_pk)
    seat = seat.first()
    if seat is None or seat.status != SessionRegistration.Status.CONFIRMED:
        return
    registration = _load(seat.registration_id)
    _send(
        registration,
        "session_promotion",
        gettext_noop("Ya tiene lugar en la sesión: %(title)s"),
        base_url,
        session=seat.session,
        subject_title=seat.session.title,
    )


def send_cancellation(pk: int, base_url: str = "") -> None:
    registration = _load(pk)
    if registration is None:
        return
    _send(registration, "cancellation", gettext_noop("Registro cancelado: %(title)s"), base_url)


def send_bulk(event, recipients: list[str], subject: str, body: str) -> int:
    """One message per person (nobody sees the other addresses)."""
    messages = [
        EmailMultiAlternatives(subject=subject, body=body, to=[address]) for address in recipients
    ]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
