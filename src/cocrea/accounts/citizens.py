"""Every change to a citizen's own account: sign-up, verification of the e-mail, the privacy
notice, the personal-data download (access) and the deletion (cancellation).

What other capabilities keep about the person comes through `core.registry`: each app
offers its part of the download (`register_account_data`) and what must happen to its rows
before an account goes (`register_account_deletion`); this module imports none of them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.core import audit, registry

from . import selectors
from .models import CitizenProfile
from .permissions import require

PRIVACY_VERSION = "2026-01"
# The salt keeps its first name: links e-mailed before the move still verify.
VERIFY_SALT = "cocrea.participation.verify-email"
VERIFY_MAX_AGE = 3 * 24 * 3600
# Audit actions keep their names ("participation.account.*") so the history reads as one.


class Refused(Exception):
    """Something the person can fix (a taken e-mail, an expired link); shown as is."""


def verification_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


@transaction.atomic
def sign_up(
    *,
    email: str,
    display_name: str,
    password: str,
    accepted_privacy: bool,
    kind: str = CitizenProfile.Kind.PERSON,
    verify_url: str = "",
):
    """Create a citizen account and e-mail the verification link (`verify_url` + token)."""
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    if not accepted_privacy:
        raise Refused(_("Para crear una cuenta debe aceptar el aviso de privacidad."))
    if email_taken(email):
        raise Refused(_("Ya existe una cuenta con ese correo."))
    user = User.objects.create_user(
        username=email,
        email=email,
        password=password,
        display_name=display_name.strip(),
    )
    profile = CitizenProfile.objects.create(
        user=user,
        kind=kind,
        privacy_accepted_at=timezone.now(),
        privacy_version=PRIVACY_VERSION,
    )
    audit.record(
        actor=user,
        action="participation.account.create",
        obj=profile,
        after={"kind": kind, "privacy_version": PRIVACY_VERSION},
    )
    send_verification(user, verify_url)
    return user


def email_taken(email: str, *, other_than=None) -> bool:
    User = get_user_model()
    qs = User.objects.filter(email__iexact=email) | User.objects.filter(username__iexact=email)
    if other_than is not None:
        qs = qs.exclude(pk=other_than.pk)
    return qs.exists()


def send_verification(user, verify_url: str) -> None:
    link = f"{verify_url}{verification_token(user)}/"
    body = render_to_string("accounts/emails/verify.txt", {"user": user, "link": link})
    transaction.on_commit(
        lambda: send_mail(
            _("Confirme su correo en Cocrea"), body, settings.DEFAULT_FROM_EMAIL, [user.email]
        )
    )


@transaction.atomic
def verify_email(token: str):
    """Mark the e-mail of the token's account as verified; returns the user."""
    User = get_user_model()
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise Refused(_("El enlace de verificación venció; solicite uno nuevo.")) from exc
    except signing.BadSignature as exc:
        raise Refused(_("El enlace de verificación no es válido.")) from exc
    # The token names the address: a link sent to an address changed since does not verify.
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise Refused(_("El enlace de verificación no corresponde a ninguna cuenta."))
    profile = CitizenProfile.objects.select_for_update().get(user=user)
    if profile.email_verified_at is None:
        profile.email_verified_at = timezone.now()
        profile.save(update_fields=["email_verified_at"])
        audit.record(actor=user, action="participation.account.verify", obj=profile)
    return user


@transaction.atomic
def accept_privacy(user) -> CitizenProfile:
    """Record acceptance of the current privacy notice (also creates a staff member's profile)."""
    profile, created = CitizenProfile.objects.get_or_create(
        user=user,
        defaults={
            "privacy_accepted_at": timezone.now(),
            "privacy_version": PRIVACY_VERSION,
            "email_verified_at": None,
        },
    )
    if not created:
        profile.privacy_accepted_at = timezone.now()
        profile.privacy_version = PRIVACY_VERSION
        profile.save(update_fields=["privacy_accepted_at", "privacy_version"])
    audit.record(
        actor=user,
        action="participation.account.privacy",
        obj=profile,
        after={"privacy_version": PRIVACY_VERSION},
    )
    return profile


def export_account_data(user, *, actor) -> dict:
    """ARCO access: everything the platform keeps about one account, as JSON-ready data."""
    require(actor, "accounts.manage_account", user)
    profile = getattr(user, "citizen_profile", None)
    data = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
            "participates_as": profile.kind if profile else None,
            "privacy_accepted_at": profile.privacy_accepted_at.isoformat() if profile else None,
            "privacy_version": profile.privacy_version if profile else None,
            "email_verified_at": (
                profile.email_verified_at.isoformat()
                if profile and profile.email_verified_at
                else None
            ),
            "emails_opposed_at": _iso(user.emails_opposed_at),
            "public_name_opposed_at": _iso(user.public_name_opposed_at),
        },
        "memberships": [
            {
                "kind": m.kind,
                "entity": m.entity.code if m.entity_id else None,
                "organization": m.organization.name if m.organization_id else None,
                "side": m.side,
                "seat_role": m.seat_role,
                "started_on": m.started_on.isoformat() if m.started_on else None,
                "ended_on": m.ended_on.isoformat() if m.ended_on else None,
            }
            for m in user.memberships.select_related("entity", "organization").order_by("id")
        ],
        "arco_requests": [
            {
                "right": r.right,
                "text": r.text,
                "status": r.status,
                "filed_at": r.filed_at.isoformat(),
                "due_on": r.due_on.isoformat(),
                "resolution": r.resolution,
            }
            for r in user.arco_requests.order_by("id")
        ],
        # What the other apps keep about the person (proposals, follows, notices…), by app.
        **registry.account_data(user),
    }
    audit.record(actor=actor, action="participation.account.export", obj=user)
    return data


def _iso(value):
    return value.isoformat() if value else None


@transaction.atomic
def delete_account(user, *, actor) -> None:
    """ARCO cancellation: delete the account and its personal data.

    Each app first does what its rows need (co-creation corrects its counters; proposals and
    comments stay in the public record without author, as the process answered them).
    """
    require(actor, "accounts.manage_account", user)
    if not selectors.holds_nothing(user):
        raise Refused(_("Las cuentas institucionales se eliminan desde la coordinación."))
    summary = registry.before_account_deletion(user)
    audit.record(
        actor=None,
        actor_label="cuenta eliminada",
        action="participation.account.delete",
        object_type="accounts.user",
        object_id=user.pk,
        after=summary,
    )
    user.delete()
