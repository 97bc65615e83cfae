"""The periodic sweep: milestones due within 7 days or overdue, and overdue agreements.

Each state is told once: the key of what was told (object, state, deadline) is stored in
`Told`, so the next day's sweep stays silent, and a moved deadline is a new state.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from . import services
from .models import Told

DUE_DAYS = 7


def _tell_new(candidates: list[tuple[str, str, object, dict]]) -> int:
    """candidates: (key, kind, obj, data); tell those whose key was never told."""
    if not candidates:
        return 0
    told = set(
        Told.objects.filter(key__in=[c[0] for c in candidates]).values_list("key", flat=True)
    )
    fresh = [c for c in candidates if c[0] not in told]
    Told.objects.bulk_create([Told(key=c[0]) for c in fresh])
    for _key, kind, obj, data in fresh:
        services.fan_out(kind, obj, data)
    return len(fresh)


@transaction.atomic
def run(today: datetime.date | None = None) -> dict:
    from cocrea.plans.models import Agreement, AgreementStatus, Milestone, MilestoneStatus

    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_DAYS)
    open_milestones = (
        Milestone.objects.exclude(status__in=[MilestoneStatus.COMPLETE, MilestoneStatus.CANCELLED])
        .filter(end_date__isnull=False, end_date__lte=soon)
        .select_related("commitment__plan__entity")
    )
    candidates = []
    for m in open_milestones:
        overdue = m.end_date < today
        state = "vencido" if overdue else "por_vencer"
        kind = "plans.milestone_overdue" if overdue else "plans.milestone_due"
        data = {"end_date": m.end_date.isoformat(), "days": (m.end_date - today).days}
        candidates.append((f"milestone:{m.pk}:{state}:{m.end_date}", kind, m, data))
    milestones = _tell_new(candidates)
    agreements = (
        Agreement.objects.filter(due_date__lt=today)
        .exclude(status__in=[AgreementStatus.DONE, AgreementStatus.CANCELLED])
        .select_related("session__secretariat__entity", "responsible")
    )
    agreement_candidates = [
        (
            f"agreement:{a.pk}:vencido:{a.due_date}",
            "plans.agreement_overdue",
            a,
            {"due_date": a.due_date.isoformat()},
        )  # fmt: skip
        for a in agreements
    ]
    return {"milestones": milestones, "agreements": _tell_new(agreement_candidates)}
