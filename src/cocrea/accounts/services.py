"""Every change to what a person holds: memberships are granted and ended here.

Only national coordination changes memberships. Ending a seat keeps its row, so the
person's past reports stay attributed to the organisation and side they spoke for.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.core import audit

from . import selectors
from .models import NATIONAL_ROLES, Membership, Role
from .permissions import require

MEMBERSHIP_FIELDS = ["user", "kind", "entity", "organization", "side", "seat_role",
                     "started_on", "ended_on"]  # fmt: skip


def _clean(membership: Membership) -> None:
    errors = {}
    if membership.kind == Role.SECRETARIAT_MEMBER:
        if membership.entity_id is None:
            errors["entity"] = _("Un lugar en el secretariado necesita su entidad.")
        if not membership.side:
            errors["side"] = _("Indique el sector (gobierno o sociedad civil) del lugar.")
    elif membership.kind in NATIONAL_ROLES and (
        membership.entity_id or membership.organization_id or membership.side
    ):
        errors["kind"] = _("Un papel nacional no lleva entidad, organización ni sector.")
    if (
        membership.ended_on
        and membership.started_on
        and membership.ended_on < membership.started_on
    ):
        errors["ended_on"] = _("La fecha de término es anterior a la de inicio.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_membership(membership: Membership, *, actor) -> Membership:
    """Grant (or change) a membership; the entity boundary holds for its organisation."""
    creating = membership.pk is None
    require(actor, "accounts.change_user", membership.user)
    _clean(membership)
    before = (
        {}
        if creating
        else audit.snapshot(Membership.objects.get(pk=membership.pk), MEMBERSHIP_FIELDS)
    )
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"entity": _("La persona ya tiene ese lugar o papel activo.")}
        ) from exc
    after = audit.snapshot(membership, MEMBERSHIP_FIELDS)
    audit.record(
        actor=actor,
        action="accounts.grant_membership" if creating else "accounts.change_membership",
        obj=membership,
        entity_code=membership.entity.code if membership.entity_id else "",
        before=before or None,
        after=after,
        actor_label=_("coordinación nacional"),
    )
    selectors.forget(membership.user)
    return membership


def grant(user, kind: str, *, actor, entity=None, organization=None, side="", seat_role=None,
          started_on=None) -> Membership:  # fmt: skip
    membership = Membership(
        user=user,
        kind=kind,
        entity=entity,
        organization=organization,
        side=side or "",
        started_on=started_on or timezone.localdate(),
    )
    if seat_role:
        membership.seat_role = seat_role
    membership = save_membership(membership, actor=actor)
    selectors.forget(user)
    return membership


@transaction.atomic
def end_membership(membership: Membership, *, actor, on=None) -> Membership:
    """The person leaves: the seat stops granting permissions, its history stays."""
    require(actor, "accounts.change_user", membership.user)
    if membership.ended_on is not None:
        raise ValidationError(_("Esta membresía ya terminó."))
    membership.ended_on = on or timezone.localdate()
    return save_membership(membership, actor=actor)
