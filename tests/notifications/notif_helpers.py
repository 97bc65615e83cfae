"""Small helpers of the notifications tests (real rows, no mocks)."""

from __future__ import annotations

from plans_helpers import EVIDENCE

from cocrea.notifications.models import Follow, Notification
from cocrea.plans import services as plans


def told(kind: str) -> set[str]:
    """The usernames told about `kind`."""
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def follow(user, kind: str, target) -> Follow:
    return Follow.objects.create(user=user, kind=kind, target=str(target))


def report(milestone, user, progress="50"):
    return plans.submit_report(
        milestone, actor=user, progress=progress, text="Avance del trimestre.", links=EVIDENCE
    )
