"""Command line for the red-flag engine, without Django.

    python -m cocrea.money.redflags [--settings FILE.ini] [--no-meta] [--map] [--count] FILE|-

Prints one JSON object, as `ocdscardinal indicators` does. Without --settings, every
indicator runs with its default configuration (Cardinal runs none without a settings file).
"""

from __future__ import annotations

import argparse
import sys

from .files import process
from .reading import InputError
from .settings import Settings, SettingsError, load_settings


def build_parser(prog: str = "cocrea redflags") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=(
            "Calcula las banderas rojas (R003, R018, R024, R025, R028, R030, R035, R036, R038, "
            "R048, R058) de releases compiladas OCDS, una por línea, con la misma salida JSON "
            "que `ocdscardinal indicators`."
        ),
    )
    parser.add_argument(
        "file", help="archivo JSON Lines de releases compiladas, o - (entrada estándar)"
    )
    parser.add_argument(
        "-s",
        "--settings",
        dest="settings_file",
        default=None,
        help="archivo INI de configuración (formato de Cardinal); sin él se usan todos los "
        "indicadores con sus valores por omisión",
    )
    parser.add_argument("--no-meta", action="store_true", help="omitir la clave «Meta»")
    parser.add_argument(
        "--map", action="store_true", help="incluir la clave «Maps» (procesos → organizaciones)"
    )
    parser.add_argument(
        "-c", "--count", action="store_true", help="contar resultados por grupo en stderr"
    )
    return parser


def execute(
    file, settings_file, *, no_meta=False, map=False, count=False, stdout=None, stderr=None
):
    """Run and write the result. Returns the exit status (0 ok, 1 bad input, 2 bad settings)."""
    stdout = stdout if stdout is not None else sys.stdout.buffer
    stderr = stderr if stderr is not None else sys.stderr
    try:
        settings = load_settings(settings_file) if settings_file else Settings.all_defaults()
    except SettingsError as exc:
        stderr.write(f"Error en la configuración: {exc}\n")
        return 2
    if (
        settings.no_price_comparison_procurement_methods is not None
        and settings.price_comparison_procurement_methods is not None
    ):
        stderr.write(
            "Aviso: no_price_comparison_procurement_methods no tiene efecto si "
            "price_comparison_procurement_methods está definido.\n"
        )
    try:
        engine = process(file, settings, map=map)
    except InputError as exc:
        stderr.write(f"Error en {file}, {exc}\n")
        return 1
    except OSError as exc:
        stderr.write(f"Error: no se puede leer {file}: {exc.strerror or exc}\n")
        return 1
    try:
        engine.write_json(stdout, meta=not no_meta)
        stdout.flush()
        if engine.skipped_not_object:
            stderr.write(
                f"Aviso: {engine.skipped_not_object} líneas no son objetos JSON; se omitieron.\n"
            )
        if count:
            for group, number in engine.counts().items():
                stderr.write(f"{group}: {number}\n")
    finally:
        engine.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return execute(
        args.file, args.settings_file, no_meta=args.no_meta, map=args.map, count=args.count
    )


if __name__ == "__main__":
    sys.exit(main())
