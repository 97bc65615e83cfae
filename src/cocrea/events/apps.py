from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

EVENT_COLUMNS = [
    "slug", "titulo", "inicio", "fin", "estado", "sede", "direccion", "enlace_en_linea",
    "organiza", "entidad", "cupo", "registros_confirmados", "lista_de_espera", "url",
]  # fmt: skip
SESSION_COLUMNS = [
    "evento", "sesion_id", "titulo", "tipo", "eje_tematico", "sala", "inicio", "fin",
    "cupo_propio", "ponentes",
]  # fmt: skip


def _event_rows():
    """Public events (published and cancelled) with their public counters; no registrant."""
    from .selectors import public_events

    for e in public_events():
        yield [
            e.slug, e.title, e.start.isoformat(), e.end.isoformat(), e.status, e.venue_name,
            e.address, e.online_url, e.organizer_label, e.entity.code if e.entity_id else "",
            e.capacity, e.registered_count, e.waitlist_count, e.get_absolute_url(),
        ]  # fmt: skip


def _session_rows():
    """The public programme: sessions of public events with their speakers (as published)."""
    from django.db.models import Prefetch

    from .models import EventStatus, Session, Speaker

    sessions = (
        Session.objects.filter(event__status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
        .select_related("event", "track")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("name")))
        .order_by("event__start", "event__slug", "start", "room", "title")
    )
    for s in sessions:
        speakers = "; ".join(
            f"{p.name} ({p.organization})" if p.organization else p.name for p in s.speakers.all()
        )
        yield [
            s.event.slug, s.pk, s.title, s.kind, s.track.name if s.track_id else "", s.room,
            s.start.isoformat(), s.end.isoformat(), s.capacity, speakers,
        ]  # fmt: skip


class EventsConfig(AppConfig):
    name = "cocrea.events"
    verbose_name = _("Eventos")

    def ready(self):
        from cocrea.core import registry

        from . import demo, selectors

        registry.register_demo_loader("eventos", demo.load, order=60)
        registry.register_entity_section("eventos", selectors.entity_summary, order=60)
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
            rows=_event_rows,
            order=60,
        )
        registry.register_dataset(
            "eventos-programa",
            _("Programa de los eventos"),
            _(
                "Sesiones de cada evento publicado con tipo, eje temático, sala, horario y "
                "ponentes. En JSON, el programa de un evento está en /api/v1/events/{slug}."
            ),
            group=self.label,
            page_url="events:list",
            columns=SESSION_COLUMNS,
            rows=_session_rows,
            order=61,
        )
