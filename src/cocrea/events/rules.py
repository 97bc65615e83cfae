"""Who may manage an event: national coordinators, and members of the organising entity.

Events organised by the national coordination (no entity) are managed by national
coordinators only. Evaluators may read the aggregated dashboard. Superusers pass every
check through Django's ModelBackend.
"""

import rules

from cocrea.accounts.rules import (
    is_evaluator,
    is_member_of_object_entity,
    is_national_coordinator,
)

can_manage_event = is_national_coordinator | is_member_of_object_entity

rules.add_perm("events.view_event", rules.always_allow)
rules.add_perm("events.add_event", is_national_coordinator | is_member_of_object_entity)
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
