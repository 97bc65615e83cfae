"""National-scale evaluation data for query-count tests and benchmarks.

32 entities × 3 plans × 15 commitments, every plan with a published design review (with the
five co-creation standards judged) and a published results review; bulk-created, deterministic.
With `plans_exist=True` the reviews are written over the plans already there (e.g. those of
`cocrea.plans.scale.build`).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from cocrea.accounts.models import User
from cocrea.participation.models import Standard
from cocrea.plans.models import ActionPlan, Commitment, PlanStatus
from cocrea.territory.models import Entity

from .models import (
    Appointment,
    Assessment,
    Completion,
    Impact,
    OpenedGovernment,
    Potential,
    Review,
    ReviewStatus,
    Specificity,
    Stage,
    StandardJudgement,
)


def build(plans=3, commitments=15, seed=1, plans_exist=False, first_sequence=1) -> dict:
    rng = random.Random(seed)
    if not plans_exist:
        plan_objs = ActionPlan.objects.bulk_create(
            [
                ActionPlan(entity=e, sequence=s, title=f"Plan {s} de {e.common_name}",
                           status=PlanStatus.IMPLEMENTATION, period_start=date(2024, 1, 1),
                           period_end=date(2026, 12, 31), version=1)
                for e in Entity.objects.order_by("code")
                for s in range(first_sequence, first_sequence + plans)
            ]
        )  # fmt: skip
        Commitment.objects.bulk_create(
            [
                Commitment(plan=p, number=n, title=f"Compromiso {n} del plan {p.sequence}",
                           value_access=n % 2 == 0, value_participation=n % 3 == 0)
                for p in plan_objs for n in range(1, commitments + 1)
            ]
        )  # fmt: skip
    else:
        plan_objs = list(ActionPlan.objects.exclude(status=PlanStatus.DRAFT).order_by("id"))
    evaluator, _ = User.objects.get_or_create(
        username="evaluacion-escala", defaults={"email": "evaluacion-escala@example.org"}
    )
    appointments = Appointment.objects.bulk_create(
        [Appointment(plan=p, stage=s, user=evaluator) for p in plan_objs for s in Stage.values]
    )
    reviews = []
    for a in appointments:
        year = 2023 + min(a.plan.sequence, 3) if a.stage == Stage.DESIGN else 2026
        reviews.append(
            Review(plan=a.plan, stage=a.stage, appointment=a, status=ReviewStatus.PUBLISHED,
                   reply_due=date(year, 1, 31),
                   published_at=datetime(year, rng.randint(2, 12), 1, 12, tzinfo=UTC))
        )  # fmt: skip
    reviews = Review.objects.bulk_create(reviews)
    by_plan: dict[int, list[int]] = {}
    for c in Commitment.objects.filter(plan__in=plan_objs).values("id", "plan_id"):
        by_plan.setdefault(c["plan_id"], []).append(c["id"])
    assessments = []
    why = "Justificación escrita de la calificación."
    for r in reviews:
        for cid in by_plan.get(r.plan_id, []):
            if r.stage == Stage.DESIGN:
                assessments.append(
                    Assessment(
                        review=r, commitment_id=cid, verifiable=rng.choice(["si", "no"]),
                        verifiable_why=why, relevant_access=rng.random() < 0.5,
                        relevant_participation=rng.random() < 0.4,
                        relevant_accountability=rng.random() < 0.3, relevance_why=why,
                        potential=rng.choice(Potential.values), potential_why=why,
                        promising=rng.choice(["si", "no"]), promising_why=why,
                        specificity=rng.choice(Specificity.values), specificity_why=why,
                        impact=rng.choice(Impact.values), impact_why=why,
                    )
                )  # fmt: skip
            else:
                completion = rng.choice(Completion.values)
                assessments.append(
                    Assessment(review=r, commitment_id=cid, completion_proposed=completion,
                               completion=completion, completion_why=why,
                               opened=rng.choice(OpenedGovernment.values), opened_why=why)
                )  # fmt: skip
    Assessment.objects.bulk_create(assessments, batch_size=5000)
    StandardJudgement.objects.bulk_create(
        [
            StandardJudgement(review=r, standard=s, met=rng.random() < 0.6, justification=why)
            for r in reviews
            if r.stage == Stage.DESIGN
            for s in Standard.values
        ]
    )
    return {
        "entities": len({p.entity_id for p in plan_objs}),
        "plans": len(plan_objs),
        "reviews": len(reviews),
        "assessments": len(assessments),
        "plan": plan_objs[0],
        "review": reviews[0],
    }
