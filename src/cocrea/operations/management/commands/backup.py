from django.core.management.base import BaseCommand, CommandError

from cocrea.operations import backup


class Command(BaseCommand):
    help = "Respalda la base de datos, los datos de Sigue el Dinero y los archivos subidos en DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="carpeta nueva o vacía")

    def handle(self, *args, directory, **options):
        try:
            summary = backup.backup(directory)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Respaldo en {summary.directory}: {summary.files} archivos, "
                f"{summary.bytes / 1e6:.1f} MB ({summary.vendor}); ver manifest.json."
            )
        )
