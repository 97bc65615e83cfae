"""`cocrea money-import-budget FILE.csv --source NAME` (also `cocrea money import-budget`).

Loads budget lines with the six CONAC moments into a new Parquet snapshot; all-or-nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cocrea.core.management.importing import run_import

from ... import services
from ...budget import moments


def format_mxn(value) -> str:
    return f"${value:,.2f} MXN"


class Command(BaseCommand):
    help = (
        "Importa líneas de presupuesto (CSV con columnas "
        + moments.COLUMNS_DOC
        + "); si alguna fila es inválida no se importa nada."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV en UTF-8, o - para la entrada estándar")
        parser.add_argument("--source", required=True, help="nombre de la fuente de los datos")

    def handle(self, *args, file, source, **options):
        result = run_import(self, file, lambda stream: services.import_budget(None, stream, source))
        self.stdout.write(
            f"presupuesto «{result.source}»: {result.lines} líneas importadas"
            f" ({result.replaced} reemplazadas); {result.total_lines} líneas en total;"
            f" instantánea {result.snapshot}"
        )
        for moment in moments.MOMENTS:
            self.stdout.write(
                f"  {moments.MOMENT_LABELS[moment]}: {format_mxn(result.totals[moment])}"
            )
