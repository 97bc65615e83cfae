"""The rollup rule: how milestone figures become commitment, plan, entity and national ones.

RULE (also published at /seguimiento/metodologia/ and in the API description):

* commitment progress = Σ(peso × avance) / Σ peso over its milestones that are not cancelled;
  a milestone without a figure counts 0 (shown as «sin reporte»). A commitment without
  milestones (or with all of them cancelled) has progress 0.
* plan progress = Σ(peso × progress) / Σ peso over its commitments that are not cancelled,
  using the commitment weight.
* entity progress = the plain mean of its published plans' progress; national progress =
  the plain mean of the entities that have a published plan.
* The official figure uses the *validated* avance (`Milestone.progress`). The *reported*
  figure applies the same rule to the latest reported avance (validated or pending,
  falling back to the validated one).
* A milestone past its end date that is neither complete nor cancelled is overdue.

Everything is computed by one aggregation query over milestones grouped by commitment,
then combined in one pass in Python, so the cost does not depend on the number of reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import CommitmentStatus, Milestone, MilestoneStatus

RULE_TEXT = (
    "Avance de un compromiso = Σ(peso × avance) / Σ peso de sus hitos no cancelados; "
    "un hito sin reporte cuenta 0. Avance de un plan = media de sus compromisos no "
    "cancelados ponderada por el peso del compromiso. Avance de una entidad = media simple "
    "de sus planes publicados; avance nacional = media simple de las entidades con plan. "
    "La cifra oficial usa el avance validado por la contraparte; la cifra reportada aplica "
    "la misma regla al último avance reportado. Un hito vencido es el que pasó su fecha de "
    "término sin estar concluido ni cancelado."
)

_DEC = DecimalField(max_digits=20, decimal_places=4)


@dataclass
class Figures:
    """Weighted sums that combine upwards."""

    weight: Decimal = Decimal(0)
    validated_sum: Decimal = Decimal(0)
    reported_sum: Decimal = Decimal(0)
    milestones: int = 0
    no_report: int = 0
    overdue: int = 0
    complete: int = 0
    reports: int = 0
    reports_validated: int = 0
    reports_pending: int = 0
    reports_returned: int = 0

    @property
    def progress(self) -> float:
        return float(self.validated_sum / self.weight) if self.weight else 0.0

    @property
    def reported(self) -> float:
        return float(self.reported_sum / self.weight) if self.weight else 0.0


@dataclass
class Group:
    """A plan, an entity or the nation: a mean of its children's progress."""

    progress: float = 0.0
    reported: float = 0.0
    milestones: int = 0
    overdue: int = 0
    no_report: int = 0
    commitments: int = 0
    children: dict = field(default_factory=dict)


def milestone_figures(milestones_qs, today=None) -> dict[int, Figures]:
    """{commitment id: Figures} in one query over the given milestones."""
    today = today or timezone.localdate()
    active = ~Q(status=MilestoneStatus.CANCELLED)
    rows = (
        milestones_qs.order_by()
        .values("commitment_id")
        .annotate(
            w=Coalesce(Sum("weight", filter=active), Value(Decimal(0)), output_field=_DEC),
            v=Coalesce(
                Sum(
                    ExpressionWrapper(
                        F("weight") * Coalesce("progress", Value(Decimal(0))), output_field=_DEC
                    ),
                    filter=active,
                ),
                Value(Decimal(0)),
                output_field=_DEC,
            ),
            r=Coalesce(
                Sum(
                    ExpressionWrapper(
                        F("weight") * Coalesce("reported_progress", "progress", Value(Decimal(0))),
                        output_field=_DEC,
                    ),
                    filter=active,
                ),
                Value(Decimal(0)),
                output_field=_DEC,
            ),
            n=Count("id", filter=active),
            nr=Count("id", filter=active & Q(progress__isnull=True)),
            od=Count(
                "id",
                filter=Q(end_date__lt=today)
                & ~Q(status__in=[MilestoneStatus.COMPLETE, MilestoneStatus.CANCELLED]),
            ),
            done=Count("id", filter=Q(status=MilestoneStatus.COMPLETE)),
            rt=Sum("reports_total"),
            rv=Sum("reports_validated"),
            rp=Sum("reports_pending"),
            rr=Sum("reports_returned"),
        )
    )
    return {
        row["commitment_id"]: Figures(
            weight=Decimal(row["w"]),
            validated_sum=Decimal(row["v"]),
            reported_sum=Decimal(row["r"]),
            milestones=row["n"],
            no_report=row["nr"],
            overdue=row["od"],
            complete=row["done"],
            reports=row["rt"] or 0,
            reports_validated=row["rv"] or 0,
            reports_pending=row["rp"] or 0,
            reports_returned=row["rr"] or 0,
        )
        for row in rows
    }


def compute_milestones(milestones: Iterable[Milestone]) -> Figures:
    """The same rule over milestones already in memory (one commitment)."""
    fig = Figures()
    today = timezone.localdate()
    for m in milestones:
        if m.is_overdue(today):
            fig.overdue += 1
        if m.status == MilestoneStatus.COMPLETE:
            fig.complete += 1
        if m.status == MilestoneStatus.CANCELLED:
            continue
        fig.weight += m.weight
        fig.validated_sum += m.weight * (m.progress or 0)
        reported = m.reported_progress if m.reported_progress is not None else m.progress
        fig.reported_sum += m.weight * (reported or 0)
        fig.milestones += 1
        if m.progress is None:
            fig.no_report += 1
    return fig


def weighted(items: Iterable[tuple[Decimal, Figures]]) -> Group:
    """A plan's figures from (commitment weight, commitment figures) pairs."""
    group = Group()
    total = Decimal(0)
    v = Decimal(0)
    r = Decimal(0)
    for weight, fig in items:
        group.milestones += fig.milestones
        group.overdue += fig.overdue
        group.no_report += fig.no_report
        group.commitments += 1
        total += weight
        v += weight * Decimal(str(fig.progress))
        r += weight * Decimal(str(fig.reported))
    if total:
        group.progress = float(v / total)
        group.reported = float(r / total)
    return group


def mean(groups: Iterable[Group]) -> Group:
    """An entity from its plans, or the nation from its entities: the plain mean."""
    groups = list(groups)
    result = Group()
    if not groups:
        return result
    result.progress = sum(g.progress for g in groups) / len(groups)
    result.reported = sum(g.reported for g in groups) / len(groups)
    for g in groups:
        result.milestones += g.milestones
        result.overdue += g.overdue
        result.no_report += g.no_report
        result.commitments += g.commitments
    return result


def plan_groups(commitments, figures: dict[int, Figures]) -> dict[int, Group]:
    """{plan id: Group} from commitments (with weight, status, plan_id) and their figures."""
    pairs: dict[int, list] = {}
    for c in commitments:
        pairs.setdefault(c.plan_id, [])
        if c.status == CommitmentStatus.CANCELLED:
            continue
        pairs[c.plan_id].append((c.weight, figures.get(c.pk, Figures())))
    return {plan_id: weighted(items) for plan_id, items in pairs.items()}
