"""What happened, told to whoever listens (today: notifications), without importing it.

A service calls `announce(kind, obj, actor=..., **data)` inside its transaction; receivers
of `happened` get `(kind, obj, actor, data)` once the transaction commits (never for a
rolled-back change). The sender never knows who listens, so no capability app imports
the listener. Kinds are dotted names: "plans.report_validated", "participation.proposal_created".
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Receivers: def receiver(sender, kind, obj, actor, data, **kwargs)
happened = Signal()


def announce(kind: str, obj, *, actor=None, **data) -> None:
    """Tell the listeners that `kind` happened to `obj`, after the current transaction."""

    def send():
        for receiver, result in happened.send_robust(
            sender=type(obj) if obj is not None else None,
            kind=kind,
            obj=obj,
            actor=actor,
            data=data,
        ):
            if isinstance(result, Exception):
                logger.error("listener %r failed on %s", receiver, kind, exc_info=result)

    transaction.on_commit(send)
