"""Co-creation, events, Sigue el Dinero and evaluation: each type to the right people only."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from notif_helpers import follow, told

from cocrea.accounts.models import Role
from cocrea.notifications import services
from cocrea.notifications.models import Notification
from people import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cocreation(morelos, reference, run_on_commit):
    from participation_helpers import make_citizen, make_process

    from cocrea.participation import services as participation

    process = make_process(reference["17"])
    ana = make_citizen("ana")
    with run_on_commit():
        proposal = participation.submit_proposal(
            process, actor=ana, kind="propuesta", title="Contratos en datos abiertos",
            body="Publicar los contratos.", affected_population="Toda", municipality="Cuernavaca",
            theme="presupuesto",
        )  # fmt: skip
    return {"process": process, "proposal": proposal, "ana": ana}


def test_answered_proposal_reaches_its_followers_with_the_reason(
    cocreation, morelos, users, run_on_commit
):
    from cocrea.participation import services as participation

    proposal = cocreation["proposal"]
    fan = make_user("fan_propuesta", Role.CITIZEN)
    follow(fan, "propuesta", proposal.pk)
    follow(users["evaluator"], "proceso", cocreation["process"].pk)
    with run_on_commit():
        participation.draft_response(
            proposal, actor=users["member"], status="rechazada",
            reason="Ya existe un compromiso equivalente.",
        )  # fmt: skip
    assert not Notification.objects.exists()  # a draft tells nobody
    with run_on_commit():
        participation.publish_responses(cocreation["process"], actor=users["member"])
    assert told("participation.proposal_answered") == {
        "ana@example.org",
        "fan_propuesta",
        "evaluador",
    }
    note = Notification.objects.get(user=cocreation["ana"])
    assert note.title == "Propuesta respondida: Contratos en datos abiertos"
    assert "Rechazada" in note.body and "Ya existe un compromiso equivalente." in note.body
    # The proposer got the reasoned response from participation already: no second e-mail.
    to_ana = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert len(to_ana) == 1
    assert note.email_mode == "ninguno"


def test_incorporated_proposal_reaches_commitment_followers(
    cocreation, morelos, users, run_on_commit
):
    from cocrea.participation import services as participation

    follow(users["citizen"], "compromiso", morelos["commitment"].pk)
    with run_on_commit():
        participation.draft_response(
            cocreation["proposal"], actor=users["member"], status="incorporada",
            reason="Se sumó al compromiso.", commitment=morelos["commitment"], publish=True,
        )  # fmt: skip
    assert told("participation.proposal_incorporated") == {"ana@example.org", "ciudadano"}
    assert not Notification.objects.filter(kind="participation.proposal_answered").exists()
    note = Notification.objects.get(user=users["citizen"])
    assert "Sigue el Dinero en Morelos" in note.body


def test_working_table_scheduled_and_agreements_published(
    cocreation, morelos, users, run_on_commit
):
    from cocrea.participation import services as participation
    from cocrea.participation.models import WorkingTable

    process = cocreation["process"]
    follow(users["citizen"], "proceso", process.pk)
    table = WorkingTable(
        process=process, title="Mesa de presupuesto",
        starts_at=timezone.now() + datetime.timedelta(days=10), place="Cuernavaca",
    )  # fmt: skip
    with run_on_commit():
        participation.save_table(table, actor=users["member"], proposals=[cocreation["proposal"]])
    # The proposer hears of it through the follow of the proposal discussed there.
    assert told("participation.table_scheduled") == {"ciudadano", "ana@example.org"}
    table.place = "Cuernavaca, sala 2"
    with run_on_commit():
        participation.save_table(table, actor=users["member"])  # same date: nothing new
    assert Notification.objects.filter(kind="participation.table_scheduled").count() == 2
    participation.add_agreement(table, actor=users["member"], text="Publicar el gasto cada mes.")
    table.documents_published_at = timezone.now()
    with run_on_commit():
        participation.save_table(table, actor=users["member"])
    assert told("participation.agreements_published") == {"ciudadano", "ana@example.org"}
    assert (
        "Publicar el gasto cada mes."
        in Notification.objects.filter(kind="participation.agreements_published").first().body
    )


def test_programme_change_and_seat_freed(reference, users, run_on_commit):
    from events_helpers import make_open_event, person

    from cocrea.events import services as events
    from cocrea.events.models import EventStatus, RegistrationStatus

    event = make_open_event(capacity=1, entity=reference["17"])
    assert event.status == EventStatus.PUBLISHED
    follow(users["citizen"], "evento", event.pk)
    first = events.register(event, **person(1))
    waiting_person = type(users["citizen"]).objects.create_user(
        username="persona2", email="Persona2@Example.org", password="contrasena-de-prueba-1"
    )
    second = events.register(event, **person(2))
    assert second.status == RegistrationStatus.WAITLISTED
    with run_on_commit():
        events.cancel_registration(first)
    assert told("events.seat_freed") == {"persona2"}
    assert Notification.objects.get(kind="events.seat_freed").user == waiting_person
    session = event.sessions.first()
    session.start = session.start + datetime.timedelta(hours=1)
    session.end = session.end + datetime.timedelta(hours=1)
    with run_on_commit():
        events.save_session(session, actor=users["coordinator"])
    assert told("events.programme_changed") == {"ciudadano"}
    # An event taken back to draft tells nobody.
    type(event).objects.filter(pk=event.pk).update(status=EventStatus.DRAFT)
    session.refresh_from_db()
    session.room = "Sala B"
    with run_on_commit():
        events.save_session(session, actor=users["coordinator"])
    assert Notification.objects.filter(kind="events.programme_changed").count() == 1


def test_red_flag_reaches_followers_of_that_supplier_only(users):
    follow(users["citizen"], "proveedor", "MX-RFC-ABC010101AB1")
    follow(users["evaluator"], "proveedor", "MX-RFC-OTRO")
    follow(users["other_member"], "comprador", "MX-RFC-ABC010101AB1")  # same id, other role
    services.fan_out("money.red_flag", None, {
        "role": "supplier", "party_id": "MX-RFC-ABC010101AB1", "name": "Constructora Ejemplo",
        "flag": "Proveedor único", "ocid": "ocds-abc-001",
    })  # fmt: skip
    assert told("money.red_flag") == {"ciudadano"}
    note = Notification.objects.get()
    assert note.url == "/sigue-el-dinero/proveedores/MX-RFC-ABC010101AB1/"
    assert "Proveedor único" in note.body


def test_evaluation_sent_and_published_reach_the_plan_level_and_followers(
    morelos, users, reference, run_on_commit
):
    from evaluation_helpers import rated_review

    from cocrea.evaluation import services as evaluation
    from cocrea.evaluation.models import Stage

    plan = morelos["plan"]
    evaluator = make_user("evaluadora-externa", Role.EVALUATOR)
    evaluation.appoint(plan, Stage.DESIGN, actor=users["coordinator"], user=evaluator)
    follow(users["citizen"], "plan", plan.pk)
    review = rated_review(plan, Stage.DESIGN, evaluator)
    today = timezone.localdate()
    with run_on_commit():
        evaluation.send_for_comments(
            review, actor=evaluator, reply_due=today + datetime.timedelta(days=15), today=today
        )
    # Asked to reply: Morelos' own secretariat, not Jalisco's, not the plan's followers.
    sent_to = told("evaluation.sent")
    assert users["member"].username in sent_to
    assert users["other_member"].username not in sent_to
    assert users["citizen"].username not in sent_to
    assert any(users["member"].email in m.to for m in mail.outbox)
    with run_on_commit():
        evaluation.publish(review, actor=evaluator, today=today + datetime.timedelta(days=16))
    published = Notification.objects.get(kind="evaluation.published", user=users["citizen"])
    assert published.url == review.get_absolute_url()
    assert users["other_member"].username not in told("evaluation.published")


def test_evaluation_of_a_municipal_plan_asks_the_municipal_secretariat(
    users, reference, run_on_commit
):
    from evaluation_helpers import build_plan, rated_review

    from cocrea.accounts import services as accounts
    from cocrea.evaluation import services as evaluation
    from cocrea.evaluation.models import Stage
    from cocrea.territory.models import Municipality

    cuernavaca = Municipality.objects.get(code="17007")
    plan = build_plan(reference["17"], sequence=9)["plan"]
    plan.municipality = cuernavaca
    plan.save(update_fields=["municipality"])
    municipal = make_user("enlace-cuernavaca", Role.CITIZEN)
    accounts.grant(
        municipal, Role.SECRETARIAT_MEMBER, actor=users["coordinator"],
        entity=reference["17"], municipality=cuernavaca, side="gobierno",
    )  # fmt: skip
    evaluator = make_user("evaluadora-externa", Role.EVALUATOR)
    evaluation.appoint(plan, Stage.DESIGN, actor=users["coordinator"], user=evaluator)
    review = rated_review(plan, Stage.DESIGN, evaluator)
    today = timezone.localdate()
    with run_on_commit():
        evaluation.send_for_comments(
            review, actor=evaluator, reply_due=today + datetime.timedelta(days=15), today=today
        )
    assert told("evaluation.sent") == {"enlace-cuernavaca"}  # not the entity's liaison
