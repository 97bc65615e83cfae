"""What a person holds, read once per request.

The active memberships are loaded in one query and kept on the user object, so the
`rules` predicates can ask many questions of one request without a query each. Services
that change memberships call `forget` on the user object they changed.
"""

from __future__ import annotations

from .models import Membership, Role

_CACHE = "_cocrea_memberships"


def active_memberships(user) -> list[Membership]:
    if not (user is not None and getattr(user, "is_authenticated", False)) or not user.pk:
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user_id=user.pk, ended_on__isnull=True).select_related(
                "entity", "organization"
            )
        )
        setattr(user, _CACHE, cached)
    return cached


def forget(user) -> None:
    if user is not None and hasattr(user, _CACHE):
        delattr(user, _CACHE)


def has_role(user, kind: str) -> bool:
    return any(m.kind == kind for m in active_memberships(user))


def seats(user) -> list[Membership]:
    return [m for m in active_memberships(user) if m.kind == Role.SECRETARIAT_MEMBER]


def seat_in(user, entity_code: str | None) -> Membership | None:
    """The person's active seat in the secretariat of the entity with this INEGI code."""
    if not entity_code:
        return None
    for m in seats(user):
        if m.entity.code == entity_code:
            return m
    return None


def member_entity_ids(user) -> set[int]:
    return {m.entity_id for m in seats(user)}


def roles_label(user) -> str:
    """The person's roles, for the back office and *Mi espacio*."""
    labels = [str(m) for m in active_memberships(user)]
    return "; ".join(labels) or str(Role.CITIZEN.label)


def holds_nothing(user) -> bool:
    """A signed-in person with no active membership: a citizen."""
    return bool(user is not None and user.is_authenticated and not active_memberships(user))


def back_office_user(user) -> bool:
    """May enter the back office at all (what they see there is scoped by the rules)."""
    return bool(user.is_active and (user.is_superuser or active_memberships(user)))


def public_label(user, obj=None) -> str:
    """Who acted, for public timelines: an organisation and a side, never a person.

    With `obj`, the seat the person holds in that object's entity names the organisation
    they spoke for (a person may sit in several secretariats).
    """
    from django.utils.translation import gettext as _

    from cocrea.core.boundary import entity_code_of

    if user is None or not getattr(user, "is_authenticated", False):
        return _("sistema")
    seat = seat_in(user, entity_code_of(obj)) if obj is not None else None
    if seat is not None:
        side = seat.get_side_display()
        if seat.organization_id:
            return f"{seat.organization.name} ({side})"
        return f"{Role.SECRETARIAT_MEMBER.label} ({side})"
    for kind in (Role.NATIONAL_COORDINATOR, Role.EVALUATOR):
        if has_role(user, kind):
            return str(kind.label)
    return str(Role.CITIZEN.label)
