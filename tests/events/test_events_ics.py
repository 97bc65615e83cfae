"""The .ics downloads parse with icalendar and carry Mexico City local times."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from cocrea.events import demo

MX = ZoneInfo("America/Mexico_City")


@pytest.fixture
def summit(reference):
    return demo.create_summit()


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_session_ics_has_vtimezone_and_local_times(client, summit):
    keynote = summit.sessions.get(title__startswith="Gobierno abierto desde lo local")
    cal = _parse(client.get(f"/eventos/{summit.slug}/sesiones/{keynote.pk}/calendario.ics"))
    timezones = list(cal.walk("VTIMEZONE"))
    assert [str(tz["TZID"]) for tz in timezones] == ["America/Mexico_City"]
    (vevent,) = cal.walk("VEVENT")
    start = vevent.decoded("DTSTART")
    end = vevent.decoded("DTEND")
    assert vevent["DTSTART"].params["TZID"] == "America/Mexico_City"
    assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (
        datetime(2018, 4, 11, 10, 30),
        datetime(2018, 4, 11, 11, 30),
    )
    # April 2018 still had daylight saving time in Mexico City: 10:30 CDT is 15:30 UTC.
    assert start.astimezone(UTC) == datetime(2018, 4, 11, 15, 30, tzinfo=UTC)
    assert "Gobierno abierto desde lo local" in str(vevent["SUMMARY"])
    assert str(vevent["UID"]) == f"session-{keynote.pk}@cocrea.events"


def test_event_ics_contains_the_whole_programme(client, summit):
    cal = _parse(client.get(f"/eventos/{summit.slug}/calendario.ics"))
    vevents = list(cal.walk("VEVENT"))
    assert len(vevents) == 1 + summit.sessions.count()
    whole = next(v for v in vevents if str(v["UID"]).startswith("event-"))
    assert whole.decoded("DTSTART") == datetime(2018, 4, 11, 8, 30, tzinfo=MX)
    assert whole.decoded("DTEND") == datetime(2018, 4, 13, 15, 0, tzinfo=MX)
    assert len({str(v["UID"]) for v in vevents}) == len(vevents)
    for vevent in vevents:
        assert vevent["DTSTART"].params["TZID"] == "America/Mexico_City"
        assert vevent.decoded("DTEND") > vevent.decoded("DTSTART")
    closing = next(v for v in vevents if "Clausura" in str(v["SUMMARY"]))
    assert closing.decoded("DTSTART") == datetime(2018, 4, 13, 14, 0, tzinfo=MX)


def test_winter_session_uses_standard_time(client, reference):
    from datetime import date

    event = demo.create_summit(first_day=date(2030, 1, 15), slug="cumbre-invierno")
    session = event.sessions.order_by("start").first()
    cal = _parse(client.get(f"/eventos/{event.slug}/sesiones/{session.pk}/calendario.ics"))
    (vevent,) = cal.walk("VEVENT")
    # No DST since 2022: 08:30 in Mexico City is 14:30 UTC.
    assert vevent.decoded("DTSTART").astimezone(UTC) == datetime(2030, 1, 15, 14, 30, tzinfo=UTC)


def test_unknown_session_is_404(client, summit):
    assert client.get(f"/eventos/{summit.slug}/sesiones/999999/calendario.ics").status_code == 404
