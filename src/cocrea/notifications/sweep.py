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
    return {
        "milestones": milestones,
        "agreements": _tell_new(agreement_candidates),
        "red_flags": red_flags(),
    }


def red_flags() -> int:
    """New red flags of followed suppliers and buyers of *Sigue el Dinero*.

    The flags live in the Parquet store, not in rows: each flag seen is kept in `Told`.
    The first sweep that sees a party records its flags without telling (they are not new
    to whoever followed the page that showed them); later ones tell the new flags.
    """
    from cocrea.money.web import selectors

    from .models import Follow, TargetKind

    told = 0
    for kind, role in ((TargetKind.SUPPLIER, "supplier"), (TargetKind.BUYER, "buyer")):
        parties = sorted(set(Follow.objects.filter(kind=kind).values_list("target", flat=True)))
        flags = selectors.party_flags(role, parties)
        if not flags:
            continue
        seen_keys = {f"redflag:{kind}:{p}" for p in parties}
        seen = set(Told.objects.filter(key__in=seen_keys).values_list("key", flat=True))
        candidates, silent = [], []
        for party, rows in flags.items():
            first_time = f"redflag:{kind}:{party}" not in seen
            if first_time:
                silent.append(Told(key=f"redflag:{kind}:{party}"))
            for flag in rows:
                key = f"redflag:{kind}:{party}:{flag['grp']}:{flag['code']}:{flag.get('value')}"[
                    :200
                ]
                data = {"role": role, "party_id": party, "name": party,
                        "flag": str(flag["title"]), "ocid": str(flag.get("value") or "")}  # fmt: skip
                if first_time:
                    silent.append(Told(key=key))
                else:
                    candidates.append((key, "money.red_flag", None, data))
        Told.objects.bulk_create(silent, ignore_conflicts=True)
        told += _tell_new(candidates)
    return told
