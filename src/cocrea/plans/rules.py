"""Who may change secretariat and plan data, report progress and validate it.

* Members of an entity's secretariat (and national coordinators) edit its data.
* A progress report is filed by the milestone's responsible side (government or civil
  society) and validated or returned only by the counterpart side of the same entity:
  the two keys. Coordinators read everything but hold neither key.
"""

from __future__ import annotations

import rules

from cocrea.accounts.models import Role
from cocrea.accounts.rules import (
    can_edit_entity_data,
    entity_code_of,
    is_national_coordinator,
    is_secretariat_member,
    is_staff_reader,
)
from cocrea.participants.models import OrganizationType

from .models import Side

_SIDE_OF_TYPE = {
    OrganizationType.AUTHORITY: Side.GOVERNMENT,
    OrganizationType.GUARANTOR: Side.GOVERNMENT,
    OrganizationType.CIVIL_SOCIETY: Side.CIVIL_SOCIETY,
    OrganizationType.ACADEMIA: Side.CIVIL_SOCIETY,
}


def side_of(user) -> str | None:
    """The side a secretariat member speaks for.

    Their active seat in the secretariat decides; without a seat, their organisation's
    type (authorities and guarantor bodies are government; civil society and academia
    are civil society).
    """
    if not (user and user.is_authenticated and user.role == Role.SECRETARIAT_MEMBER):
        return None
    cached = getattr(user, "_plans_side", False)
    if cached is not False:
        return cached
    from .models import SecretariatMember

    seat = (
        SecretariatMember.objects.filter(user=user, active=True, secretariat__entity=user.entity_id)
        .values_list("side", flat=True)
        .first()
    )
    side = seat or (_SIDE_OF_TYPE.get(user.organization.type) if user.organization_id else None)
    user._plans_side = side
    return side


def _same_entity(user, obj) -> bool:
    code = entity_code_of(obj)
    return bool(code and user.entity_id and user.entity.code == code)


def _milestone_of(obj):
    return getattr(obj, "milestone", obj)


@rules.predicate
def is_entity_member(user, obj) -> bool:
    return bool(is_secretariat_member(user) and obj is not None and _same_entity(user, obj))


@rules.predicate
def is_responsible_side(user, obj) -> bool:
    """`obj` is a milestone: the user belongs to its entity and to its responsible side."""
    if obj is None or not is_entity_member(user, obj):
        return False
    return side_of(user) == _milestone_of(obj).responsible_side


@rules.predicate
def is_counterpart_side(user, report) -> bool:
    """`report` is a progress report: the user is on the other side of its entity."""
    if report is None or not is_entity_member(user, report.milestone):
        return False
    return side_of(user) == report.validating_side and report.reported_by_id != user.pk


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated)


EDITABLE = [
    "secretariat",
    "secretariatmember",
    "session",
    "agreement",
    "actionplan",
    "plandocument",
    "commitment",
    "milestone",
]
for model in EDITABLE:
    rules.add_perm(f"plans.view_{model}", is_staff_reader)
    rules.add_perm(f"plans.add_{model}", can_edit_entity_data)
    rules.add_perm(f"plans.change_{model}", can_edit_entity_data)
    rules.add_perm(f"plans.delete_{model}", can_edit_entity_data)

rules.add_perm("plans.view_planversion", is_staff_reader)
rules.add_perm("plans.view_progressreport", is_staff_reader)
rules.add_perm("plans.view_evidence", is_staff_reader)
rules.add_perm("plans.delete_evidence", can_edit_entity_data)
rules.add_perm("plans.view_bulkjob", is_national_coordinator | is_secretariat_member)
rules.add_perm("plans.publish_plan", can_edit_entity_data)
rules.add_perm("plans.report_progress", is_responsible_side)
rules.add_perm("plans.validate_report", is_counterpart_side)
rules.add_perm("plans.add_evidence", is_entity_member)
rules.add_perm("plans.follow_commitment", is_authenticated)
rules.add_perm("plans.import_milestones", is_national_coordinator | is_secretariat_member)
rules.add_perm("plans.export_milestones", is_national_coordinator | is_secretariat_member)
