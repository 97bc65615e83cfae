"""Composable permission predicates (the `rules` package).

Every write path asks `user.has_perm(name, obj)`: these rules are the one place that
answers "may this user do this to this object". They read the person's memberships
(`selectors.active_memberships`): a secretariat member may change only the data of the
entities where they hold an active seat; national coordinators may change everything;
evaluators read.
"""

import rules

from . import selectors
from .models import Role


@rules.predicate
def is_national_coordinator(user) -> bool:
    return selectors.has_role(user, Role.NATIONAL_COORDINATOR)


@rules.predicate
def is_secretariat_member(user) -> bool:
    """Holds an active seat in at least one secretariat."""
    return bool(selectors.seats(user))


@rules.predicate
def is_evaluator(user) -> bool:
    return selectors.has_role(user, Role.EVALUATOR)


@rules.predicate
def is_citizen(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_member_of_object_entity(user, obj) -> bool:
    if not selectors.seats(user):
        return False
    if obj is None:
        # Asked about the model, not one object (the admin's change list): members may
        # reach it, and `EntityScopedAdmin.get_queryset` shows only their entities' rows.
        return True
    return selectors.seat_for(user, obj) is not None


is_staff_reader = is_national_coordinator | is_evaluator | is_secretariat_member
can_edit_entity_data = is_national_coordinator | is_member_of_object_entity

rules.add_perm("participants.import_organizations", is_national_coordinator | is_secretariat_member)
rules.add_perm("participants.view_organization", rules.always_allow)
rules.add_perm("participants.add_organization", can_edit_entity_data)
rules.add_perm("participants.change_organization", can_edit_entity_data)
rules.add_perm("participants.delete_organization", can_edit_entity_data)
rules.add_perm("territory.view_entity", rules.always_allow)
rules.add_perm("territory.change_entity", is_national_coordinator)
rules.add_perm("territory.view_adhesion", rules.always_allow)
rules.add_perm("territory.change_adhesion", is_national_coordinator)
rules.add_perm("territory.add_adhesion", is_national_coordinator)
rules.add_perm("territory.delete_adhesion", is_national_coordinator)
rules.add_perm("core.view_auditentry", is_national_coordinator | is_evaluator)
rules.add_perm("accounts.view_user", is_national_coordinator)
rules.add_perm("accounts.add_user", is_national_coordinator)
rules.add_perm("accounts.change_user", is_national_coordinator)
rules.add_perm("accounts.delete_user", is_national_coordinator)
rules.add_perm("accounts.view_membership", is_national_coordinator)
rules.add_perm("accounts.add_membership", is_national_coordinator)
rules.add_perm("accounts.change_membership", is_national_coordinator)
# Deleting in the back office ends the membership (its history stays).
rules.add_perm("accounts.delete_membership", is_national_coordinator)
rules.add_perm("territory.view_municipality", rules.always_allow)
rules.add_perm("territory.add_municipality", is_national_coordinator)
rules.add_perm("territory.change_municipality", is_national_coordinator)
rules.add_perm("territory.delete_municipality", is_national_coordinator)
rules.add_perm("territory.view_municipaladhesion", rules.always_allow)
rules.add_perm("territory.add_municipaladhesion", is_national_coordinator)
rules.add_perm("territory.change_municipaladhesion", is_national_coordinator)
rules.add_perm("territory.delete_municipaladhesion", is_national_coordinator)


@rules.predicate
def is_own_account(user, obj) -> bool:
    return bool(user and user.is_authenticated and obj is not None and obj.pk == user.pk)


# A person's own account: the download, rectification, opposition, requests and deletion.
rules.add_perm("accounts.manage_account", is_own_account)
# ARCO requests wait in the back office for national coordination.
rules.add_perm("accounts.view_arcorequest", is_national_coordinator)
rules.add_perm("accounts.resolve_arcorequest", is_national_coordinator)
rules.add_perm("accounts.change_arcorequest", is_national_coordinator)  # answering it
