"""The entity boundary holds in the services, whoever calls them.

Every cross reference registered with `core.boundary` is refused when it points at
another entity's object, with an error that names the field; the back office shows it at
the field. A test enumerates the foreign keys between entity-bound models so that a new
reference cannot be added without a decision.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from plans_helpers import make_commitment, make_plan

from cocrea.accounts.models import Role, Side
from cocrea.accounts.services import grant
from cocrea.core import boundary
from cocrea.money import services as money
from cocrea.participation import services as participation
from cocrea.participation.models import Proposal, WorkingTable
from cocrea.plans import services as plans
from cocrea.plans.models import Milestone, Secretariat, SecretariatMember, Session

pytestmark = pytest.mark.django_db


def _atomic(call):
    # Many-to-many adds run without a savepoint of their own: give them one, as a
    # service's transaction does, so the test can go on after the refusal.
    with transaction.atomic():
        call()


def _refused(field, call):
    with pytest.raises(ValidationError) as exc:
        call()
    assert field in exc.value.message_dict, exc.value.message_dict
    assert "Jalisco" in " ".join(exc.value.message_dict[field])


def test_commitment_with_another_entitys_organisations(morelos, jalisco_orgs):
    c = morelos["commitment"]
    c.responsible_authority = jalisco_orgs["authority"]
    _refused("responsible_authority", lambda: plans.save_commitment(c, actor=morelos["gov_user"]))
    c.refresh_from_db()
    c.co_responsible = jalisco_orgs["cso"]
    _refused("co_responsible", lambda: plans.save_commitment(c, actor=None))
    assert c.__class__.objects.get(pk=c.pk).co_responsible_id is None


def test_milestone_responsible_to_another_entitys_organisation(morelos, jalisco_orgs):
    m = Milestone(
        commitment=morelos["commitment"], number=7, title="Auditoría",
        responsible_organization=jalisco_orgs["cso"],
    )  # fmt: skip
    _refused("responsible_organization", lambda: plans.save_milestone(m, actor=None))
    assert not Milestone.objects.filter(title="Auditoría").exists()


def test_back_office_shows_the_refusal_at_the_field(client, morelos, jalisco_orgs, users):
    client.force_login(users["coordinator"])
    c = morelos["commitment"]
    response = client.post(
        f"/admin/plans/commitment/{c.pk}/change/",
        {
            "plan": morelos["plan"].pk, "number": c.number, "title": c.title,
            "responsible_authority": jalisco_orgs["authority"].pk, "weight": "1",
            "status": c.status,
        },
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "responsible_authority" in errors and "Jalisco" in errors["responsible_authority"][0]
    c.refresh_from_db()
    assert c.responsible_authority_id is None


def test_secretariat_seats_and_sessions(morelos, jalisco_orgs, reference):
    sec = Secretariat.objects.create(entity=morelos["entity"])
    seat = SecretariatMember(secretariat=sec, organization=jalisco_orgs["cso"], side="gobierno")
    _refused(
        "organization", lambda: plans.save_object(seat, actor=None, perm_model="secretariatmember")
    )
    other = Secretariat.objects.create(entity=reference["14"])
    theirs = SecretariatMember.objects.create(
        secretariat=other, organization=jalisco_orgs["cso"], side="sociedad_civil"
    )
    session = Session.objects.create(secretariat=sec, number=1, date="2025-03-01")
    _refused("attendees", lambda: _atomic(lambda: session.attendees.add(theirs)))
    assert session.attendees.count() == 0


def test_programme_linked_to_another_entitys_commitment(morelos, reference):
    jalisco_commitment = make_commitment(make_plan(reference["14"]))
    _refused(
        "commitment",
        lambda: money.create_program(
            None,
            entity=morelos["entity"],
            name="Obra pública",
            clave_programa="K001",
            year_start=2025,
            commitment=jalisco_commitment,
        ),  # fmt: skip
    )


def test_cocreation_links_across_entities(morelos, reference):
    from participation_helpers import make_citizen, make_process

    jalisco_commitment = make_commitment(make_plan(reference["14"]))
    process = make_process(morelos["entity"])
    author = make_citizen("ana")
    proposal = participation.submit_proposal(
        process, actor=author, kind="propuesta", title="Datos abiertos de obra",
        body="Publicar los contratos de obra pública", affected_population="", theme="",
    )  # fmt: skip
    table = WorkingTable.objects.create(
        process=process, title="Mesa 1", starts_at="2030-01-01T10:00:00Z"
    )
    # The co-creation services refuse first, in their own words (they name the commitment).
    with pytest.raises(participation.Refused, match="compromiso"):
        participation.add_agreement(
            table, actor=None, text="Publicar contratos", commitment=jalisco_commitment
        )
    from cocrea.participation.models import Agreement, Response

    agreement = Agreement(table=table, text="x", commitment=jalisco_commitment)
    _refused("commitment", agreement.save)
    response = Response(proposal=proposal, status="incorporada", commitment=jalisco_commitment)
    _refused("commitment", response.save)
    jalisco_process = make_process(reference["14"], cycle="2030")
    theirs = Proposal.objects.create(
        process=jalisco_process, author=author, kind="propuesta", title="Otra", body="b"
    )
    _refused("proposals", lambda: _atomic(lambda: table.proposals.add(theirs)))
    _refused("proposals", lambda: _atomic(lambda: theirs.tables.add(table)))


def test_membership_through_another_entitys_organisation(users, reference, jalisco_orgs):
    _refused(
        "organization",
        lambda: grant(
            users["citizen"],
            Role.SECRETARIAT_MEMBER,
            actor=users["coordinator"],
            entity=reference["17"],
            organization=jalisco_orgs["cso"],
            side=Side.CIVIL_SOCIETY,
        ),  # fmt: skip
    )


# Foreign keys between entity-bound models that are not boundary references, with why.
NOT_REFERENCES = {
    # The object's own place: what the boundary compares against.
    ("plans.actionplan", "entity"), ("plans.secretariat", "entity"),
    ("plans.planversion", "plan"), ("plans.plandocument", "plan"),
    ("plans.commitment", "plan"), ("plans.milestone", "commitment"),
    ("plans.progressreport", "milestone"), ("plans.evidence", "milestone"),
    ("plans.secretariatmember", "secretariat"), ("plans.session", "secretariat"),
    ("plans.agreement", "session"), ("plans.bulkjob", "entity"),
    ("participants.organization", "entity"), ("territory.adhesion", "entity"),
    ("participation.process", "entity"), ("participation.phase", "process"),
    ("participation.proposal", "process"), ("participation.response", "proposal"),
    ("participation.support", "proposal"), ("participation.comment", "proposal"),
    ("participation.comment", "parent"), ("participation.comment", "root"),
    ("participation.report", "process"), ("participation.report", "proposal"),
    ("participation.report", "comment"), ("participation.workingtable", "process"),
    ("participation.registration", "table"), ("participation.agreement", "table"),
    ("participation.standardevidence", "process"), ("money.program", "entity"),
    ("money.programprocess", "program"), ("accounts.membership", "entity"),
    ("money.buyerterritory", "entity"),
    ("territory.municipality", "entity"),
    ("events.event", "entity"), ("events.registration", "event"),
    ("events.sessionregistration", "registration"), ("events.attendance", "registration"),
    # A report's evidence: the same milestone by construction (the service sets both).
    ("plans.evidence", "report"),
    # Where a registrant comes from, not where the event belongs (national summits).
    ("events.registration", "entity"),
    # Evaluation: the appointment's and the review's plan, the assessment's review are their place.
    ("evaluation.appointment", "plan"), ("evaluation.review", "plan"),
    ("evaluation.assessment", "review"),
    # An evaluating organisation is, by the conflict-of-interest rule, never of the plan's entity.
    ("evaluation.appointment", "organization"),
}  # fmt: skip


def _entity_bound(model) -> bool:
    names = {f.name for f in model._meta.get_fields()}
    heads = {p.split(".")[0] for p in boundary.TERRITORY_PATHS}
    return model._meta.label_lower == "territory.entity" or bool(names & heads)


def test_every_reference_between_entity_bound_models_is_decided():
    undecided = []
    for model in apps.get_models():
        if not _entity_bound(model) or model._meta.label_lower == "territory.entity":
            continue
        declared = set(boundary.REFERENCES.get(model._meta.label_lower, ()))
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete or field.many_to_many):
                continue
            if field.auto_created or not field.related_model:
                continue
            target = field.related_model
            if not _entity_bound(target):
                continue
            key = (model._meta.label_lower, field.name)
            if field.name not in declared and key not in NOT_REFERENCES:
                undecided.append(key)
    assert undecided == [], f"register with core.boundary or list with a reason: {undecided}"
