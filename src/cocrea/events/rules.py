"""Who may manage an event: national coordinators, and members of the organising entity.

Events organised by the national coordination (no entity) are managed by national
coordinators only. Evaluators may read the aggregated dashboard. Superusers pass every
check through Django's ModelBackend. Permissions are asked with the event, or with any
object that leads to it (session, track, speaker, registration, attendance): a
registration's own `entity` is where the person comes from, not who organises.
"""

import rules

from cocrea.accounts import selectors as memberships
from cocrea.accounts.rules import is_evaluator, is_national_coordinator


def event_of(obj):
    from .models import Event

    if isinstance(obj, Event):
        return obj
    if hasattr(obj, "registration_id") and not hasattr(obj, "event_id"):
        return obj.registration.event
    return getattr(obj, "event", None)


@rules.predicate
def is_member_of_event_entity(user, obj) -> bool:
    if not memberships.seats(user):
        return False
    if obj is None:
        # The admin's change lists ask about the model; rows are filtered by entity.
        return True
    event = event_of(obj)
    return bool(
        event is not None
        and event.entity_id
        and event.entity_id in memberships.member_entity_ids(user)
    )


can_manage_event = is_national_coordinator | is_member_of_event_entity

rules.add_perm("events.view_event", rules.always_allow)
rules.add_perm("events.add_event", can_manage_event)
rules.add_perm("events.change_event", can_manage_event)
rules.add_perm("events.delete_event", is_national_coordinator)
for model in ("track", "speaker", "session"):
    rules.add_perm(f"events.view_{model}", rules.always_allow)
    rules.add_perm(f"events.add_{model}", can_manage_event)
    rules.add_perm(f"events.change_{model}", can_manage_event)
    rules.add_perm(f"events.delete_{model}", can_manage_event)
rules.add_perm("events.view_registration", can_manage_event)
rules.add_perm("events.change_registration", can_manage_event)
rules.add_perm("events.view_attendance", can_manage_event)
rules.add_perm("events.view_dashboard", can_manage_event | is_evaluator)
rules.add_perm("events.check_in", can_manage_event)
rules.add_perm("events.export_registrations", can_manage_event)
rules.add_perm("events.email_registrants", can_manage_event)
rules.add_perm("events.issue_certificates", can_manage_event)
