from django.core.management.base import BaseCommand, CommandError

from cocrea.core.csvimport import ImportFailed
from cocrea.territory.services import load_reference


class Command(BaseCommand):
    help = "Carga los datos de referencia: 32 entidades federativas y adhesiones."

    def handle(self, *args, **options):
        try:
            counts = load_reference()
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Referencia cargada: {counts['entities']} entidades, "
                f"{counts['adhesions']} adhesiones."
            )
        )
