"""Who may change secretariat and plan data, report progress and validate it.

* Members of an entity's secretariat (and national coordinators) edit its data.
* A progress report is filed by the milestone's responsible side (government or civil
  society) and validated or returned only by the counterpart side of the same entity:
  the two keys. Coordinators read everything but hold neither key.
"""

from __future__ import annotations

import rules

from cocrea.accounts import selectors as memberships
from cocrea.accounts.rules import (
    can_edit_entity_data,
    is_national_coordinator,
    is_secretariat_member,
    is_staff_reader,
)


def side_of(user, obj) -> str | None:
    """The side a person speaks for in the secretariat of `obj`'s entity, if they sit there.

    The side is the seat's (a membership): the same organisation may sit on the
    government side in one secretariat and a person may hold seats in several.
    """
    seat = memberships.seat_for(user, obj)
    return seat.side if seat is not None else None


def _milestone_of(obj):
    return getattr(obj, "milestone", obj)


@rules.predicate
def is_entity_member(user, obj) -> bool:
    return memberships.seat_for(user, obj) is not None


@rules.predicate
def is_responsible_side(user, obj) -> bool:
    """`obj` is a milestone: the user sits in its entity on its responsible side."""
    if obj is None:
        return False
    milestone = _milestone_of(obj)
    return side_of(user, milestone) == milestone.responsible_side


@rules.predicate
def is_counterpart_side(user, report) -> bool:
    """`report` is a progress report: the user sits on the other side of its entity."""
    if report is None:
        return False
    return (
        side_of(user, report.milestone) == report.validating_side
        and report.reported_by_id != user.pk
    )


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
# Only national coordination corrects an official figure, and always with a public reason.
rules.add_perm("plans.correct_milestone", is_national_coordinator)
rules.add_perm("plans.add_evidence", is_entity_member)
rules.add_perm("plans.import_milestones", is_national_coordinator | is_secretariat_member)
rules.add_perm("plans.export_milestones", is_national_coordinator | is_secretariat_member)
