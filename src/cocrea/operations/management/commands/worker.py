"""`cocrea worker`: django-tasks' database worker with a heartbeat and lost-task recovery."""

from __future__ import annotations

from django_tasks_db.management.commands import db_worker

from cocrea.operations.worker import Heartbeat, new_worker_id


class Command(db_worker.Command):
    help = (
        "Ejecuta las tareas en segundo plano (importaciones, exportaciones, correos). "
        "Pueden correr varios contra la misma base de datos."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Restarting on code changes would leave tasks half-run; never by default.
        parser.set_defaults(reload=False, worker_id=None, queue_name="*")

    def handle(self, *args, worker_id=None, **options):
        worker_id = worker_id or new_worker_id()
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()
