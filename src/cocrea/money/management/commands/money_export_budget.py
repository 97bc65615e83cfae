"""`cocrea money-export-budget DIR [--entity CODE] [--year N]`: a Fiscal Data Package."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ...budget import fiscal


class Command(BaseCommand):
    help = "Exporta el presupuesto como Fiscal Data Package (datapackage.json + CSV) en DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--entity", default=None, help="clave INEGI de la entidad")
        parser.add_argument("--year", type=int, default=None, help="ciclo (ejercicio fiscal)")

    def handle(self, *args, directory, entity, year, **options):
        entity = entity.zfill(2) if entity else None
        path = fiscal.export_fiscal_data_package(directory, entity=entity, year=year)
        self.stdout.write(f"{path}")
