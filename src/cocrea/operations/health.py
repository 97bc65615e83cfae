"""`/health/`: django-health-check's checks plus Cocrea's own, as JSON for load balancers.

Database, cache, media storage (write, read, delete), free disk space, the Parquet store
of *Sigue el Dinero* (`COCREA_MONEY_DIR`) and the task queue (tasks waiting too long mean
no worker runs). Any failure answers 500.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class DiskSpace(HealthCheck):
    """Free space where media and the money store live."""

    def run(self):
        minimum = int(getattr(settings, "COCREA_HEALTH_MIN_FREE_MB", 200)) * 1024 * 1024
        for path in {Path(settings.MEDIA_ROOT), Path(settings.COCREA_MONEY_DIR)}:
            probe = path if path.exists() else path.parent
            if not probe.exists():
                continue
            free = shutil.disk_usage(probe).free
            if free < minimum:
                raise ServiceUnavailable(f"{free // (1024 * 1024)} MB free")


@dataclasses.dataclass
class MoneyStore(HealthCheck):
    """The Parquet snapshots' folder exists (or can be created) and can be written."""

    def run(self):
        folder = Path(settings.COCREA_MONEY_DIR)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ServiceUnavailable("money store folder cannot be created") from exc
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ServiceUnavailable("money store folder is not writable")


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """Tasks do not pile up: the oldest ready task waits less than the limit."""

    def run(self):
        from django_tasks_db.models import DBTaskResult

        backend = settings.TASKS["default"]["BACKEND"]
        if not backend.startswith("django_tasks_db."):
            return
        waiting = DBTaskResult.objects.ready()
        limit = int(getattr(settings, "COCREA_HEALTH_MAX_BACKLOG", 1000))
        count = waiting.count()
        if count > limit:
            raise ServiceUnavailable(f"{count} tasks waiting")
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        patience = timedelta(seconds=int(getattr(settings, "COCREA_HEALTH_MAX_TASK_WAIT", 900)))
        if oldest is not None and oldest < timezone.now() - patience:
            raise ServiceUnavailable("tasks have waited too long: is a worker running?")


class Health(HealthCheckView):
    checks = (
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "health_check.checks.Storage",
        DiskSpace,
        MoneyStore,
        TaskQueue,
    )

    def render_to_response(self, context, **kwargs):
        # Load balancers send `Accept: */*`: answer JSON, not the HTML page.
        return self.render_to_response_json(kwargs.get("status", 200))
