from django.core.management.base import BaseCommand, CommandError

from cocrea.core.management.importing import run_import
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
        result = run_import(self, file, importer.run)
        self.stdout.write(
            self.style.SUCCESS(
                f"{kind}: {result.created} nuevas, {result.updated} actualizadas, "
                f"{result.unchanged} sin cambios."
            )
        )
