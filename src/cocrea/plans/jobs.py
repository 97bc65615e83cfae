"""Back-office milestone imports/exports in the background, with progress.

A `BulkJob` row holds the state; a thread runs the work and updates `done`/`total`,
and the admin page polls the row with htmx. Threads die with the process: a job left
«en proceso» by a restart is shown as such (no hidden retries). With the setting
`PLANS_BACKGROUND_JOBS = False` the job runs inline (used by tests).
"""

from __future__ import annotations

import io
import threading

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections
from django.utils import timezone

from cocrea.core.csvimport import ImportFailed

from . import services
from .models import BulkJob, JobStatus


def start(job: BulkJob) -> None:
    if getattr(settings, "PLANS_BACKGROUND_JOBS", True):
        thread = threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True)
        thread.start()
    else:
        run(job.pk)


def _run_in_thread(job_id: int) -> None:
    try:
        run(job_id)
    finally:
        close_old_connections()


def _update(job_id: int, **fields) -> None:
    BulkJob.objects.filter(pk=job_id).update(**fields)


def run(job_id: int) -> None:
    job = BulkJob.objects.select_related("created_by", "entity").get(pk=job_id)
    _update(job_id, status=JobStatus.RUNNING, phase="iniciando")
    try:
        if job.kind == BulkJob.KIND_EXPORT:
            _run_export(job)
        else:
            _run_import(job)
    except Exception as exc:  # noqa: BLE001 - the job row must say it failed
        _update(
            job_id,
            status=JobStatus.FAILED,
            errors=[f"error inesperado: {exc.__class__.__name__}"],
            finished_at=timezone.now(),
        )
        raise


def _run_export(job: BulkJob) -> None:
    qs = services.milestones_for_export(job.entity)
    _update(job.pk, total=qs.count(), phase="exportando")
    buffer = io.StringIO()
    count = services.export_milestones(
        buffer, entity=job.entity, progress=lambda n: _update(job.pk, done=n)
    )
    job.result.save(
        f"hitos-{job.pk}.csv", ContentFile(buffer.getvalue().encode("utf-8")), save=False
    )
    _update(
        job.pk,
        result=job.result.name,
        done=count,
        status=JobStatus.DONE,
        phase="terminado",
        summary={"filas": count},
        finished_at=timezone.now(),
    )


def _run_import(job: BulkJob) -> None:
    def progress(phase, done, total):
        _update(job.pk, phase=phase, done=done, total=total)

    with job.source.open("rb") as handle:
        try:
            result = services.import_milestones(handle, actor=job.created_by, progress=progress)
        except ImportFailed as exc:
            _update(
                job.pk,
                status=JobStatus.FAILED,
                phase="sin cambios",
                errors=[str(e) for e in exc.errors[:500]],
                summary={"errores": len(exc.errors)},
                finished_at=timezone.now(),
            )
            return
    _update(
        job.pk,
        status=JobStatus.DONE,
        phase="terminado",
        done=result.total,
        total=result.total,
        summary={
            "nuevos": result.created,
            "actualizados": result.updated,
            "sin_cambios": result.unchanged,
        },
        finished_at=timezone.now(),
    )
