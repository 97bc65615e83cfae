"""Helpers for the *Mi espacio* sections that every app registers (see core.registry)."""

from __future__ import annotations

from django.db.models import Q

from . import selectors
from .models import Role

LIMIT = 30  # items listed per block; the count says how many there are in all


def is_coordinator(user) -> bool:
    return selectors.has_role(user, Role.NATIONAL_COORDINATOR)


def seat_scope(user, prefix: str) -> Q | None:
    """A filter for the rows of the secretariats where the person sits (entity and level),
    through `prefix` (e.g. "commitment__plan__"); all rows for national coordination;
    None for someone without a seat."""
    if is_coordinator(user):
        return Q()
    seats = selectors.seats(user)
    if not seats:
        return None
    scope = Q(pk__in=[])
    for seat in seats:
        scope |= Q(**{f"{prefix}entity_id": seat.entity_id,
                      f"{prefix}municipality_id": seat.municipality_id})  # fmt: skip
    return scope


def block(title, qs, item, *, empty=None) -> dict:
    """A block from a queryset: two queries (the first items and the count)."""
    rows = list(qs[:LIMIT])
    total = len(rows) if len(rows) < LIMIT else qs.count()
    return {"title": title, "items": [item(r) for r in rows], "total": total, "empty": empty}
