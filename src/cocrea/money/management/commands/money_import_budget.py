"""`cocrea money-import-budget FILE.csv --source NAME` (also `cocrea money import-budget`).

Loads budget lines with the six CONAC moments into a new Parquet snapshot; all-or-nothing.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from cocrea.core.csvimport import ImportFailed
from cocrea.money import budget, services


def format_mxn(value) -> str:
    return f"${value:,.2f} MXN"


class Command(BaseCommand):
    help = (
        "Importa líneas de presupuesto (CSV con columnas "
        + budget.COLUMNS_DOC
        + "); si alguna fila es inválida no se importa nada."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV en UTF-8, o - para la entrada estándar")
        parser.add_argument("--source", required=True, help="nombre de la fuente de los datos")

    def handle(self, *args, file, source, **options):
        stream = sys.stdin.buffer if file == "-" else file
        try:
            result = services.import_budget(None, stream, source)
        except FileNotFoundError as exc:
            raise CommandError(f"No existe el archivo {file}") from exc
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(
                f"No se importó nada: {len(exc.errors)} error(es) en {file}."
            ) from exc
        self.stdout.write(
            f"presupuesto «{result.source}»: {result.lines} líneas importadas"
            f" ({result.replaced} reemplazadas); {result.total_lines} líneas en total;"
            f" instantánea {result.snapshot}"
        )
        for moment in budget.MOMENTS:
            self.stdout.write(
                f"  {budget.MOMENT_LABELS[moment]}: {format_mxn(result.totals[moment])}"
            )
