"""The `cocrea` console command.

    cocrea demo [--port N] [--no-demo-data]   set up and serve the demo
    cocrea serve [--bind ADDR] [--workers N]  production server (gunicorn)
    cocrea worker [--batch]                   run background tasks (imports, e-mail, …)
    cocrea backup DIR / restore DIR [--force] database, money store and media, checksummed
    cocrea manage ARGS...                     any Django management command
    cocrea load-reference                     load the 32 entities and adhesions
    cocrea import KIND FILE                   e.g. `cocrea import participants file.csv`
    cocrea export KIND [...]                  CSV to standard output
    cocrea redflags [--settings F.ini] [--no-meta] [--map] FILE|-
                                              red flags as Cardinal computes them

Other sub-commands map to Django management commands: `cocrea a-b c` runs `a_b c`.
"""

from __future__ import annotations

import os
import sys


def _setup_env(debug_default: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocrea.settings")
    if debug_default:
        os.environ.setdefault("COCREA_DEBUG", "1")
        # The demo leaves its settings (a generated secret key) in var/local.env, so every
        # other command works afterwards in a new shell.
        from pathlib import Path

        from cocrea.operations import localenv

        localenv.ensure(localenv.var_dir(Path(__file__).resolve().parent.parent.parent))


def _serve(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="cocrea serve")
    parser.add_argument("--bind", default=os.environ.get("COCREA_BIND", "0.0.0.0:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    parser.add_argument(
        "--no-collectstatic", action="store_true", help="skip collecting static files first"
    )
    args, rest = parser.parse_known_args(argv)
    _setup_env()
    if not args.no_collectstatic:
        # The manifest storage needs collected files; collecting is idempotent and quick.
        import subprocess

        subprocess.run(
            [sys.executable, "-m", "cocrea.cli", "manage", "collectstatic", "--noinput", "-v0"],
            check=True,
        )
    os.execvp(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cocrea.wsgi:application",
            "--bind",
            args.bind,
            "--workers",
            str(args.workers),
            "--access-logfile",
            "-",
            *rest,
        ],
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "serve":
        return _serve(rest)
    if command == "ocds":
        # Compiling and validating need no database: skip Django's start-up.
        from cocrea.money.ocds.cli import main as ocds_main

        return ocds_main(rest)
    if command == "redflags":
        # A pure engine with Cardinal's options; Django would take `--settings` as its own.
        from cocrea.money.redflags.cli import main as redflags_main

        return redflags_main(rest)
    # The demo runs in debug mode unless told otherwise, so it needs no SECRET_KEY.
    _setup_env(debug_default=command == "demo")
    from django.core.management import execute_from_command_line

    if command == "manage":
        execute_from_command_line(["cocrea manage", *rest])
    else:
        execute_from_command_line(["cocrea", command.replace("-", "_"), *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
