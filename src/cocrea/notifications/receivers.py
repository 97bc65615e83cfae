"""What the other apps announce (cocrea.core.events.happened), turned into work for the queue."""

from __future__ import annotations

import logging

from .models import TargetKind
from .types import TYPES

logger = logging.getLogger(__name__)

# Kinds announced when someone creates something: the author follows it.
AUTHOR_FOLLOWS = {
    "plans.plan_created": TargetKind.PLAN,
    "plans.commitment_created": TargetKind.COMMITMENT,
    "participation.process_created": TargetKind.PROCESS,
    "participation.proposal_created": TargetKind.PROPOSAL,
    "events.event_created": TargetKind.EVENT,
}


def on_happened(sender, kind, obj, actor, data, **kwargs):
    from . import services, tasks

    if kind in AUTHOR_FOLLOWS and obj is not None:
        services.follow_as_author(actor, AUTHOR_FOLLOWS[kind], obj.pk)
    if kind in TYPES:
        model = obj._meta.label_lower if obj is not None else None
        actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        tasks.fan_out.enqueue(kind, model, getattr(obj, "pk", None), dict(data), actor_id)


def account_data(user) -> dict:
    """The notifications part of the personal-data download."""
    from .models import Follow, Notification, Preference

    return {
        "follows": [
            {"kind": f.kind, "target": f.target, "since": f.created_at.isoformat()}
            for f in Follow.objects.filter(user=user).order_by("id")
        ],
        "preferences": dict(Preference.objects.filter(user=user).values_list("kind", "mode")),
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }  # fmt: skip
            for n in Notification.objects.filter(user=user).order_by("id").iterator()
        ],
    }
