"""A real `cocrea worker` killed with SIGKILL in the middle of a bulk import.

The import is one transaction: nothing of it is kept; the next worker finds the task of the
dead one, runs it again, and the result is the same as an uninterrupted run. The test holds
a row lock on the last milestone of the file, so the worker is certainly in the middle of
its transaction (it has written the other rows) when it is killed.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import time
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from django.core.files.base import ContentFile
from django_tasks_db.models import DBTaskResult
from ops_helpers import ROOT, database_url, run_batch, worker_command, worker_env

from cocrea.plans import jobs, services
from cocrea.plans.models import ActionPlan, BulkJob, Commitment, JobStatus, Milestone, PlanStatus

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 60


@pytest.fixture
def real_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _milestones(entity) -> list[Milestone]:
    plan = ActionPlan.objects.create(
        entity=entity,
        sequence=1,
        title="Plan de prueba",
        status=PlanStatus.IMPLEMENTATION,
        period_start=date(2025, 1, 1),
        period_end=date(2027, 12, 31),
    )
    commitment = Commitment.objects.create(
        plan=plan,
        number=1,
        title="Compromiso",
        weight=Decimal(1),
        start_date=date(2025, 1, 1),
        end_date=date(2027, 12, 31),
    )
    return [
        Milestone.objects.create(
            commitment=commitment, number=n, title=f"Hito {n}", weight=Decimal(1)
        )
        for n in range(1, ROWS + 1)
    ]


def _edited_csv(entity) -> tuple[bytes, int]:
    buffer = io.StringIO()
    services.export_milestones(buffer, entity=entity)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    # The weights: a bulk edit the import writes itself (an `avance` would file reports,
    # which need the responsible side and evidence).
    for row in rows:
        row["peso"] = "2"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8"), int(rows[-1]["id"])


def _state():
    return list(Milestone.objects.order_by("pk").values_list("pk", "weight", "status"))


def _new_job(user, entity, data: bytes) -> BulkJob:
    job = BulkJob(kind=BulkJob.KIND_IMPORT, created_by=user, entity=entity)
    job.source.save("hitos.csv", ContentFile(data), save=False)
    job.save()
    jobs.start(job)
    return job


def _wait_for_lock_wait(pg, worker) -> None:
    """Until a backend that already wrote rows waits for our lock (or the worker exits)."""
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL"
    )
    deadline = time.monotonic() + 120
    while worker.poll() is None and time.monotonic() < deadline:
        with pg.cursor() as cur:
            if cur.execute(query).fetchone()[0]:
                return
        time.sleep(0.1)
    raise AssertionError(f"the worker did not reach the lock (exit code {worker.returncode})")


def test_kill_9_mid_import_keeps_nothing_and_the_retry_gives_the_same_result(
    real_tasks, users, reference, tmp_path
):
    entity = reference["17"]
    _milestones(entity)
    data, last_id = _edited_csv(entity)
    before = _state()
    env = worker_env(tmp_path / "var")
    locker = psycopg.connect(database_url())
    watcher = psycopg.connect(database_url(), autocommit=True)
    try:
        locker.execute("SELECT 1 FROM plans_milestone WHERE id = %s FOR UPDATE", [last_id])
        job = _new_job(users["coordinator"], entity, data)
        worker = subprocess.Popen(
            worker_command("--interval", "0.2"),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_lock_wait(watcher, worker)
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
        locker.rollback()
    finally:
        locker.close()
        watcher.close()

    # Nothing half-written: every milestone is as before; the job and task say «running».
    assert _state() == before
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    task = DBTaskResult.objects.get()
    assert task.status == "RUNNING" and len(task.worker_ids) == 1

    # The next worker notices the dead one, runs the task again and finishes it.
    done = run_batch(env)
    assert done.returncode == 0, done.stderr
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 2
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.errors
    assert job.summary == {"nuevos": 0, "actualizados": ROWS, "sin_cambios": 0}
    after = _state()
    assert [w for _pk, w, _s in after] == [Decimal(2)] * ROWS

    # The same file again changes nothing.
    again = _new_job(users["coordinator"], entity, data)
    assert run_batch(env).returncode == 0
    again.refresh_from_db()
    assert again.status == JobStatus.DONE
    assert again.summary == {"nuevos": 0, "actualizados": 0, "sin_cambios": ROWS}
    assert _state() == after


def test_a_job_whose_attempts_run_out_is_marked_failed(real_tasks, users, reference, tmp_path):
    """A task left running by a dead worker on its last attempt fails, and so does its job."""
    entity = reference["17"]
    _milestones(entity)
    data, _last = _edited_csv(entity)
    before = _state()
    job = _new_job(users["coordinator"], entity, data)
    # Three workers took it and died (their processes are gone: pids that never ran here).
    DBTaskResult.objects.update(
        status="RUNNING", worker_ids=["gone-1", "gone-2", "gone-3"], started_at="2020-01-01T00:00Z"
    )
    BulkJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    done = run_batch(worker_env(tmp_path / "var"))
    assert done.returncode == 0, done.stderr
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "interrumpió" in job.errors[0]
    assert DBTaskResult.objects.get().status == "FAILED"
    assert _state() == before
