from django.core.management.base import BaseCommand, CommandError

from cocrea.core.csvimport import ImportFailed
from cocrea.territory.municipalities import load_municipalities


class Command(BaseCommand):
    help = (
        "Carga municipios del catálogo de áreas geoestadísticas del INEGI (CSV con CVE_ENT, "
        "NOM_ENT, CVE_MUN, NOM_MUN; UTF-8 o ISO-8859-1). Todo o nada; repetirlo es seguro."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            result = load_municipalities(file)
        except FileNotFoundError as exc:
            raise CommandError(f"No existe el archivo {file}") from exc
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"No se cargó nada: {len(exc.errors)} error(es) en {file}.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Municipios: {result.created} nuevos, {result.updated} actualizados, "
                f"{result.unchanged} sin cambios."
            )
        )
