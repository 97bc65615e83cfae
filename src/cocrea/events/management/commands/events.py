"""`cocrea events ...`: events from the console (aggregates only, never personal data).

cocrea events list                          events with seats, registered, waiting
cocrea events promote SLUG                  fill free seats from the waiting lists
cocrea events certificates SLUG FILE.pdf    certificates of attendance (one page each)
cocrea events ics SLUG [FILE.ics]           the whole programme as iCalendar
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cocrea.events import ics, selectors, services
from cocrea.events.certificates import certificates_pdf
from cocrea.events.models import Event


class Command(BaseCommand):
    help = "Eventos: listar, promover listas de espera, constancias e iCalendar."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="eventos con cupo, registrados y lista de espera")
        promote = sub.add_parser("promote", help="ocupar lugares libres con la lista de espera")
        promote.add_argument("slug")
        certs = sub.add_parser("certificates", help="constancias de asistencia en PDF")
        certs.add_argument("slug")
        certs.add_argument("output")
        cal = sub.add_parser("ics", help="programa completo en iCalendar")
        cal.add_argument("slug")
        cal.add_argument("output", nargs="?")

    def _event(self, slug: str) -> Event:
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f"No existe el evento «{slug}».")
        return event

    def handle(self, *args, action, **options):
        if action == "list":
            for e in selectors.with_counts(Event.objects.order_by("start")):
                start = timezone.localtime(e.start).strftime("%Y-%m-%d %H:%M")
                state = "registro abierto" if e.registration_is_open() else e.get_status_display()
                self.stdout.write(
                    f"{e.slug}\t{start}\t{e.registered_count}/{e.capacity} confirmados\t"
                    f"{e.waitlist_count} en espera\t{state}\t{e.title}"
                )
        elif action == "promote":
            promoted = services.promote_waitlists(self._event(options["slug"]))
            self.stdout.write(f"Promovidos desde la lista de espera: {len(promoted)}")
        elif action == "certificates":
            event = self._event(options["slug"])
            people = list(selectors.attendees(event))
            Path(options["output"]).write_bytes(certificates_pdf(people))
            self.stdout.write(f"{len(people)} constancias en {options['output']}")
        elif action == "ics":
            event = self._event(options["slug"])
            content = ics.event_calendar(event, selectors.sessions_of(event))
            if options["output"]:
                Path(options["output"]).write_bytes(content)
            else:
                sys.stdout.buffer.write(content)
