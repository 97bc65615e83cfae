"""Every change of state of notifications: follows, fan-out, reading, preferences, e-mail.

The fan-out and the e-mail run in tasks (see tasks.py); the functions here are what those
tasks and the thin views call.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cocrea.accounts.models import Membership, Role
from cocrea.accounts.permissions import require
from cocrea.core import audit

from . import targets as target_registry
from .models import EmailMode, Follow, Notification, Preference
from .types import TYPES, seat_query

logger = logging.getLogger(__name__)

BATCH = 5000
UNSUBSCRIBE_SALT = "cocrea.notifications.unsubscribe"


# ----------------------------------------------------------------------------- follows


@transaction.atomic
def follow(user, kind: str, identifier: str, *, actor) -> Follow:
    require(actor, "notifications.follow")
    target = target_registry.resolve(kind, identifier, user)
    if target is None:
        raise ValidationError(_("No se encontró lo que quiere seguir."))
    row, created = Follow.objects.get_or_create(user=user, kind=kind, target=target.identifier)
    if created:
        audit.record(actor=actor, action="notifications.follow", obj=row,
                     after={"kind": kind, "target": target.identifier})  # fmt: skip
    return row


@transaction.atomic
def unfollow(user, kind: str, identifier: str, *, actor) -> bool:
    require(actor, "notifications.follow")
    deleted, _n = Follow.objects.filter(user=user, kind=kind, target=identifier).delete()
    if deleted:
        audit.record(actor=actor, action="notifications.unfollow", object_type="notifications.follow",
                     after={"kind": kind, "target": identifier})  # fmt: skip
    return bool(deleted)


def follow_as_author(user, kind: str, identifier: str) -> None:
    """Authors follow what they create (a system action on their behalf)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    Follow.objects.get_or_create(user=user, kind=kind, target=str(identifier))


# ----------------------------------------------------------------------------- fan-out


def _render(spec, audience) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(spec.template, audience.context).strip()
    title, _sep, body = text.partition("\n")
    return title.strip()[:300], body.strip()


def audience_users(kind: str, audience, actor_id: int | None = None):
    """The people to tell, as one query: (user id, e-mail mode chosen for this type)."""
    who = Q(pk__in=[])
    if audience.targets:
        followed = Q()
        for target_kind, identifier in audience.targets:
            followed |= Q(kind=target_kind, target=identifier)
        who |= Q(pk__in=Follow.objects.filter(followed).values("user_id"))
    if audience.people:
        who |= Q(pk__in=audience.people)
    if audience.people_query is not None:
        who |= audience.people_query
    users = get_user_model().objects.filter(who, is_active=True)
    if actor_id:
        users = users.exclude(pk=actor_id)
    if audience.private_entity_id is not None:
        national = Membership.objects.filter(
            kind=Role.NATIONAL_COORDINATOR, ended_on__isnull=True
        ).values("user_id")
        users = users.filter(
            seat_query(audience.private_entity_id) | Q(pk__in=national) | Q(is_superuser=True)
        )
    mode = Preference.objects.filter(user=OuterRef("pk"), kind=kind).values("mode")[:1]
    return users.annotate(mode=Subquery(mode)).order_by().values_list("pk", "mode")


@transaction.atomic
def fan_out(kind: str, obj, data: dict | None = None, actor_id: int | None = None) -> int:
    """Create the notifications of one happening in bulk; queue the immediate e-mails."""
    spec = TYPES[kind]
    audience = spec.build(obj, data or {})
    if audience is None:
        return 0
    title, body = _render(spec, audience)
    now = timezone.now()
    rows = list(audience_users(kind, audience, actor_id))
    # People the announcing app already e-mailed about this (e.g. the proposer's answer).
    emailed = set((data or {}).get("already_emailed") or ())
    batch = []
    immediate = False
    for user_id, mode in rows:
        mode = EmailMode.NONE if user_id in emailed else (mode or spec.default_mode)
        immediate = immediate or mode == EmailMode.IMMEDIATE
        batch.append(Notification(user_id=user_id, kind=kind, title=title, body=body,
                                  url=audience.url, created_at=now, email_mode=mode))  # fmt: skip
    Notification.objects.bulk_create(batch, batch_size=BATCH)
    if immediate:
        from .tasks import send_emails

        transaction.on_commit(lambda: send_emails.enqueue(EmailMode.IMMEDIATE))
    return len(batch)


