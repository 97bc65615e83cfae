"""Conflict of interest: nobody of the entity's secretariat evaluates its plan."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cocrea.accounts.models import Role, Side
from cocrea.core.models import AuditEntry
from cocrea.evaluation import services
from cocrea.evaluation.models import Appointment, Stage
from cocrea.participants.models import Organization, OrganizationType
from cocrea.plans.models import PlanStatus, Secretariat, SecretariatMember
from people import make_user

pytestmark = pytest.mark.django_db


def _refusal(plan, coordinator, **who) -> str:
    with pytest.raises(ValidationError) as exc:
        services.appoint(plan, Stage.DESIGN, actor=coordinator, **who)
    return " ".join(exc.value.messages)


def test_outside_person_is_appointed_and_audited(users, morelos, evaluator):
    a = services.appoint(morelos["plan"], Stage.DESIGN, actor=users["coordinator"], user=evaluator)
    assert a.active and a.user == evaluator
    entry = AuditEntry.objects.get(action="evaluation.appoint")
    assert entry.entity_code == "17" and entry.actor == users["coordinator"]


def test_only_national_coordination_appoints(users, morelos, evaluator):
    for who in ("member", "evaluator", "citizen"):
        with pytest.raises(PermissionDenied):
            services.appoint(morelos["plan"], Stage.DESIGN, actor=users[who], user=evaluator)
    assert not Appointment.objects.exists()


def test_a_seat_in_the_secretariat_is_a_conflict(users, morelos):
    message = _refusal(morelos["plan"], users["coordinator"], user=users["member"])
    assert "Conflicto de interés" in message
    assert "secretariado técnico local de Morelos" in message
    assert not Appointment.objects.exists()


def test_a_seat_elsewhere_is_not_a_conflict(users, morelos):
    # enlace14 sits in Jalisco's secretariat for Jalisco's guarantor body.
    services.appoint(
        morelos["plan"], Stage.DESIGN, actor=users["coordinator"], user=users["other_member"]
    )
    assert Appointment.objects.filter(user=users["other_member"]).exists()


def test_a_person_speaking_for_an_organisation_of_the_entity(users, reference, morelos):
    org = Organization.objects.create(
        entity=reference["17"], name="Observatorio morelense", type=OrganizationType.CIVIL_SOCIETY
    )
    person = make_user("observadora", Role.SECRETARIAT_MEMBER, reference["17"],
                       side=Side.CIVIL_SOCIETY, organization=org)  # fmt: skip
    message = _refusal(morelos["plan"], users["coordinator"], user=person)
    assert "ocupa un lugar en el secretariado técnico local de Morelos" in message
    assert "pertenece a «Observatorio morelense», organización de Morelos" in message


def test_an_organisation_of_the_entity_is_a_conflict(users, reference, morelos):
    org = Organization.objects.create(
        entity=reference["17"], name="Universidad de Morelos", type=OrganizationType.ACADEMIA
    )
    message = _refusal(morelos["plan"], users["coordinator"], organization=org)
    assert "«Universidad de Morelos» es una organización de Morelos" in message


def test_an_organisation_with_a_seat_in_that_secretariat(users, reference, morelos):
    org = Organization.objects.create(
        entity=reference["17"], name="Red Morelense", type=OrganizationType.CIVIL_SOCIETY
    )
    secretariat = Secretariat.objects.create(entity=reference["17"])
    seat = SecretariatMember.objects.create(
        secretariat=secretariat, organization=org, side=Side.CIVIL_SOCIETY
    )
    message = _refusal(morelos["plan"], users["coordinator"], organization=org)
    assert "«Red Morelense» tiene un lugar en el secretariado técnico local de Morelos" in message
    assert "«Red Morelense» es una organización de Morelos" in message
    seat.active = False
    seat.save()
    message = _refusal(morelos["plan"], users["coordinator"], organization=org)
    assert "tiene un lugar" not in message and "es una organización de Morelos" in message


def test_an_organisation_of_another_entity_without_a_seat(users, reference, morelos):
    org = Organization.objects.create(
        entity=reference["14"], name="Colegio de Jalisco", type=OrganizationType.ACADEMIA
    )
    services.appoint(morelos["plan"], Stage.DESIGN, actor=users["coordinator"], organization=org)
    assert Appointment.objects.filter(organization=org).count() == 1


def test_person_acting_for_an_organisation_checks_both(users, reference, morelos, evaluator):
    org = Organization.objects.create(
        entity=reference["17"], name="Colegio de Morelos", type=OrganizationType.ACADEMIA
    )
    message = _refusal(morelos["plan"], users["coordinator"], user=evaluator, organization=org)
    assert "Colegio de Morelos" in message


def test_evaluators_see_everything_and_change_nothing(users, morelos, evaluator, client):
    plan = morelos["plan"]
    plan.status = PlanStatus.DRAFT
    plan.save()
    services.appoint(plan, Stage.DESIGN, actor=users["coordinator"], user=evaluator)
    assert evaluator.has_perm("evaluation.view_plan_private", plan)
    assert not users["evaluator"].has_perm("evaluation.view_plan_private", plan)
    commitment = morelos["commitments"][0]
    for perm in ("plans.change_commitment", "plans.change_actionplan", "plans.publish_plan"):
        assert not evaluator.has_perm(perm, commitment if "commitment" in perm else plan)
    client.force_login(evaluator)
    page = client.get(f"/evaluacion/trabajo/planes/{plan.pk}/")
    assert page.status_code == 200 and commitment.title in page.content.decode()
    client.force_login(users["evaluator"])  # an evaluator not appointed to this plan
    assert client.get(f"/evaluacion/trabajo/planes/{plan.pk}/").status_code == 403


def test_evaluators_reach_evidence_of_a_plan_not_yet_public(
    users, morelos, evaluator, client, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from cocrea.plans.models import Evidence, Milestone

    settings.MEDIA_ROOT = tmp_path / "media"
    plan = morelos["plan"]
    plan.status = PlanStatus.DRAFT
    plan.save()
    m = Milestone.objects.create(commitment=morelos["commitments"][0], title="Hito")
    evidence = Evidence(
        milestone=m, kind="archivo", title="Minuta interna", content_type="application/pdf"
    )
    evidence.file.save("minuta.pdf", ContentFile(b"%PDF-1.4 interna"), save=True)
    services.appoint(plan, Stage.RESULTS, actor=users["coordinator"], user=evaluator)
    assert client.get(f"/seguimiento/evidencias/{evidence.pk}/descargar/").status_code == 404
    client.force_login(users["evaluator"])
    assert client.get(f"/evaluacion/trabajo/evidencias/{evidence.pk}/").status_code == 403
    client.force_login(evaluator)
    page = client.get(f"/evaluacion/trabajo/planes/{plan.pk}/").content.decode()
    assert "Minuta interna" in page
    download = client.get(f"/evaluacion/trabajo/evidencias/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_coordination_appoints_in_the_back_office(users, morelos, evaluator, client):
    plan = morelos["plan"]
    client.force_login(users["coordinator"])
    assert client.get("/admin/evaluation/appointment/add/").status_code == 200
    refused = client.post(
        "/admin/evaluation/appointment/add/",
        {"plan": plan.pk, "stage": "diseno", "user": users["member"].pk, "public_name": ""},
    )
    assert (
        refused.status_code == 200
        and "secretariado técnico local de Morelos" in refused.content.decode()
    )
    assert not Appointment.objects.exists()
    client.post(
        "/admin/evaluation/appointment/add/",
        {"plan": plan.pk, "stage": "diseno", "user": evaluator.pk, "public_name": "Evaluadora"},
    )
    appointment = Appointment.objects.get()
    assert appointment.user == evaluator
    assert AuditEntry.objects.filter(action="evaluation.appoint").count() == 1
    client.post(
        "/admin/evaluation/appointment/",
        {"action": "end_appointments", "_selected_action": [appointment.pk]},
    )
    appointment.refresh_from_db()
    assert not appointment.active
    assert AuditEntry.objects.filter(action="evaluation.end_appointment").count() == 1
    client.force_login(users["member"])  # a secretariat seat does not appoint
    assert client.get("/admin/evaluation/appointment/add/").status_code == 403


def test_conflicts_at_the_municipal_level(users, reference, morelos):
    """A seat at either level of an entity conflicts with every plan of that entity, and
    only of that entity: Cuernavaca's member evaluates neither Cuernavaca nor Morelos, but
    may evaluate Jalisco's plans; Jalisco's municipal member may evaluate Cuernavaca's."""
    from evaluation_helpers import build_plan

    from cocrea.accounts.services import grant
    from cocrea.territory.models import Municipality

    cuernavaca = Municipality.objects.get(code="17007")
    guadalajara = Municipality.objects.filter(entity__code="14").order_by("code").first()
    municipal_plan = build_plan(reference["17"], sequence=5)["plan"]
    municipal_plan.municipality = cuernavaca
    municipal_plan.save(update_fields=["municipality"])
    jalisco_plan = build_plan(reference["14"])["plan"]
    seated = make_user("regidora-cuernavaca", Role.CITIZEN)
    grant(seated, Role.SECRETARIAT_MEMBER, actor=None, entity=reference["17"],
          municipality=cuernavaca, side=Side.GOVERNMENT)  # fmt: skip
    jalisco_seat = make_user("enlace-tapatio", Role.CITIZEN)
    grant(jalisco_seat, Role.SECRETARIAT_MEMBER, actor=None, entity=reference["14"],
          municipality=guadalajara, side=Side.CIVIL_SOCIETY)  # fmt: skip

    message = _refusal(municipal_plan, users["coordinator"], user=seated)
    assert "Cuernavaca (Morelos)" in message
    assert "Cuernavaca (Morelos)" in _refusal(morelos["plan"], users["coordinator"], user=seated)
    assert users["member"].username and _refusal(
        municipal_plan, users["coordinator"], user=users["member"]
    )  # the state's liaison does not evaluate its municipality either
    assert services.appoint(jalisco_plan, Stage.DESIGN, actor=users["coordinator"], user=seated)
    appointed = services.appoint(
        municipal_plan, Stage.DESIGN, actor=users["coordinator"], user=jalisco_seat
    )
    assert appointed.plan == municipal_plan
