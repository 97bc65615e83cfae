"""Open-data rows of the events app (served as CSV at /datos/<name>.csv): no registrant."""

from __future__ import annotations

EVENT_COLUMNS = [
    "slug", "titulo", "inicio", "fin", "estado", "sede", "direccion", "enlace_en_linea",
    "organiza", "entidad", "cupo", "registros_confirmados", "lista_de_espera", "url",
]  # fmt: skip
SESSION_COLUMNS = [
    "evento", "sesion_id", "titulo", "tipo", "eje_tematico", "sala", "inicio", "fin",
    "cupo_propio", "ponentes",
]  # fmt: skip


def event_rows():
    """Public events (published and cancelled) with their public counters; no registrant."""
    from .selectors import public_events

    for e in public_events():
        yield [
            e.slug, e.title, e.start.isoformat(), e.end.isoformat(), e.status, e.venue_name,
            e.address, e.online_url, e.organizer_label, e.entity.code if e.entity_id else "",
            e.capacity, e.registered_count, e.waitlist_count, e.get_absolute_url(),
        ]  # fmt: skip


def speakers_label(session) -> str:
    """«Name (Organization); …» as published in the programme."""
    return "; ".join(
        f"{p.name} ({p.organization})" if p.organization else p.name for p in session.speakers.all()
    )


def session_rows():
    """The public programme: sessions of public events with their speakers (as published)."""
    from .selectors import public_sessions

    for s in public_sessions().iterator(chunk_size=2000):
        yield [
            s.event.slug, s.pk, s.title, s.kind, s.track.name if s.track_id else "", s.room,
            s.start.isoformat(), s.end.isoformat(), s.capacity, speakers_label(s),
        ]  # fmt: skip


def _public():
    from .models import Event, EventStatus

    return Event.objects.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])


def events_coverage() -> dict:
    """Issue and change dates and the period of the public events (for the catalogue)."""
    from cocrea.core.coverage import queryset_coverage

    return queryset_coverage(
        _public(), issued="created_at", modified="updated_at", start="start", end="end"
    )


def programme_coverage() -> dict:
    from cocrea.core.coverage import queryset_coverage

    return queryset_coverage(
        _public().filter(sessions__isnull=False),
        issued="created_at",
        modified="updated_at",
        start="sessions__start",
        end="sessions__end",
    )
