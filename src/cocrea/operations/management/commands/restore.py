from django.core.management.base import BaseCommand, CommandError

from cocrea.operations import backup


class Command(BaseCommand):
    help = (
        "Restaura un respaldo de `cocrea backup` (comprueba cada suma sha256). Se niega si la "
        "base de datos o las carpetas no están vacías, salvo con --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument(
            "--force", action="store_true", help="reemplazar la base de datos y las carpetas"
        )

    def handle(self, *args, directory, force, **options):
        try:
            summary = backup.restore(directory, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Restaurado desde {summary.directory}: {summary.files} archivos.")
        )
