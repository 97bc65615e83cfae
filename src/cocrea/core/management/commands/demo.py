import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from cocrea.core.demo import DEMO_PASSWORD, load_demo_data
from cocrea.territory.services import load_reference


class Command(BaseCommand):
    help = "Migra, carga datos de referencia y de demostración, y sirve en http://127.0.0.1:8000"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--no-demo-data", action="store_true", help="cargar solo los datos de referencia"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="preparar la base de datos y salir"
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="no iniciar `cocrea worker` junto al servidor (las tareas quedan en cola)",
        )

    def handle(self, *args, port, host, no_demo_data, no_serve, no_worker, **options):
        from django.conf import settings

        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        self.stdout.write("Migrando la base de datos…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        counts = load_reference()
        self.stdout.write(
            f"Referencia: {counts['entities']} entidades, {counts['adhesions']} adhesiones."
        )
        if not no_demo_data:
            self.stdout.write("Datos de demostración:")
            if not load_demo_data(log=self.stdout.write):
                self.stdout.write("  (ya estaban cargados)")
        if no_serve:
            return
        url = f"http://{host}:{port}/"
        if "COCREA_BASE_URL" not in os.environ:
            settings.COCREA_BASE_URL = url.rstrip("/")
        self.stdout.write(self.style.SUCCESS(f"\nCocrea en {url}"))
        if not no_demo_data:
            self.stdout.write(
                f"Cuentas de demostración (contraseña «{DEMO_PASSWORD}»), back office en {url}admin/:\n"
                "  admin               superusuario\n"
                "  coordinacion        coordinación nacional\n"
                "  enlace-morelos      secretariado de Morelos, lado gobierno (organismo garante)\n"
                "  enlace-jalisco      secretariado de Jalisco, lado gobierno (organismo garante)\n"
                "  osc-morelos         secretariado de Morelos, lado sociedad civil\n"
                "  osc-jalisco         secretariado de Jalisco, lado sociedad civil\n"
                "  red-regional        sociedad civil en los secretariados de Morelos y Jalisco\n"
                "  evaluacion          evaluación\n"
                "  ciudadana           ciudadanía\n"
            )
        # One command for the demo: a task worker (imports, exports, e-mail) beside the server.
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "cocrea.cli", "worker", "-v0"])
            self.stdout.write(f"Trabajador de tareas en segundo plano (proceso {worker.pid}).")
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
