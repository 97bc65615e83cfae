"""Read-side queries for the public pages, the API and the CSV downloads.

Every function runs a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from cocrea.core.models import AuditEntry
from cocrea.territory.models import Entity

from . import rollup
from .models import (
    VALUE_FIELDS,
    ActionPlan,
    Commitment,
    CommitmentStatus,
    Evidence,
    Milestone,
    MilestoneStatus,
    PlanStatus,
    ProgressReport,
)


def public_plans():
    return ActionPlan.objects.exclude(status=PlanStatus.DRAFT)


def public_commitments():
    return Commitment.objects.exclude(plan__status=PlanStatus.DRAFT)


def filter_commitments(qs, *, entity=None, plan=None, value=None, status=None):
    """Apply the board's filters (entity code, plan sequence, open-government value, status)."""
    if entity:
        qs = qs.filter(plan__entity__code=entity)
    if plan:
        qs = qs.filter(plan__sequence=plan)
    if value and value in VALUE_FIELDS:
        qs = qs.filter(**{VALUE_FIELDS[value]: True})
    if status and status in CommitmentStatus.values:
        qs = qs.filter(status=status)
    return qs


@dataclass
class EntityRow:
    entity: Entity
    figures: rollup.Group
    plans: int = 0
    reports: int = 0
    validated: int = 0
    pending: int = 0
    returned: int = 0

    @property
    def validated_share(self) -> float:
        return 100 * self.validated / self.reports if self.reports else 0.0


@dataclass
class Board:
    rows: list[EntityRow]
    national: rollup.Group
    reports: int = 0
    validated: int = 0
    pending: int = 0
    filters: dict = field(default_factory=dict)

    @property
    def validated_share(self) -> float:
        return 100 * self.validated / self.reports if self.reports else 0.0


def board(*, entity=None, plan=None, value=None, status=None) -> Board:
    """The national tracking board in 3 queries (commitments, milestones, entities).

    Report counts come from the milestones' counters, so the cost does not grow with the
    number of reports.
    """
    filtered = filter_commitments(
        public_commitments(), entity=entity, plan=plan, value=value, status=status
    )
    commitments = list(filtered.values("id", "plan_id", "weight", "status", "plan__entity_id"))
    # A list of ids rather than a subquery: the plan stays a hash/index lookup even when
    # the planner's statistics are stale (fresh bulk loads).
    figures = rollup.milestone_figures(
        Milestone.objects.filter(commitment_id__in=[c["id"] for c in commitments])
    )

    class _C:
        __slots__ = ("pk", "plan_id", "weight", "status")

    objs = []
    plan_entity: dict[int, int] = {}
    reports: dict[int, list[int]] = {}
    for c in commitments:
        o = _C()
        o.pk, o.plan_id, o.weight, o.status = c["id"], c["plan_id"], c["weight"], c["status"]
        objs.append(o)
        entity_id = c["plan__entity_id"]
        plan_entity[c["plan_id"]] = entity_id
        fig = figures.get(c["id"])
        if fig is not None:
            counts = reports.setdefault(entity_id, [0, 0, 0, 0])
            counts[0] += fig.reports
            counts[1] += fig.reports_validated
            counts[2] += fig.reports_pending
            counts[3] += fig.reports_returned
    by_entity: dict[int, list] = {}
    for plan_id, group in rollup.plan_groups(objs, figures).items():
        by_entity.setdefault(plan_entity[plan_id], []).append(group)
    rows = []
    for e in Entity.objects.filter(pk__in=by_entity.keys()).order_by("code"):
        n, v, p, r = reports.get(e.pk, [0, 0, 0, 0])
        rows.append(
            EntityRow(
                entity=e,
                figures=rollup.mean(by_entity[e.pk]),
                plans=len(by_entity[e.pk]),
                reports=n,
                validated=v,
                pending=p,
                returned=r,
            )
        )
    return Board(
        rows=rows,
        national=rollup.mean(r.figures for r in rows),
        reports=sum(r.reports for r in rows),
        validated=sum(r.validated for r in rows),
        pending=sum(r.pending for r in rows),
        filters={"entity": entity, "plan": plan, "value": value, "status": status},
    )


@dataclass
class PlanView:
    plan: ActionPlan
    figures: rollup.Group
    commitments: list  # (commitment, Figures)


def entity_plans(slug: str):
    """An entity's public plans with their commitments and figures: 4 queries."""
    entity = get_object_or_404(Entity, slug=slug)
    plans = list(public_plans().filter(entity=entity).order_by("sequence"))
    commitments = list(
        Commitment.objects.filter(plan__in=plans)
        .select_related("responsible_authority", "co_responsible")
        .order_by("plan__sequence", "number")
    )
    figures = rollup.milestone_figures(
        Milestone.objects.filter(commitment_id__in=[c.pk for c in commitments])
    )
    groups = rollup.plan_groups(commitments, figures)
    views = []
    for p in plans:
        items = [(c, figures.get(c.pk, rollup.Figures())) for c in commitments if c.plan_id == p.pk]
        views.append(PlanView(plan=p, figures=groups.get(p.pk, rollup.Group()), commitments=items))
    total = rollup.mean(v.figures for v in views if v.commitments)
    return entity, views, total


