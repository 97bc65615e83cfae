"""Background work of notifications, run by `cocrea worker` (never in the request)."""

from __future__ import annotations

from django.apps import apps
from django_tasks import task

from . import services, sweep


@task()
def fan_out(kind: str, model: str | None, pk, data: dict, actor_id: int | None) -> int:
    """Tell everyone concerned that `kind` happened to the object `model`/`pk`."""
    obj = None
    if model:
        obj = apps.get_model(model).objects.filter(pk=pk).first()
        if obj is None:  # deleted meanwhile: nothing left to tell about
            return 0
    return services.fan_out(kind, obj, data, actor_id)


@task()
def send_emails(mode: str) -> int:
    """The e-mails waiting for `mode` (immediate, daily or weekly): one per person."""
    return services.send_emails(mode)


@task()
def run_sweep() -> dict:
    """Due and overdue milestones and agreements, told once per change of state."""
    return sweep.run()
