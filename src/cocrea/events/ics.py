"""iCalendar (.ics) files for one session or a whole event, in America/Mexico_City."""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Event, Session
from .selectors import MEXICO_CITY

PRODID = "-//Cocrea//Eventos de Gobierno Abierto//ES"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "America/Mexico_City")
    return calendar


def _location(event: Event, room: str = "") -> str:
    parts = [room, event.venue_name, event.address]
    text = ", ".join(p for p in parts if p)
    return text or event.online_url


def _vevent(uid, summary, start, end, location, description, url) -> VEvent:
    item = VEvent()
    item.add("uid", uid)
    item.add("summary", summary)
    item.add("dtstart", start.astimezone(MEXICO_CITY))
    item.add("dtend", end.astimezone(MEXICO_CITY))
    item.add("dtstamp", timezone.now())
    if location:
        item.add("location", location)
    if description:
        item.add("description", description)
    if url:
        item.add("url", url)
    return item


def session_vevent(session: Session, base_url: str = "") -> VEvent:
    event = session.event
    speakers = ", ".join(s.name for s in session.speakers.all())
    description = "\n\n".join(
        p for p in (session.get_kind_display(), speakers, session.description) if p
    )
    return _vevent(
        f"session-{session.pk}@cocrea.events",
        f"{session.title} · {event.title}",
        session.start,
        session.end,
        _location(event, session.room),
        description,
        f"{base_url.rstrip('/')}{event.get_absolute_url()}programa/" if base_url else "",
    )


def event_calendar(event: Event, sessions, base_url: str = "") -> bytes:
    """The whole event as one VEVENT plus one VEVENT per session."""
    calendar = _calendar(event.title)
    calendar.add_component(
        _vevent(
            f"event-{event.pk}@cocrea.events",
            event.title,
            event.start,
            event.end,
            _location(event),
            event.description,
            f"{base_url.rstrip('/')}{event.get_absolute_url()}" if base_url else "",
        )
    )
    for session in sessions:
        calendar.add_component(session_vevent(session, base_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def session_calendar(session: Session, base_url: str = "") -> bytes:
    calendar = _calendar(session.title)
    calendar.add_component(session_vevent(session, base_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()
