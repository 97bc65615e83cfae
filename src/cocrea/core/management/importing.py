"""What every import command does the same way: `-` is standard input, every error named."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cocrea.core.csvimport import ImportFailed


def run_import(command: BaseCommand, file: str, run: Callable[[Any], Any]) -> Any:
    """Call `run(source)`; on failure write each bad line to stderr and exit non-zero."""
    source = sys.stdin.buffer if file == "-" else file
    try:
        return run(source)
    except FileNotFoundError as exc:
        raise CommandError(f"No existe el archivo {file}") from exc
    except ImportFailed as exc:
        for error in exc.errors:
            command.stderr.write(f"{file}: {error}")
        raise CommandError(f"No se importó nada: {len(exc.errors)} error(es) en {file}.") from exc
