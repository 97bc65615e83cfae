"""`cocrea ocds compile|validate [FILE ...]`: OCDS tools that need no database.

See `cocrea.money.ocds.cli` (also runnable without Django as ``python -m cocrea.money.ocds``).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from ...ocds.cli import CliError, InvalidData, add_arguments, run


class Command(BaseCommand):
    help = "OCDS tools: compile releases into compiled releases, validate releases."

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        try:
            run(options, self.stdout, self.stderr)
        except CliError as e:
            raise CommandError(str(e)) from e
        except InvalidData:
            sys.exit(1)