def plan_detail(pk: int):
    plan = get_object_or_404(public_plans().select_related("entity"), pk=pk)
    commitments = list(
        plan.commitments.select_related("responsible_authority", "co_responsible").order_by(
            "number"
        )
    )
    figures = rollup.milestone_figures(
        Milestone.objects.filter(commitment_id__in=[c.pk for c in commitments])
    )
    group = rollup.plan_groups(commitments, figures).get(plan.pk, rollup.Group())
    items = [(c, figures.get(c.pk, rollup.Figures())) for c in commitments]
    versions = list(plan.versions.order_by("-number"))
    documents = list(plan.documents.all())
    return plan, group, items, versions, documents


def commitment_detail(pk: int):
    """A commitment with milestones, reports, evidence and its public timeline: 5 queries."""
    commitment = get_object_or_404(
        public_commitments().select_related(
            "plan__entity", "responsible_authority", "co_responsible"
        ),
        pk=pk,
    )
    milestones = list(
        commitment.milestones.select_related("responsible_organization").prefetch_related(
            Prefetch("reports", queryset=ProgressReport.objects.order_by("-date", "-id")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("id")),
        )
    )
    figures = rollup.compute_milestones(milestones)
    report_ids = [str(r.pk) for m in milestones for r in m.reports.all()]
    evidence_ids = [str(e.pk) for m in milestones for e in m.evidence.all()]
    timeline = list(
        AuditEntry.objects.filter(
            Q(object_type="plans.commitment", object_id=str(commitment.pk))
            | Q(object_type="plans.milestone", object_id__in=[str(m.pk) for m in milestones])
            | Q(object_type="plans.progressreport", object_id__in=report_ids)
            | Q(object_type="plans.evidence", object_id__in=evidence_ids)
        )
        .only(
            "created_at", "actor_label", "action", "object_type", "object_repr", "before", "after"
        )
        .order_by("-created_at", "-id")[:200]
    )
    return commitment, milestones, figures, timeline


def plans_api(entity_code: str | None = None):
    qs = public_plans().select_related("entity").order_by("entity__code", "sequence")
    if entity_code:
        qs = qs.filter(entity__code=entity_code.zfill(2))
    plans = list(qs)
    commitments = list(
        Commitment.objects.filter(plan__in=plans).only("id", "plan_id", "weight", "status")
    )
    figures = rollup.milestone_figures(
        Milestone.objects.filter(commitment_id__in=[c.pk for c in commitments])
    )
    groups = rollup.plan_groups(commitments, figures)
    return [(p, groups.get(p.pk, rollup.Group())) for p in plans]


def commitments_api(entity_code: str | None = None):
    qs = (
        public_commitments()
        .select_related("plan__entity")
        .order_by("plan__entity__code", "plan__sequence", "number")
    )
    if entity_code:
        qs = qs.filter(plan__entity__code=entity_code.zfill(2))
    commitments = list(qs)
    figures = rollup.milestone_figures(
        Milestone.objects.filter(commitment_id__in=[c.pk for c in commitments])
    )
    return [(c, figures.get(c.pk, rollup.Figures())) for c in commitments]


def milestones_api(
    *, entity=None, plan=None, commitment=None, status=None, overdue=None, today=None
):
    """Milestones of public plans, filtered; one query whatever the slice (no personal data).

    `entity`: INEGI code; `plan` and `commitment`: ids; `status`: a MilestoneStatus value;
    `overdue`: True keeps only milestones past their end date and not complete nor
    cancelled, False the others. Ordered like the CSV download.
    """
    qs = (
        Milestone.objects.exclude(commitment__plan__status=PlanStatus.DRAFT)
        .select_related("commitment__plan__entity", "responsible_organization")
        .order_by(
            "commitment__plan__entity__code", "commitment__plan__sequence", "commitment__number",
            "number", "id",
        )
    )  # fmt: skip
    if entity:
        qs = qs.filter(commitment__plan__entity__code=entity.zfill(2))
    if plan is not None:
        qs = qs.filter(commitment__plan_id=plan)
    if commitment is not None:
        qs = qs.filter(commitment_id=commitment)
    if status:
        qs = qs.filter(status=status)
    if overdue is not None:
        late = Q(end_date__lt=today) & ~Q(
            status__in=[MilestoneStatus.COMPLETE, MilestoneStatus.CANCELLED]
        )
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs


TIMELINE_ACTIONS = {
    "plans.create_commitment": "Compromiso registrado",
    "plans.change_commitment": "Compromiso modificado",
    "plans.create_milestone": "Hito registrado",
    "plans.change_milestone": "Hito actualizado",
    "plans.import_create_milestone": "Hito creado por importación",
    "plans.import_change_milestone": "Hito actualizado por importación",
    "plans.report": "Avance reportado",
    "plans.validate": "Reporte validado",
    "plans.return": "Reporte devuelto",
    "plans.add_evidence": "Evidencia agregada",
    "plans.delete_milestone": "Hito eliminado",
    "plans.correct_milestone": "Corrección de la coordinación nacional",
}
# Fields of audit snapshots that may appear on the public timeline.
TIMELINE_FIELDS = {
    "title": "título",
    "weight": "peso",
    "status": "estatus",
    "progress": "avance",
    "reported_progress": "avance reportado",
    "start_date": "inicio",
    "end_date": "término",
    "return_reason": "motivo",
    "reason": "motivo de la corrección",
    "kind": "tipo",
    "url": "enlace",
    "number": "número",
}
