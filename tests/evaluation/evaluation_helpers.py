"""Builders for the evaluation tests (real rows on PostgreSQL, no mocks)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from cocrea.evaluation import services
from cocrea.evaluation.models import STAGE_VARIABLES, Stage
from cocrea.participants.models import Organization, OrganizationType
from cocrea.plans.models import ActionPlan, Commitment, Milestone, PlanStatus, Side

TODAY = datetime.date(2026, 3, 1)


def build_plan(entity, sequence=1, commitments=3):
    authority, _ = Organization.objects.get_or_create(
        entity=entity,
        name=f"Secretaría de la Contraloría de {entity.common_name}",
        defaults={"type": OrganizationType.AUTHORITY, "power": "ejecutivo"},
    )
    plan = ActionPlan.objects.create(
        entity=entity,
        sequence=sequence,
        title=f"{sequence}.º plan de {entity.common_name}",
        status=PlanStatus.IMPLEMENTATION,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    items = [
        Commitment.objects.create(
            plan=plan,
            number=n,
            title=f"Compromiso {n} de {entity.common_name}",
            responsible_authority=authority,
            value_access=True,
        )  # fmt: skip
        for n in range(1, commitments + 1)
    ]
    return {"entity": entity, "plan": plan, "commitments": items, "authority": authority}


def milestone(commitment, progress, *, number=1, weight="1", validated_reports=0):
    return Milestone.objects.create(
        commitment=commitment,
        number=number,
        title=f"Hito {number}",
        weight=Decimal(weight),
        progress=None if progress is None else Decimal(str(progress)),
        responsible_side=Side.GOVERNMENT,
        reports_validated=validated_reports,
        reports_total=validated_reports,
    )


DESIGN = {
    "verifiable": "si", "verifiable_why": "Tiene entregables comprobables.",
    "relevant_access": True, "relevant_participation": False, "relevant_accountability": True,
    "relevance_why": "Publica información y crea rendición de cuentas.",
    "potential": "sustancial", "potential_why": "Cambia la práctica de publicación.",
    "promising": "si", "promising_why": "Problema claro y contraparte activa.",
    "specificity": "alta", "specificity_why": "Metas con fechas.",
    "impact": "transformador", "impact_why": "Sustituye una práctica cerrada.",
}  # fmt: skip
RESULTS = {
    "completion_why": "Evidencia validada.",
    "opened": "significativo", "opened_why": "Se usa la información publicada.",
}  # fmt: skip


def rated_review(plan, stage, appointment_user, *, values=None, process=None):
    """A draft review with every rating of the stage justified."""
    review = services.start_review(plan, stage, actor=appointment_user, process=process)
    for a in review.assessments.all():
        data = dict(values or (DESIGN if stage == Stage.DESIGN else RESULTS))
        services.save_assessment(a, actor=appointment_user, **data)
    return review


def reply_all(review, actor):
    for a in review.assessments.all():
        for v in STAGE_VARIABLES[review.stage]:
            services.reply(a, v, "Respuesta del secretariado.", actor=actor)
