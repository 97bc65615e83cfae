"""Small builders for the plans tests (real rows, no mocks)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cocrea.accounts.models import Role, User
from cocrea.participants.models import Organization, OrganizationType
from cocrea.plans.models import (
    ActionPlan,
    Commitment,
    Milestone,
    PlanStatus,
    Side,
)
from people import make_user

# A link that backs a report: plans ask reports for evidence by default.
EVIDENCE = [("Acta de la sesión", "https://documentos.example.org/acta.pdf")]


def cso_user(entity, username="osc17") -> User:
    """A civil-society member of the entity's secretariat (the other key)."""
    org, _ = Organization.objects.get_or_create(
        entity=entity,
        name=f"Colectivo ciudadano de {entity.common_name}",
        defaults={"type": OrganizationType.CIVIL_SOCIETY},
    )
    return make_user(
        username, Role.SECRETARIAT_MEMBER, entity, side=Side.CIVIL_SOCIETY, organization=org
    )


def make_plan(entity, *, sequence=1, status=PlanStatus.IMPLEMENTATION) -> ActionPlan:
    return ActionPlan.objects.create(
        entity=entity,
        sequence=sequence,
        title=f"{sequence}.º plan de {entity.common_name}",
        status=status,
        period_start=date(2025, 1, 1),
        period_end=date(2027, 12, 31),
    )


def make_commitment(plan, number=1, weight="1", title=None) -> Commitment:
    return Commitment.objects.create(
        plan=plan,
        number=number,
        title=title or f"Compromiso {number}",
        weight=Decimal(weight),
        start_date=date(2025, 1, 1),
        end_date=date(2027, 12, 31),
    )


def make_milestone(commitment, number=1, weight="1", progress=None, side=Side.GOVERNMENT, **kw):
    return Milestone.objects.create(
        commitment=commitment,
        number=number,
        title=kw.pop("title", f"Hito {number}"),
        weight=Decimal(weight),
        progress=None if progress is None else Decimal(str(progress)),
        responsible_side=side,
        start_date=kw.pop("start_date", date(2025, 1, 1)),
        end_date=kw.pop("end_date", date(2027, 6, 30)),
        **kw,
    )
