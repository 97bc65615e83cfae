"""Builders shared by the participation tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cocrea.accounts.models import CitizenProfile, Role, Side, User
from cocrea.accounts.services import grant
from cocrea.participation.models import PHASE_DEFAULTS, Phase, PhaseKind, Process

PASSWORD = "contrasena-de-prueba-1"


def make_process(entity, *, open_kind=PhaseKind.DIAGNOSIS, cycle="2025-2026") -> Process:
    """A process whose `open_kind` phase runs today; the earlier phases are over."""
    process = Process.objects.create(
        entity=entity, cycle=cycle, title=f"Cocreación {entity.common_name} {cycle}"
    )
    today = timezone.localdate()
    kinds = list(PhaseKind)
    current = kinds.index(open_kind)
    for i, kind in enumerate(kinds):
        start = today + datetime.timedelta(days=(i - current) * 30 - 10)
        Phase.objects.create(
            process=process,
            kind=kind,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=29),
            **PHASE_DEFAULTS[kind],
        )
    return process


def make_citizen(username: str, *, verified: bool = True, name: str = "") -> User:
    user = User.objects.create_user(
        username=f"{username}@example.org",
        email=f"{username}@example.org",
        password=PASSWORD,
        display_name=name or username.capitalize(),
    )
    CitizenProfile.objects.create(
        user=user,
        privacy_accepted_at=timezone.now(),
        privacy_version="2026-01",
        email_verified_at=timezone.now() if verified else None,
    )
    return user


def make_member(username: str, entity) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, is_staff=True
    )
    grant(user, Role.SECRETARIAT_MEMBER, actor=None, entity=entity, side=Side.GOVERNMENT)
    return user


def make_commitment(entity, number: int = 1, title: str = "Presupuesto abierto municipal"):
    from cocrea.plans.models import ActionPlan, Commitment

    plan, _ = ActionPlan.objects.get_or_create(
        entity=entity, sequence=1, defaults={"title": f"Plan de Acción Local de {entity}"}
    )
    return Commitment.objects.create(plan=plan, number=number, title=title)
