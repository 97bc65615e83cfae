"""The co-creation figures computed from the platform's data, checked against hand counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from evaluation_helpers import rated_review

from cocrea.accounts.models import Role
from cocrea.evaluation import services, standards
from cocrea.evaluation.models import Stage
from cocrea.participation.models import (
    Agreement,
    Phase,
    PhaseKind,
    Process,
    Proposal,
    Registration,
    Response,
    ResponseStatus,
    WorkingTable,
)
from people import make_user

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)


def _at(days: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=100) + datetime.timedelta(days=days)


@pytest.fixture
def process(morelos):
    p = Process.objects.create(entity=morelos["entity"], cycle="2025-2026", title="Cocreación")
    d = datetime.date(2025, 11, 1)
    Phase.objects.create(
        process=p,
        kind=PhaseKind.DIAGNOSIS,
        starts_on=d,
        ends_on=d + datetime.timedelta(days=29),
        proposals_open=True,
    )  # 30 days
    Phase.objects.create(
        process=p,
        kind=PhaseKind.PRIORITISATION,
        starts_on=d + datetime.timedelta(days=30),
        ends_on=d + datetime.timedelta(days=44),
        proposals_open=False,
    )
    Phase.objects.create(
        process=p,
        kind=PhaseKind.EVALUATION,
        starts_on=d + datetime.timedelta(days=45),
        ends_on=d + datetime.timedelta(days=54),
        proposals_open=True,
    )  # 10 days
    c1, c2, _c3 = morelos["commitments"]
    props = [
        Proposal.objects.create(process=p, title=f"Propuesta {i}", body="Texto", theme="transparencia",
                                created_at=_at(0))
        for i in range(5)
    ]  # fmt: skip
    Proposal.objects.create(process=p, title="Oculta", body="x", theme="salud", created_at=_at(0),
                            hidden_at=NOW)  # fmt: skip
    # Answered with a reason after 2, 4 and 10 days; one published without reason; one draft.
    Response.objects.create(
        proposal=props[0],
        status=ResponseStatus.INCORPORATED,
        reason="Se incorpora.",
        commitment=c1,
        published_at=_at(2),
    )
    Response.objects.create(
        proposal=props[1],
        status=ResponseStatus.REJECTED,
        reason="Fuera de alcance.",
        published_at=_at(4),
    )
    Response.objects.create(
        proposal=props[2], status=ResponseStatus.ACCEPTED, reason="Se acepta.", published_at=_at(10)
    )
    Response.objects.create(
        proposal=props[3], status=ResponseStatus.ACCEPTED, reason="", published_at=_at(1)
    )
    Response.objects.create(
        proposal=props[4],
        status=ResponseStatus.INCORPORATED,
        reason="Borrador",
        commitment=morelos["commitments"][2],
    )  # not published: not traceable
    held = [
        WorkingTable.objects.create(
            process=p, title=f"Mesa {i}", starts_at=_at(20 + i), minutes="Minuta" if i < 2 else ""
        )
        for i in range(3)
    ]
    WorkingTable.objects.create(
        process=p, title="Futura", starts_at=NOW + datetime.timedelta(days=5)
    )
    Agreement.objects.create(table=held[0], text="Acuerdo", commitment=c2)
    people = [make_user(f"persona{i}", Role.CITIZEN) for i in range(4)]
    for i, person in enumerate(people):
        Registration.objects.create(table=held[0], user=person, sector="ciudadania", attended=i < 3)
    Registration.objects.create(table=held[1], user=people[0], sector="ciudadania", attended=False)
    return p  # fmt: skip


def test_each_figure_and_its_formula(process, morelos):
    figures = {f.key: f for f in standards.process_figures(process, morelos["plan"], now=NOW)}
    assert figures["days_open"].value == 40
    assert (figures["answered_share"].numerator, figures["answered_share"].denominator) == (3, 5)
    assert figures["answered_share"].value == pytest.approx(60.0)
    assert figures["answer_delay"].value == pytest.approx(4.0)
    assert (figures["minutes_share"].numerator, figures["minutes_share"].denominator) == (2, 3)
    assert (figures["attendance"].numerator, figures["attendance"].denominator) == (3, 5)
    assert (figures["traceable"].numerator, figures["traceable"].denominator) == (2, 3)
    assert all(f.formula for f in figures.values())


def test_an_empty_process_has_no_data_not_zero(morelos):
    empty = Process.objects.create(entity=morelos["entity"], cycle="2027-2028", title="Vacío")
    figures = {f.key: f.value for f in standards.process_figures(empty, morelos["plan"])}
    # The plan has three commitments and none is traced: a real 0 %, not «no data».
    assert figures.pop("traceable") == 0.0
    assert figures == dict.fromkeys(figures)


def test_standards_judged_with_justification_in_the_design_review(
    users, morelos, evaluator, process, client
):
    services.appoint(morelos["plan"], Stage.DESIGN, actor=users["coordinator"], user=evaluator)
    review = rated_review(morelos["plan"], Stage.DESIGN, evaluator, process=process)
    with pytest.raises(ValidationError):
        services.save_standard(review, "dialogo", actor=evaluator, met=True, justification=" ")
    services.save_standard(review, "dialogo", actor=evaluator, met=True,
                           justification="Sesiones periódicas con minuta.")  # fmt: skip
    client.force_login(evaluator)
    html = client.get(review.get_absolute_url()).content.decode()
    assert "Días abiertos a propuestas" in html and "Sesiones periódicas con minuta." in html
    assert timezone.now()  # the page computes with the current time: no timing asserted