# ----------------------------------------------------------------------------- reading


@transaction.atomic
def mark_read(user, *, actor, ids=None) -> int:
    require(actor, "notifications.read", user)
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


# ----------------------------------------------------------------------------- preferences


def modes_for(user) -> dict[str, str]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "mode"))
    return {kind: chosen.get(kind, spec.default_mode) for kind, spec in TYPES.items()}


@transaction.atomic
def set_preferences(user, modes: dict[str, str], *, actor) -> dict[str, str]:
    require(actor, "notifications.set_preferences", user)
    before = modes_for(user)
    for kind, mode in modes.items():
        if kind not in TYPES or mode not in EmailMode.values:
            raise ValidationError(_("Preferencia no válida."))
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"mode": mode})
    after = modes_for(user)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit.record(actor=actor, action="notifications.preferences", obj=user, after=changed)
    return after


def unsubscribe_token(user_id: int, kinds: list[str]) -> str:
    return signing.dumps({"u": user_id, "k": sorted(set(kinds))}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return int(data["u"]), [k for k in data["k"] if k in TYPES]


@transaction.atomic
def unsubscribe(token: str) -> int:
    """One click, no log-in: the signed token names the person and the types of one e-mail."""
    parsed = read_unsubscribe_token(token)
    if parsed is None:
        raise ValidationError(_("El enlace para darse de baja no es válido."))
    user_id, kinds = parsed
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    for kind in kinds:
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"mode": EmailMode.NONE})
    Notification.objects.filter(user=user, kind__in=kinds, emailed_at__isnull=True).update(
        email_mode=EmailMode.NONE
    )
    audit.record(actor=None, actor_label="baja por enlace", action="notifications.unsubscribe",
                 obj=user, after={"kinds": kinds})  # fmt: skip
    return len(kinds)


# ----------------------------------------------------------------------------- e-mail


def _base_url() -> str:
    return getattr(settings, "COCREA_BASE_URL", "").rstrip("/")


def _message(user, notes: list[Notification], mode: str) -> EmailMultiAlternatives:
    base = _base_url()
    kinds = sorted({n.kind for n in notes})
    with translation.override(settings.LANGUAGE_CODE):
        link = base + reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk, kinds)])
        if len(notes) == 1:
            subject = notes[0].title
        elif mode == EmailMode.WEEKLY:
            subject = _("Resumen semanal de Cocrea: %(n)s avisos") % {"n": len(notes)}
        else:
            subject = _("Resumen de Cocrea: %(n)s avisos") % {"n": len(notes)}
        body = render_to_string(
            "notifications/emails/notice.txt",
            {
                "notes": notes,
                "base": base,
                "unsubscribe": link,
                "centre": base + reverse("notifications:centre"),
            },  # fmt: skip
        )
    return EmailMultiAlternatives(
        subject=subject[:200],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },  # fmt: skip
    )


def send_emails(mode: str, *, users_per_batch: int = 500) -> int:
    """One e-mail per person with what waits for `mode`; a failed send does not stop the rest."""
    if mode == EmailMode.NONE:
        return 0
    sent = 0
    while True:
        with transaction.atomic():
            user_ids = list(
                Notification.objects.filter(email_mode=mode, emailed_at__isnull=True)
                .order_by("user_id")
                .values_list("user_id", flat=True)
                .distinct()[:users_per_batch]
            )
            if not user_ids:
                return sent
            notes = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(email_mode=mode, emailed_at__isnull=True, user_id__in=user_ids)
                .select_related("user")
                .order_by("user_id", "created_at", "id")
            )
            if not notes:
                return sent
            Notification.objects.filter(pk__in=[n.pk for n in notes]).update(
                emailed_at=timezone.now()
            )
            by_user: dict[int, list[Notification]] = {}
            for note in notes:
                by_user.setdefault(note.user_id, []).append(note)
            for group in by_user.values():
                user = group[0].user
                if not user.email or user.emails_opposed_at is not None:
                    continue  # no address, or consent to e-mails withdrawn (ARCO opposition)
                try:
                    sent += _message(user, group, mode).send()
                except Exception:  # a refused or bounced message: log it, go on with the rest
                    logger.exception("notification e-mail to user %s failed", user.pk)
