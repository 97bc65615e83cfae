"""Audit entries: every service that changes state calls `record`."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The JSON-safe values of a model instance's concrete fields."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = field.value_from_object(obj)
        if value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        data[field.attname if field.is_relation else field.name] = value
    return data


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    entity_code: str = "",
    before: dict | None = None,
    after: dict | None = None,
    actor_label: str = "",
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    real_actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=real_actor,
        actor_label=actor_label or (real_actor.get_username() if real_actor else "sistema"),
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=str(obj)[:255] if obj is not None else "",
        entity_code=entity_code,
        before=before,
        after=after,
    )
