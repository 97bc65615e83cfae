"""National-scale synthetic data for query-count tests and benchmarks.

32 entities × 3 plans × 15 commitments × 8 milestones × 6 reports by default, created with
bulk_create (a few seconds on PostgreSQL). Deterministic for a given seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from cocrea.territory.models import Entity

from .models import (
    ActionPlan,
    Commitment,
    CommitmentStatus,
    Evidence,
    EvidenceKind,
    Milestone,
    MilestoneStatus,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    Side,
)


def build(plans=3, commitments=15, milestones=8, reports=6, seed=1, batch=5000) -> dict:
    rng = random.Random(seed)
    entities = list(Entity.objects.order_by("code"))
    plan_objs = ActionPlan.objects.bulk_create(
        [
            ActionPlan(entity=e, sequence=s, title=f"Plan {s} de {e.common_name}",
                       status=PlanStatus.IMPLEMENTATION, period_start=date(2024, 1, 1),
                       period_end=date(2027, 12, 31), version=1)
            for e in entities for s in range(1, plans + 1)
        ]
    )  # fmt: skip
    c_objs = Commitment.objects.bulk_create(
        [
            Commitment(plan=p, number=n, title=f"Compromiso {n} del plan {p.sequence}",
                       weight=Decimal(rng.choice([1, 1, 2])), status=CommitmentStatus.IN_PROGRESS,
                       value_access=n % 2 == 0, value_participation=n % 3 == 0,
                       value_accountability=n % 4 == 0, value_technology=n % 5 == 0,
                       start_date=date(2024, 1, 1), end_date=date(2027, 12, 31))
            for p in plan_objs for n in range(1, commitments + 1)
        ],
        batch_size=batch,
    )  # fmt: skip
    # Reports are generated with their milestone, so the milestones' figures and counters go in
    # with the first INSERT (a bulk_update of 11,520 rows builds huge CASE expressions).
    m_objs, r_objs = [], []
    statuses = [ReportStatus.VALIDATED] * 4 + [ReportStatus.PENDING, ReportStatus.RETURNED]
    for c in c_objs:
        for k in range(1, milestones + 1):
            start = date(2024, 1, 1) + timedelta(days=120 * (k - 1))
            m = Milestone(commitment=c, number=k, title=f"Hito {k}", weight=Decimal(rng.choice([1, 2, 3])),
                          start_date=start, end_date=start + timedelta(days=150),
                          responsible_side=Side.GOVERNMENT if k % 2 else Side.CIVIL_SOCIETY,
                          status=MilestoneStatus.IN_PROGRESS)  # fmt: skip
            level = 0
            validated = None
            for i in range(reports):
                level = min(100, level + rng.randint(0, 20))
                status = rng.choice(statuses)
                if status == ReportStatus.VALIDATED:
                    validated = level
                m.reports_total += 1
                m.reports_validated += status == ReportStatus.VALIDATED
                m.reports_pending += status == ReportStatus.PENDING
                m.reports_returned += status == ReportStatus.RETURNED
                r_objs.append(
                    ProgressReport(milestone=m, date=start + timedelta(days=10 * (i + 1)), text="Avance",
                                   progress=Decimal(level), side=m.responsible_side, status=status,
                                   reporter_label="Organización (Integrante)")
                )  # fmt: skip
            m.progress = Decimal(validated) if validated is not None else None
            m.reported_progress = Decimal(level) if reports else None
            m_objs.append(m)
    m_objs = Milestone.objects.bulk_create(m_objs, batch_size=batch)
    for r in r_objs:
        r.milestone_id = r.milestone.pk
    ProgressReport.objects.bulk_create(r_objs, batch_size=batch)
    Evidence.objects.bulk_create(
        [
            Evidence(milestone=m, kind=EvidenceKind.LINK, title="Minuta", url=f"https://example.org/e/{m.pk}")
            for m in m_objs
        ],
        batch_size=batch,
    )  # fmt: skip
    return {
        "entities": len(entities),
        "plans": len(plan_objs),
        "commitments": len(c_objs),
        "milestones": len(m_objs),
        "reports": len(r_objs),
        "plan": plan_objs[0],
        "commitment": c_objs[0],
        "entity": entities[0],
    }
