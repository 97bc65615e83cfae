"""Back office (Django admin): organisers see only their own events and registrants."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from events_helpers import make_open_event, person

from cocrea.events import services


def test_admin_scopes_events_and_registrations_by_entity(client, users, reference):
    morelos = make_open_event(slug="evento-morelos", entity=reference["17"])
    jalisco = make_open_event(slug="evento-jalisco", entity=reference["14"])
    services.register(morelos, **person(1, name="Registrante Morelos"))
    services.register(jalisco, **person(2, name="Registrante Jalisco"))

    client.force_login(users["member"])
    events = client.get("/admin/events/event/").content.decode()
    assert f"/admin/events/event/{morelos.pk}/" in events
    assert f"/admin/events/event/{jalisco.pk}/" not in events
    regs = client.get("/admin/events/registration/")
    assert regs.status_code == 200
    assert "Registrante Morelos" in regs.content.decode()
    assert "Registrante Jalisco" not in regs.content.decode()
    assert client.get(f"/admin/events/event/{jalisco.pk}/change/").status_code in (302, 403, 404)

    client.force_login(users["coordinator"])
    regs = client.get("/admin/events/registration/").content.decode()
    assert "Registrante Morelos" in regs and "Registrante Jalisco" in regs

    client.force_login(users["evaluator"])
    assert client.get("/admin/events/registration/").status_code == 403


def test_admin_cancel_action_promotes_waitlist(client, users, reference):
    event = make_open_event(slug="evento-admin", entity=reference["17"], capacity=1)
    first = services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    client.force_login(users["member"])
    response = client.post(
        "/admin/events/registration/",
        {"action": "cancel_selected", "_selected_action": [first.pk]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.status, waiting.status) == ("cancelled", "confirmed")


def test_admin_pages_open_for_organisers(client, users, reference):
    event = make_open_event(slug="evento-paginas", entity=reference["17"])
    client.force_login(users["member"])
    assert client.get(f"/admin/events/event/{event.pk}/change/").status_code == 200
    assert client.get("/admin/events/session/").status_code == 200
    assert client.get("/admin/events/attendance/").status_code == 200
    client.force_login(users["other_member"])
    assert client.get(f"/admin/events/event/{event.pk}/change/").status_code in (302, 403, 404)


def test_staff_changes_go_through_permission_checks(users, reference):
    event = make_open_event(slug="evento-permisos", entity=reference["17"], capacity=1)
    reg = services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    workshop = event.sessions.filter(capacity__isnull=False).first()
    with pytest.raises(PermissionDenied):
        services.cancel_registration(reg, actor=users["other_member"])
    with pytest.raises(PermissionDenied):
        services.save_session(workshop, actor=users["other_member"])
    # The organising entity's member may; more seats in the event promote the waiting list.
    workshop.capacity = 50
    services.save_session(workshop, actor=users["member"])
    services.cancel_registration(reg, actor=users["member"])
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
