"""`cocrea money sync-flows` (or `cocrea money-sync-flows`): rebuild the flows tables.

The pages of Sigue el Dinero read flat tables and red flags derived from the compiled releases
of the money store. Run this after `cocrea money import` on big stores; small ones are
rebuilt by the first page view.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from ...analytics import flows


class Command(BaseCommand):
    help = "Reconstruye las tablas de flujos y banderas rojas desde el almacén de contrataciones."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="aunque no haya cambios")

    def handle(self, *args, force, **options):
        started = time.perf_counter()
        result = flows.sync_from_store(force=True) if force else flows.sync_from_store()
        if result is None:
            self.stdout.write("flujos al día (sin cambios en las entregas compiladas)")
            return
        self.stdout.write(
            f"flujos: {result.processes} procesos, {result.awards} adjudicaciones, "
            f"{result.contracts} contratos, {result.transactions} pagos, {result.flags} "
            f"banderas; instantánea {result.snapshot} en {time.perf_counter() - started:.1f} s"
        )
