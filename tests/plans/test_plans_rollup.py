"""The rollup rule: weighted means, cancelled milestones out, «sin reporte» counts 0."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from plans_helpers import make_commitment, make_milestone, make_plan

from cocrea.plans import rollup, selectors
from cocrea.plans.models import CommitmentStatus, Milestone, MilestoneStatus

pytestmark = pytest.mark.django_db


def test_commitment_progress_is_weighted_and_skips_cancelled(reference):
    plan = make_plan(reference["17"])
    c = make_commitment(plan)
    make_milestone(c, 1, weight="2", progress=50)
    make_milestone(c, 2, weight="1", progress=100)
    make_milestone(c, 3, weight="1", progress=None)  # sin reporte: counts 0
    make_milestone(c, 4, weight="5", progress=0, status=MilestoneStatus.CANCELLED)
    figures = rollup.milestone_figures(Milestone.objects.filter(commitment=c))[c.pk]
    assert figures.progress == pytest.approx(50.0)  # (2*50 + 100 + 0) / 4
    assert figures.no_report == 1
    assert figures.milestones == 3
    in_memory = rollup.compute_milestones(c.milestones.all())
    assert in_memory.progress == pytest.approx(figures.progress)
    assert in_memory.reported == pytest.approx(figures.reported)


def test_reported_figure_falls_back_to_validated(reference):
    plan = make_plan(reference["17"])
    c = make_commitment(plan)
    make_milestone(c, 1, progress=40, reported_progress=Decimal(80))
    make_milestone(c, 2, progress=60)
    figures = rollup.milestone_figures(Milestone.objects.filter(commitment=c))[c.pk]
    assert figures.progress == pytest.approx(50.0)
    assert figures.reported == pytest.approx(70.0)


def test_plan_entity_and_national_figures(reference):
    plan = make_plan(reference["17"])
    a = make_commitment(plan, 1, weight="3")
    b = make_commitment(plan, 2, weight="1")
    cancelled = make_commitment(plan, 3, weight="10")
    cancelled.status = CommitmentStatus.CANCELLED
    cancelled.save()
    make_milestone(a, 1, progress=100)
    make_milestone(b, 1, progress=20)
    make_milestone(cancelled, 1, progress=0)
    second = make_plan(reference["17"], sequence=2)
    make_milestone(make_commitment(second, 1), 1, progress=10)
    other = make_plan(reference["14"])
    make_milestone(make_commitment(other, 1), 1, progress=90)

    entity, views, total = selectors.entity_plans("morelos")
    by_seq = {v.plan.sequence: v.figures for v in views}
    assert by_seq[1].progress == pytest.approx(80.0)  # (3*100 + 1*20) / 4
    assert by_seq[2].progress == pytest.approx(10.0)
    assert total.progress == pytest.approx(45.0)  # mean of plans
    board = selectors.board()
    rows = {r.entity.code: r for r in board.rows}
    assert rows["17"].figures.progress == pytest.approx(45.0)
    assert rows["14"].figures.progress == pytest.approx(90.0)
    assert board.national.progress == pytest.approx(67.5)


def test_overdue_is_past_end_and_not_complete(reference):
    plan = make_plan(reference["17"])
    c = make_commitment(plan)
    past = date(2020, 1, 1)
    make_milestone(c, 1, end_date=past, start_date=date(2019, 1, 1))
    make_milestone(
        c, 2, end_date=past, start_date=date(2019, 1, 1), status=MilestoneStatus.COMPLETE
    )
    make_milestone(
        c, 3, end_date=past, start_date=date(2019, 1, 1), status=MilestoneStatus.CANCELLED
    )
    make_milestone(c, 4)
    figures = rollup.milestone_figures(Milestone.objects.filter(commitment=c))[c.pk]
    assert figures.overdue == 1


def test_board_filters(reference):
    plan = make_plan(reference["17"])
    a = make_commitment(plan, 1)
    a.value_participation = True
    a.save()
    make_milestone(a, 1, progress=100)
    make_milestone(make_commitment(plan, 2), 1, progress=0)
    assert selectors.board(value="participacion").rows[0].figures.progress == pytest.approx(100)
    assert selectors.board().rows[0].figures.progress == pytest.approx(50)
    assert selectors.board(entity="14").rows == []
    assert selectors.board(plan=2).rows == []
    assert selectors.board(status="concluido").rows == []


def test_draft_plans_are_not_public(reference, client):
    from cocrea.plans.models import PlanStatus

    draft = make_plan(reference["17"], status=PlanStatus.DRAFT)
    c = make_commitment(draft)
    assert client.get(c.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/plans?entity=17").json() == []
    assert selectors.board().rows == []


def test_published_plan_keeps_versions_with_what_changed(client, users, reference):
    from cocrea.plans import services
    from cocrea.plans.models import PlanStatus

    plan = make_plan(reference["17"], status=PlanStatus.DRAFT)
    c = make_commitment(plan, title="Datos abiertos de obra pública")
    make_milestone(c, 1)
    services.publish_plan(plan, actor=users["member"])
    assert plan.versions.count() == 1
    c.title = "Datos abiertos de obra pública municipal"
    services.save_commitment(c, actor=users["member"])
    c.status = CommitmentStatus.IN_PROGRESS  # progress/status changes are not plan content
    services.save_commitment(c, actor=users["member"])
    versions = list(plan.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].changes == [
        {"objeto": "compromiso 1", "campo": "title", "antes": "Datos abiertos de obra pública",
         "despues": "Datos abiertos de obra pública municipal"}
    ]  # fmt: skip
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Versión 1" in page and "Versión 2" in page
    assert "Datos abiertos de obra pública municipal" in page
