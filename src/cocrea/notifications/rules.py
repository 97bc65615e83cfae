"""Who may follow, read and configure notifications (the `rules` predicates)."""

from __future__ import annotations

import rules

from cocrea.accounts import selectors
from cocrea.accounts.models import Role


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_self(user, obj) -> bool:
    """`obj` is the person, or belongs to the person (a notification, a follow)."""
    if obj is None or not is_authenticated(user):
        return False
    owner_id = getattr(obj, "user_id", None) if not hasattr(obj, "get_username") else obj.pk
    return owner_id == user.pk


def sees_inside(user, entity_id: int | None) -> bool:
    """Sees what is still private to an entity's secretariat (drafts): its members and the
    national coordination."""
    if not is_authenticated(user):
        return False
    if user.is_superuser or selectors.has_role(user, Role.NATIONAL_COORDINATOR):
        return True
    return entity_id in selectors.member_entity_ids(user)


rules.add_perm("notifications.follow", is_authenticated)
rules.add_perm("notifications.read", is_self)
rules.add_perm("notifications.set_preferences", is_self)
rules.add_perm("notifications.view_notification", rules.is_superuser)
rules.add_perm("notifications.view_follow", rules.is_superuser)
