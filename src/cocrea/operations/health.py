"""`/health/`: django-health-check's checks plus Cocrea's own, as JSON for load balancers.

Database, cache, media storage (write, read, delete), free disk space, the Parquet store
of *Sigue el Dinero* (`COCREA_MONEY_DIR`) and the task queue (tasks waiting too long mean
no worker runs). Any failure answers 500.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class SharedCache(HealthCheck):
    """The default cache stores, reads and deletes a value (a sync check: see `health`)."""

    def run(self):
        key = f"cocrea:health:{uuid.uuid4().hex}"
        try:
            cache.set(key, "ok", timeout=30)
            value = cache.get(key)
            cache.delete(key)
        except Exception as exc:  # noqa: BLE001 - any backend error means unavailable
            raise ServiceUnavailable(f"cache: {exc.__class__.__name__}") from exc
        if value != "ok":
            raise ServiceUnavailable("cache: the value read is not the one stored")


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
        SharedCache,
        "health_check.checks.Storage",
        DiskSpace,
        MoneyStore,
        TaskQueue,
    )


def health(request):
    """JSON for load balancers (they send `Accept: */*`); 500 when any check fails.

    A plain (sync) view: django-health-check's checks run on an event loop of their own in a
    helper thread, so the view works the same under WSGI, ASGI or a caller that already runs
    an event loop in its thread.
    """
    view = Health()
    view.setup(request)
    # One thread runs the sync checks (the ORM refuses an event loop's thread); the database
    # connections it opened are closed in that same thread afterwards.
    checks = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")

    async def gather():
        return await asyncio.gather(*(c.get_result(checks) for c in view.get_checks()))

    try:
        with ThreadPoolExecutor(max_workers=1) as loop_thread:
            view.results = loop_thread.submit(asyncio.run, gather()).result()
    finally:
        checks.submit(connections.close_all).result()
        checks.shutdown()
    status = 500 if any(result.error for result in view.results) else 200
    response = view.render_to_response_json(status)
    add_never_cache_headers(response)
    return response
