from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "cocrea.events"
    verbose_name = _("Eventos")

    def ready(self):
        from cocrea.core import registry

        from . import demo, selectors
        from .exports import (
            EVENT_COLUMNS,
            SESSION_COLUMNS,
            event_rows,
            events_coverage,
            programme_coverage,
            session_rows,
        )

        registry.register_demo_loader("eventos", demo.load, order=60)
        from .models import Event, EventStatus

        registry.register_search_source(
            "eventos", _("Eventos"), order=40,
            queryset=lambda: Event.objects.filter(
                status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED]
            ),
            fields=("title", "description"),
        )  # fmt: skip
        registry.register_entity_section("eventos", selectors.entity_summary, order=60)
        from . import workspace

        registry.register_workspace_section(
            "events-registrations", workspace.my_registrations, order=32
        )
        registry.register_dataset(
            "eventos",
            _("Eventos"),
            _(
                "Eventos publicados con sede, fechas, quién los organiza, cupo y cuántos "
                "registros confirmados y en lista de espera tienen; sin datos de quienes "
                "se registran."
            ),
            group=self.label,
            json_url="/api/v1/events",
            page_url="events:list",
            columns=EVENT_COLUMNS,
            rows=event_rows,
            order=60,
            keywords=[_("eventos"), _("cumbre"), _("gobierno abierto")],
            coverage=events_coverage,
        )
        registry.register_dataset(
            "eventos-programa",
            _("Programa de los eventos"),
            _(
                "Sesiones de cada evento publicado con tipo, eje temático, sala, horario y "
                "ponentes."
            ),
            group=self.label,
            json_url="/api/v1/programme",
            page_url="events:list",
            columns=SESSION_COLUMNS,
            rows=session_rows,
            order=61,
            keywords=[_("programa"), _("cumbre"), _("sesiones"), _("ponentes")],
            coverage=programme_coverage,
        )
