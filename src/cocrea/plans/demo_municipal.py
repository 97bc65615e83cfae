"""Demo: the municipalities that joined (territory's demo) get a secretariat and a plan.

Each has its municipal authority and a civil-society organisation seated, one published
plan with two commitments and validated progress, and Cuernavaca a demo liaison account.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cocrea.participants.models import Organization, OrganizationType, Power
from cocrea.territory.models import Municipality

from .models import (
    ActionPlan,
    Commitment,
    Milestone,
    MilestoneStatus,
    PlanStatus,
    Secretariat,
    SecretariatMember,
    Side,
)

COMMITMENTS = [
    (
        "Obra pública abierta en {m}",
        ["Publicar el padrón de obras", "Mesas de seguimiento vecinal"],
    ),
    ("Presupuesto participativo de {m}", ["Consulta de prioridades", "Informe de ejercicio"]),
]


def load(seed: int) -> None:
    from cocrea.accounts import services as accounts
    from cocrea.accounts.demo import demo_user
    from cocrea.accounts.models import Role

    for municipality in Municipality.objects.filter(adhesion__isnull=False).select_related(
        "entity", "adhesion"
    ):
        if Secretariat.objects.filter(municipality=municipality).exists():
            continue
        entity = municipality.entity
        year = municipality.adhesion.year
        authority, _ = Organization.objects.get_or_create(
            entity=entity, name=f"Ayuntamiento de {municipality.name}",
            defaults={"type": OrganizationType.AUTHORITY, "power": Power.MUNICIPAL},
        )  # fmt: skip
        cso, _ = Organization.objects.get_or_create(
            entity=entity, name=f"Observatorio Ciudadano de {municipality.name}",
            defaults={"type": OrganizationType.CIVIL_SOCIETY},
        )  # fmt: skip
        sec = Secretariat.objects.create(
            entity=entity, municipality=municipality, installed_on=date(year, 9, 1),
            description=f"Secretariado técnico local del municipio de {municipality.name}.",
        )  # fmt: skip
        SecretariatMember.objects.bulk_create([
            SecretariatMember(secretariat=sec, organization=authority, side=Side.GOVERNMENT,
                              role="enlace", position="Contraloría municipal"),
            SecretariatMember(secretariat=sec, organization=cso, side=Side.CIVIL_SOCIETY,
                              role="enlace", position="Coordinación"),
        ])  # fmt: skip
        plan = ActionPlan.objects.create(
            entity=entity, municipality=municipality, sequence=1,
            title=f"1.er Plan de Acción Local de {municipality.name}",
            status=PlanStatus.IMPLEMENTATION, period_start=date(year + 1, 1, 15),
            period_end=date(year + 2, 12, 15), published_at=None, version=1,
        )  # fmt: skip
        for number, (title, milestones) in enumerate(COMMITMENTS, start=1):
            commitment = Commitment.objects.create(
                plan=plan, number=number, title=title.format(m=municipality.name),
                responsible_authority=authority, co_responsible=cso,
                value_access=True, value_participation=number == 2,
                start_date=plan.period_start, end_date=plan.period_end,
            )  # fmt: skip
            for k, milestone in enumerate(milestones, start=1):
                progress = Decimal(((seed + number * 7 + k * 13 + int(municipality.code)) % 9) * 10)
                Milestone.objects.create(
                    commitment=commitment, number=k, title=milestone,
                    responsible_organization=authority if k == 1 else cso,
                    responsible_side=Side.GOVERNMENT if k == 1 else Side.CIVIL_SOCIETY,
                    start_date=plan.period_start, end_date=plan.period_end,
                    progress=progress, reported_progress=progress,
                    status=MilestoneStatus.IN_PROGRESS if progress else MilestoneStatus.NOT_STARTED,
                )  # fmt: skip
        if municipality.code == "17007":
            user, created = demo_user(
                "enlace-cuernavaca", staff=True, name="Enlace del Ayuntamiento de Cuernavaca"
            )
            if created:
                accounts.grant(
                    user, Role.SECRETARIAT_MEMBER, actor=None, entity=entity,
                    municipality=municipality, organization=authority, side=Side.GOVERNMENT,
                    seat_role="enlace",
                )  # fmt: skip
