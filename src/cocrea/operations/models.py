"""What the operations app stores: one heartbeat row per running worker process."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A `cocrea worker` process says it is alive every few seconds.

    A task left «RUNNING» by a worker whose heartbeat stopped (or whose process is gone, on
    the same host) was interrupted: `cocrea.operations.worker.recover_lost_tasks` retries it.
    """

    worker_id = models.CharField(_("trabajador"), max_length=64, primary_key=True)
    host = models.CharField(_("equipo"), max_length=255)
    pid = models.PositiveIntegerField(_("proceso"))
    started_at = models.DateTimeField(_("inició"), auto_now_add=True)
    seen_at = models.DateTimeField(_("última señal"))

    class Meta:
        verbose_name = _("trabajador en segundo plano")
        verbose_name_plural = _("trabajadores en segundo plano")

    def __str__(self) -> str:
        return self.worker_id
