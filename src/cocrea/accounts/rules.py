"""Composable permission predicates (the `rules` package).

Every write path asks `user.has_perm(name, obj)`: these rules are the one place that
answers "may this user do this to this object". A secretariat member may change only
their own entity's data; national coordinators may change everything; evaluators read.
"""

import rules

from .models import Role


def entity_code_of(obj) -> str | None:
    """The INEGI code of the entity an object belongs to, following common paths."""
    if obj is None:
        return None
    for path in ("entity", "plan.entity", "commitment.plan.entity", "process.entity"):
        target = obj
        for part in path.split("."):
            target = getattr(target, part, None)
            if target is None:
                break
        if target is not None and hasattr(target, "code"):
            return target.code
    return getattr(obj, "code", None) if obj.__class__.__name__ == "Entity" else None


@rules.predicate
def is_national_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.NATIONAL_COORDINATOR)


@rules.predicate
def is_secretariat_member(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.SECRETARIAT_MEMBER)


@rules.predicate
def is_evaluator(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.EVALUATOR)


@rules.predicate
def is_citizen(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_member_of_object_entity(user, obj) -> bool:
    if not (user and user.is_authenticated and user.role == Role.SECRETARIAT_MEMBER):
        return False
    if obj is None:
        # Asked about the model, not one object (the admin's change list): members may
        # reach it, and `EntityScopedAdmin.get_queryset` shows only their entity's rows.
        return True
    code = entity_code_of(obj)
    return code is not None and user.entity_id is not None and user.entity.code == code


is_staff_reader = is_national_coordinator | is_evaluator | is_secretariat_member
can_edit_entity_data = is_national_coordinator | is_member_of_object_entity

rules.add_perm("participants.import_organizations", is_national_coordinator | is_secretariat_member)
rules.add_perm("participants.view_organization", rules.always_allow)
rules.add_perm("participants.add_organization", is_national_coordinator | is_secretariat_member)
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
