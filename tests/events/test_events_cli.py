"""`cocrea events ...` management command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from events_helpers import make_open_event, person
from icalendar import Calendar

from cocrea.events import services


def test_events_command(tmp_path, users, reference):
    event = make_open_event(slug="cli-cumbre", capacity=1)
    first = services.register(event, **person(1))
    services.register(event, **person(2))
    services.check_in(event, first.code, actor=users["coordinator"])

    out = io.StringIO()
    call_command("events", "list", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith("cli-cumbre\t")
    assert "1/1 confirmados" in line and "1 en espera" in line and "registro abierto" in line
    assert "persona1@example.org" not in out.getvalue()

    pdf = tmp_path / "constancias.pdf"
    out = io.StringIO()
    call_command("events", "certificates", "cli-cumbre", str(pdf), stdout=out)
    assert "1 constancias" in out.getvalue() and pdf.read_bytes().startswith(b"%PDF")

    cal = tmp_path / "programa.ics"
    call_command("events", "ics", "cli-cumbre", str(cal), stdout=io.StringIO())
    assert len(Calendar.from_ical(cal.read_bytes()).walk("VEVENT")) == 1 + event.sessions.count()

    event.capacity = 2
    event.save()
    out = io.StringIO()
    call_command("events", "promote", "cli-cumbre", stdout=out)
    assert "Promovidos desde la lista de espera: 1" in out.getvalue()

    with pytest.raises(CommandError):
        call_command("events", "promote", "no-existe", stdout=io.StringIO())
