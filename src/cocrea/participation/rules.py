"""Who may do what in a co-creation process."""

import rules

from cocrea.accounts import selectors as memberships
from cocrea.accounts.rules import is_national_coordinator, is_secretariat_member, is_staff_reader


def process_of(obj):
    """The Process an object belongs to (process, proposal, response, comment, table...)."""
    for path in ("process", "proposal.process", "table.process", "comment.proposal.process"):
        target = obj
        for part in path.split("."):
            target = getattr(target, part, None)
            if target is None:
                break
        if target is not None:
            return target
    return obj if obj.__class__.__name__ == "Process" else None


@rules.predicate
def is_member_of_process_entity(user, obj) -> bool:
    if not is_secretariat_member(user):
        return False
    if obj is None:
        return True
    process = process_of(obj)
    return process is not None and memberships.seat_for(user, process) is not None


@rules.predicate
def is_verified_citizen(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    profile = getattr(user, "citizen_profile", None)
    return profile is not None and profile.email_verified_at is not None


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated)


manages_process = is_national_coordinator | is_member_of_process_entity

rules.add_perm("participation.view_process", is_staff_reader)
rules.add_perm("participation.view_workingtable", is_staff_reader)
rules.add_perm("participation.add_workingtable", manages_process)
rules.add_perm("participation.add_process", manages_process)
rules.add_perm("participation.change_process", manages_process)
rules.add_perm("participation.change_phase", manages_process)
rules.add_perm("participation.add_proposal", is_verified_citizen)
rules.add_perm("participation.add_support", is_verified_citizen)
rules.add_perm("participation.add_comment", is_verified_citizen | manages_process)
rules.add_perm("participation.add_report", is_authenticated)
rules.add_perm("participation.answer_proposal", manages_process)
rules.add_perm("participation.moderate", manages_process)
rules.add_perm("participation.change_workingtable", manages_process)
rules.add_perm("participation.register_workingtable", is_verified_citizen)
rules.add_perm("participation.change_standardevidence", manages_process)
