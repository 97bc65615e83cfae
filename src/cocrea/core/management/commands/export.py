from django.core.management.base import BaseCommand, CommandError

from cocrea.core.registry import EXPORTERS


class Command(BaseCommand):
    help = "Exporta un CSV a la salida estándar. Ej.: cocrea export milestones --entity 17"

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("--entity", default=None, help="clave INEGI de la entidad")

    def handle(self, *args, kind, entity, **options):
        exporter = EXPORTERS.get(kind)
        if exporter is None:
            raise CommandError(f"No sé exportar «{kind}». Opciones: {', '.join(sorted(EXPORTERS))}")
        exporter.run(self.stdout, entity=entity)
