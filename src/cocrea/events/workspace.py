"""*Mi espacio* for events: the person's registrations, their status and certificates.

A registration belongs to an e-mail address, not to an account: it is shown only to an
account whose address is verified, so nobody reads another person's registration by
signing up with their address.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cocrea.accounts.workspace import block

from . import links
from .models import Registration, RegistrationStatus


def _verified_email(user) -> str | None:
    profile = getattr(user, "citizen_profile", None)
    if not user.email or profile is None or profile.email_verified_at is None:
        return None
    return Registration.normalize_email(user.email)


def my_registrations(user):
    email = _verified_email(user)
    if email is None:
        return None
    qs = (
        Registration.objects.filter(email_normalized=email)
        .select_related("event")
        .prefetch_related("attendances")
        .order_by("-event__start", "-id")
    )
    if not qs.exists():
        return None

    def item(r):
        detail = r.get_status_display()
        attended = r.status == RegistrationStatus.CONFIRMED and bool(r.attendances.all())
        if attended:
            detail = _("%(status)s · constancia disponible") % {"status": detail}
        elif r.waitlist_position:
            detail = _("%(status)s · lugar %(n)s en la lista de espera") % {
                "status": detail,
                "n": r.waitlist_position,
            }
        return r.event.title, links.manage_path(r), detail

    return block(_("Mis registros a eventos y constancias"), qs, item)
