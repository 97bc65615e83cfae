"""ARCO rights (Ley General de Protección de Datos Personales en Posesión de Sujetos
Obligados): access and cancellation are in `citizens` (the download and the deletion);
here rectification, opposition, and the requests that a person of the platform must answer
within the legal deadline (20 business days, art. 51).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.core import audit

from . import citizens
from .models import ArcoRequest, ArcoRight, ArcoStatus, CitizenProfile
from .permissions import require

BUSINESS_DAYS = 20


def legal_deadline(filed: datetime.date, days: int = BUSINESS_DAYS) -> datetime.date:
    """`days` business days after `filed` (Saturdays and Sundays do not count)."""
    day, left = filed, days
    while left:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


@transaction.atomic
def rectify(user, *, actor, display_name: str, email: str, verify_url: str = ""):
    """Correct the public name and the e-mail; a new e-mail must be verified again."""
    require(actor, "accounts.manage_account", user)
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    email = User.objects.normalize_email(email).strip().lower()
    display_name = display_name.strip()
    if not display_name:
        raise ValidationError({"display_name": _("Escriba un nombre público o un seudónimo.")})
    before = {"display_name": user.display_name, "email": user.email}
    changed_email = email != user.email.lower()
    if changed_email and citizens.email_taken(email, other_than=user):
        raise ValidationError({"email": _("Ya existe una cuenta con ese correo.")})
    user.display_name = display_name
    if changed_email:
        user.email = email
        if user.username.lower() == before["email"].lower():
            user.username = email  # citizens log in with their address
    user.save(update_fields=["display_name", "email", "username"])
    if changed_email:
        CitizenProfile.objects.filter(user=user).update(email_verified_at=None)
        citizens.send_verification(user, verify_url)
    audit.record(
        actor=actor,
        action="accounts.arco.rectify",
        obj=user,
        before=before,
        after={"display_name": user.display_name, "email": user.email},
    )
    return user


@transaction.atomic
def oppose(user, *, actor, emails: bool, public_name: bool):
    """Withdraw (or give back) consent to the e-mails and to showing the public name."""
    require(actor, "accounts.manage_account", user)
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    before = {"emails": user.emails_opposed_at is not None,
              "public_name": user.public_name_opposed_at is not None}  # fmt: skip
    user.emails_opposed_at = (user.emails_opposed_at or now) if emails else None
    user.public_name_opposed_at = (user.public_name_opposed_at or now) if public_name else None
    user.save(update_fields=["emails_opposed_at", "public_name_opposed_at"])
    audit.record(actor=actor, action="accounts.arco.oppose", obj=user, before=before,
                 after={"emails": emails, "public_name": public_name})  # fmt: skip
    return user


@transaction.atomic
def file_request(user, *, actor, right: str, text: str, now=None) -> ArcoRequest:
    """A request that needs a person: it waits in the back office with its legal deadline."""
    require(actor, "accounts.manage_account", user)
    if right not in ArcoRight.values:
        raise ValidationError({"right": _("Derecho desconocido.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Describa su solicitud.")})
    now = now or timezone.now()
    request = ArcoRequest.objects.create(
        user=user, right=right, text=text[:4000], filed_at=now,
        due_on=legal_deadline(timezone.localdate(now)),
    )  # fmt: skip
    audit.record(actor=actor, action="accounts.arco.file", obj=request,
                 after={"right": right, "due_on": request.due_on.isoformat()})  # fmt: skip
    return request


@transaction.atomic
def resolve_request(request: ArcoRequest, *, actor, resolution: str, granted: bool = True):
    """National coordination answers a request in writing."""
    require(actor, "accounts.resolve_arcorequest", request)
    request = ArcoRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ArcoStatus.PENDING:
        raise ValidationError(_("La solicitud ya fue respondida."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Escriba la respuesta a la persona.")})
    request.status = ArcoStatus.RESOLVED if granted else ArcoStatus.REJECTED
    request.resolution = resolution.strip()
    request.resolved_at = timezone.now()
    request.resolved_by = actor
    request.save(update_fields=["status", "resolution", "resolved_at", "resolved_by"])
    audit.record(actor=actor, action="accounts.arco.resolve", obj=request,
                 after={"status": request.status})  # fmt: skip
    return request
