"""Plans' happenings reach the followers (and only those who may see them)."""

from __future__ import annotations

import pytest
from django.core import mail
from notif_helpers import follow, report, told

from cocrea.accounts.models import Role
from cocrea.notifications.models import Notification
from cocrea.plans import services as plans
from cocrea.plans.models import PlanStatus
from people import make_user

pytestmark = pytest.mark.django_db


def test_validated_report_reaches_followers_of_commitment_plan_and_entity(
    morelos, users, run_on_commit
):
    c, plan = morelos["commitment"], morelos["plan"]
    follow(users["citizen"], "compromiso", c.pk)
    fan_of_plan = make_user("fan_plan", Role.CITIZEN)
    follow(fan_of_plan, "plan", plan.pk)
    fan_of_entity = make_user("fan_morelos", Role.CITIZEN)
    follow(fan_of_entity, "entidad", "17")
    fan_elsewhere = make_user("fan_jalisco", Role.CITIZEN)
    follow(fan_elsewhere, "entidad", "14")
    follow(fan_elsewhere, "compromiso", c.pk + 999)
    r = report(morelos["gov_milestone"], morelos["gov_user"], "60")
    with run_on_commit():
        plans.validate_report(r, actor=morelos["cso_user"])
    assert told("plans.report_validated") == {"ciudadano", "fan_plan", "fan_morelos"}
    note = Notification.objects.get(kind="plans.report_validated", user=users["citizen"])
    assert note.title == "Avance validado: Sigue el Dinero en Morelos"
    assert "Publicar contratos" in note.body and "60" in note.body
    assert note.url == f"/seguimiento/compromisos/{c.pk}/#hito-{morelos['gov_milestone'].pk}"
    assert note.read_at is None


def test_the_actor_is_not_told_of_their_own_action(morelos, users, run_on_commit):
    follow(morelos["cso_user"], "compromiso", morelos["commitment"].pk)
    follow(users["citizen"], "compromiso", morelos["commitment"].pk)
    r = report(morelos["gov_milestone"], morelos["gov_user"])
    with run_on_commit():
        plans.validate_report(r, actor=morelos["cso_user"])
    assert told("plans.report_validated") == {"ciudadano"}


def test_returned_report_reaches_the_reporter_and_followers(morelos, users, run_on_commit):
    follow(users["citizen"], "compromiso", morelos["commitment"].pk)
    r = report(morelos["gov_milestone"], morelos["gov_user"])
    with run_on_commit():
        plans.return_report(r, actor=morelos["cso_user"], reason="Falta el acta firmada.")
    assert told("plans.report_returned") == {"ciudadano", "enlace17"}
    note = Notification.objects.get(kind="plans.report_returned", user=morelos["gov_user"])
    assert "Falta el acta firmada." in note.body
    assert not Notification.objects.filter(kind="plans.report_validated").exists()


def test_nobody_outside_is_told_about_a_draft_plan(morelos, users, reference, run_on_commit):
    plan = morelos["plan"]
    plan.status = PlanStatus.DRAFT
    plan.save()
    c = morelos["commitment"]
    for key in ("citizen", "other_member", "evaluator", "coordinator", "member"):
        follow(users[key], "compromiso", c.pk)
    r = report(morelos["cso_milestone"], morelos["cso_user"])
    with run_on_commit():
        plans.validate_report(r, actor=morelos["gov_user"])
    # Morelos' secretariat and the national coordination see drafts; nobody else does
    # (enlace17, who validated, is not told of their own action).
    assert told("plans.report_validated") == {"coordinadora"}
    r2 = report(morelos["gov_milestone"], morelos["gov_user"])
    with run_on_commit():
        plans.validate_report(r2, actor=morelos["cso_user"])
    assert told("plans.report_validated") == {"coordinadora", "enlace17"}
    assert not Notification.objects.filter(
        user__username__in=["ciudadano", "enlace14", "evaluador"]
    ).exists()


def test_a_new_plan_version_reaches_plan_and_entity_followers(morelos, users, run_on_commit):
    plan = morelos["plan"]
    follow(users["citizen"], "plan", plan.pk)
    follow(users["other_member"], "entidad", "14")
    with run_on_commit():
        plans.publish_plan(plan, actor=users["coordinator"])  # version 1
    c = morelos["commitment"]
    c.title = "Sigue el Dinero en Morelos, con contratos"
    with run_on_commit():
        plans.save_commitment(c, actor=morelos["gov_user"])  # version 2
    notes = Notification.objects.filter(kind="plans.plan_version", user=users["citizen"])
    assert [n.title for n in notes.order_by("id")] == [
        f"Plan modificado: {plan.title} (versión 1)",
        f"Plan modificado: {plan.title} (versión 2)",
    ]
    assert told("plans.plan_version") == {"ciudadano"}


def test_authors_follow_what_they_create(morelos, users, run_on_commit):
    from cocrea.notifications.models import Follow
    from cocrea.plans.models import ActionPlan

    plan = ActionPlan(entity=morelos["entity"], sequence=2, title="2.º plan de Morelos")
    with run_on_commit():
        plans.save_plan(plan, actor=morelos["gov_user"])
    assert Follow.objects.filter(
        user=morelos["gov_user"], kind="plan", target=str(plan.pk)
    ).exists()


def test_no_email_address_in_notifications(morelos, users, run_on_commit):
    follow(users["citizen"], "compromiso", morelos["commitment"].pk)
    r = report(morelos["gov_milestone"], morelos["gov_user"])
    with run_on_commit():
        plans.return_report(r, actor=morelos["cso_user"], reason="Falta evidencia.")
    for note in Notification.objects.all():
        assert "@" not in note.title + note.body + note.url
    assert len(mail.outbox) >= 1  # the returned report is e-mailed at once (default)
