"""Background workers: heartbeats, and retrying the tasks of a worker that died.

`cocrea worker` runs django-tasks' database worker (several may share one database). Each
process keeps a `WorkerHeartbeat` row fresh from a side thread. A task can be left «RUNNING»
only by a worker that died in the middle of it (`kill -9`, a crash, a lost machine); since
every task here writes in one transaction, nothing of it was kept. `recover_lost_tasks`,
which every worker runs when it starts and with each heartbeat, puts such a task back in the
queue, or marks it failed after `COCREA_TASK_MAX_ATTEMPTS` attempts (sending django-tasks'
`task_finished` signal, so the owner of the work can say so, e.g. a `BulkJob`).

A worker counts as gone when its process no longer exists (same host), or when its heartbeat
is older than `COCREA_WORKER_STALE_SECONDS` (another host).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker running the task stopped before finishing it."""


def max_attempts() -> int:
    return int(getattr(settings, "COCREA_TASK_MAX_ATTEMPTS", 3))


def stale_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "COCREA_WORKER_STALE_SECONDS", 60)))


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_gone(beat: WorkerHeartbeat | None, started_at, now) -> bool:
    if beat is None:
        # Not one of ours, or one that never beat: trust it for the stale period.
        return started_at is None or started_at < now - stale_after()
    if beat.host == socket.gethostname():
        return not _pid_alive(beat.pid)
    return beat.seen_at < now - stale_after()


def recover_lost_tasks(own_id: str = "") -> list[str]:
    """Requeue (or fail) the running tasks of dead workers; returns their ids."""
    now = timezone.now()
    recovered = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    beats = {b.worker_id: b for b in WorkerHeartbeat.objects.all()}
    for result in running:
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker == own_id or not _is_gone(beats.get(worker), result.started_at, now):
            continue
        if len(result.worker_ids) < max_attempts():
            # Compare-and-set: of two workers recovering at once, one wins.
            updated = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING, worker_ids=result.worker_ids
            ).update(status=TaskResultStatus.READY, started_at=None)
            if updated:
                logger.warning("Task %s lost with worker %s: queued again", result.pk, worker)
                recovered.append(str(result.pk))
            continue
        updated = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, worker_ids=result.worker_ids
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"WorkerLost: worker {worker} stopped during attempt "
            f"{len(result.worker_ids)} of {max_attempts()}\n",
        )
        if updated:
            logger.warning("Task %s lost with worker %s: failed", result.pk, worker)
            recovered.append(str(result.pk))
            try:
                result.refresh_from_db()
                task_finished.send(
                    sender=type(result.task.get_backend()), task_result=result.task_result
                )
            except Exception:  # noqa: BLE001 - e.g. the task's code is gone: still failed
                logger.exception("Could not announce the failure of task %s", result.pk)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - 10 * stale_after()).delete()
    return recovered


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname(), "pid": os.getpid(), "seen_at": timezone.now()},
    )


class Heartbeat:
    """A daemon thread: beat, then recover lost tasks, every `interval` seconds."""

    def __init__(self, worker_id: str, interval: float | None = None):
        self.worker_id = worker_id
        self.interval = interval or float(getattr(settings, "COCREA_WORKER_HEARTBEAT", 5))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)

    def start(self) -> None:
        beat(self.worker_id)
        recover_lost_tasks(own_id=self.worker_id)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                close_old_connections()
                beat(self.worker_id)
                recover_lost_tasks(own_id=self.worker_id)
            except Exception:  # noqa: BLE001 - a busy database must not stop the worker
                logger.exception("Worker heartbeat failed; trying again")
                connection.close()
        connection.close()

    def stop(self) -> None:
        self._stop.set()
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:  # noqa: BLE001 - going away anyway
            logger.exception("Could not remove the heartbeat of %s", self.worker_id)


def backlog() -> dict[str, int]:
    """Tasks waiting and running, for the health check and the admin."""
    ready = DBTaskResult.objects.ready().count()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    return {"ready": ready, "running": running}
