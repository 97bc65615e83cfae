"""`cocrea redflags [-s FILE.ini] [--no-meta] [--map] FILE|-`: red flags, as Cardinal computes them.

Django's own `--settings` option (the settings module) is read by Django before any command
runs, so this command takes the INI file as `-s FILE.ini` (or `--settings-file FILE.ini`).
`python -m cocrea.money.redflags --settings FILE.ini FILE` runs the same engine without Django.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from ...redflags.cli import execute


class Command(BaseCommand):
    help = (
        "Calcula banderas rojas de releases compiladas OCDS (una por línea) e imprime el mismo "
        "JSON que `ocdscardinal indicators`. Ej.: cocrea redflags -s banderas.ini procesos.jsonl"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="archivo JSON Lines de releases compiladas, o -")
        parser.add_argument(
            "-s",
            "--settings-file",
            dest="settings_file",
            default=None,
            help="archivo INI de configuración (formato de Cardinal); sin él, todos los "
            "indicadores con sus valores por omisión",
        )
        parser.add_argument("--no-meta", action="store_true", help="omitir la clave «Meta»")
        parser.add_argument("--map", action="store_true", help="incluir la clave «Maps»")
        parser.add_argument(
            "-c", "--count", action="store_true", help="contar resultados por grupo en stderr"
        )

    def handle(self, *args, file, settings_file, no_meta, map, count, **options):
        stdout = self.stdout._out
        binary = getattr(stdout, "buffer", None)

        class _Text:
            """Writes the engine's bytes to a text stream (e.g. call_command's StringIO)."""

            def write(self, data: bytes):
                stdout.write(data.decode("utf-8"))

            def flush(self):
                stdout.flush()

        status = execute(
            file,
            settings_file,
            no_meta=no_meta,
            map=map,
            count=count,
            stdout=binary if binary is not None else _Text(),
            stderr=self.stderr._out if self.stderr._out is not None else sys.stderr,
        )
        if status:
            raise CommandError("no se calcularon las banderas rojas", returncode=status)
