import sys

from django.core.management.base import BaseCommand, CommandError

from cocrea.core.csvimport import ImportFailed
from cocrea.core.registry import IMPORTERS


class Command(BaseCommand):
    help = "Importa un CSV: todas las filas o ninguna. Ej.: cocrea import participants FILE.csv"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="qué importar: " + ", ".join(sorted(IMPORTERS)))
        parser.add_argument("file", help="ruta del CSV en UTF-8, o - para la entrada estándar")

    def handle(self, *args, kind, file, **options):
        importer = IMPORTERS.get(kind)
        if importer is None:
            raise CommandError(f"No sé importar «{kind}». Opciones: {', '.join(sorted(IMPORTERS))}")
        source = sys.stdin.buffer if file == "-" else file
        try:
            result = importer.run(source)
        except FileNotFoundError as exc:
            raise CommandError(f"No existe el archivo {file}") from exc
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(
                f"No se importó nada: {len(exc.errors)} error(es) en {file}."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{kind}: {result.created} nuevas, {result.updated} actualizadas, "
                f"{result.unchanged} sin cambios."
            )
        )
