"""Who may appoint evaluators, write and publish reviews, and reply to them.

* National coordination appoints (and ends) evaluators.
* An appointed evaluator writes the review of its plan and stage, sends it to the
  secretariat, publishes it and corrects it; evaluators change nothing in the plan itself.
* Members with an active seat in the plan's secretariat (the entity's, or the municipality's
  for a municipal plan) reply to the ratings while the review is in its reply period.
"""

from __future__ import annotations

import rules

from cocrea.accounts import selectors as memberships
from cocrea.accounts.rules import is_national_coordinator

from .models import Appointment, ReviewStatus


def appointment_of(user, plan, stage=None) -> Appointment | None:
    """The user's active appointment for this plan (and stage), cached per request."""
    if not (user is not None and getattr(user, "is_authenticated", False)) or plan is None:
        return None
    cache = getattr(user, "_cocrea_appointments", None)
    if cache is None:
        cache = list(
            Appointment.objects.filter(user_id=user.pk, ended_at__isnull=True).select_related(
                "organization"
            )
        )
        user._cocrea_appointments = cache
    for a in cache:
        if a.plan_id == plan.pk and (stage is None or a.stage == stage):
            return a
    return None


def forget(user) -> None:
    if user is not None and hasattr(user, "_cocrea_appointments"):
        del user._cocrea_appointments


@rules.predicate
def is_plan_evaluator(user, plan) -> bool:
    return appointment_of(user, plan) is not None


@rules.predicate
def is_review_evaluator(user, review) -> bool:
    return review is not None and appointment_of(user, review.plan, review.stage) is not None


@rules.predicate
def review_is_draft(user, review) -> bool:
    return review is not None and review.status == ReviewStatus.DRAFT


@rules.predicate
def review_in_reply_period(user, review) -> bool:
    return review is not None and review.status == ReviewStatus.COMMENTS


@rules.predicate
def review_is_published(user, review) -> bool:
    return review is not None and review.status == ReviewStatus.PUBLISHED


@rules.predicate
def sits_in_review_entity(user, review) -> bool:
    # The seat of the plan's own level: Morelos' secretariat answers for Morelos' plan,
    # Cuernavaca's for Cuernavaca's (as in every other rule, `seat_for`).
    return review is not None and memberships.seat_for(user, review.plan) is not None


rules.add_perm("evaluation.appoint_evaluator", is_national_coordinator)
rules.add_perm("evaluation.view_plan_private", is_national_coordinator | is_plan_evaluator)
rules.add_perm("evaluation.start_review", is_review_evaluator)
rules.add_perm("evaluation.edit_review", is_review_evaluator & review_is_draft)
rules.add_perm("evaluation.send_review", is_review_evaluator & review_is_draft)
rules.add_perm("evaluation.publish_review", is_review_evaluator & review_in_reply_period)
rules.add_perm("evaluation.correct_review", is_review_evaluator & review_is_published)
rules.add_perm("evaluation.reply_review", sits_in_review_entity & review_in_reply_period)
rules.add_perm("evaluation.view_review_draft", is_national_coordinator | is_review_evaluator
               | sits_in_review_entity)  # fmt: skip
for model in ("appointment", "review", "assessment", "reply", "standardjudgement"):
    rules.add_perm(f"evaluation.view_{model}", is_national_coordinator)
# The back office's appointment form and its «end» action (both through the services).
rules.add_perm("evaluation.add_appointment", is_national_coordinator)
rules.add_perm("evaluation.change_appointment", is_national_coordinator)
