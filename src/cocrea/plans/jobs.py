"""Back-office milestone imports/exports in the background, with progress.

A `BulkJob` row holds the state the admin page polls with htmx; the work itself is a task of
Django's Tasks framework (`run_bulk_job`, run by `cocrea worker`). An import writes in one
transaction, so a worker killed in the middle leaves nothing half-written; the worker that
notices puts the task back in the queue (see `cocrea.operations.worker`), and running the
same file again gives the same result. When the attempts run out the job is marked failed.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished

from cocrea.core.csvimport import ImportFailed

from . import services
from .models import BulkJob, JobStatus


def start(job: BulkJob) -> None:
    """Queue the job's work. The row must be saved (committed) first: views run in autocommit."""
    run_bulk_job.enqueue(job.pk)


@task()
def run_bulk_job(job_id: int) -> str:
    run(job_id)
    return BulkJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""


@receiver(task_finished)
def _job_lost(sender, task_result, **kwargs) -> None:
    """A task that failed without running `run`'s own handler (its worker died): say so."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != run_bulk_job.module_path:
        return
    job_id = (task_result.args or [None])[0]
    BulkJob.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.FAILED,
        phase="sin cambios",
        errors=["el proceso se interrumpió varias veces; no se guardó nada"],
        finished_at=timezone.now(),
    )


def _update(job_id: int, **fields) -> None:
    BulkJob.objects.filter(pk=job_id).update(**fields)


def run(job_id: int) -> None:
    job = BulkJob.objects.select_related("created_by", "entity").get(pk=job_id)
    _update(job_id, status=JobStatus.RUNNING, phase="iniciando", errors=[], finished_at=None)
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
