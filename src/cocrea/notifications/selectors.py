"""Reads of notifications: each a bounded number of queries whatever the volume."""

from __future__ import annotations

from django.db.models import Count

from .models import Follow, Notification
from .targets import resolve

PAGE = 50


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def recent(user, limit: int = PAGE) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user)
        .only("id", "kind", "title", "body", "url", "created_at", "read_at")
        .order_by("-created_at", "-id")[:limit]
    )


def follower_count(kind: str, identifier: str) -> int:
    return Follow.objects.filter(kind=kind, target=str(identifier)).count()


def follows(user) -> list[dict]:
    """What the person follows, with a label and a page for each (targets gone are dropped)."""
    rows = []
    for f in Follow.objects.filter(user=user).order_by("kind", "id"):
        target = resolve(f.kind, f.target, user)
        if target is not None:
            rows.append({"follow": f, "target": target})
    return rows


def counts_by_kind(kind: str, identifiers) -> dict[str, int]:
    return dict(
        Follow.objects.filter(kind=kind, target__in=[str(i) for i in identifiers])
        .values("target")
        .annotate(n=Count("id"))
        .values_list("target", "n")
    )
