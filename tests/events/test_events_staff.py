"""Staff pages: who may check in, export, email and issue certificates; what they do."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from events_helpers import make_open_event, person

from cocrea.events import services
from cocrea.events.models import Attendance

ACTIONS = {
    "dashboard": ("get", "/eventos/{}/staff/"),
    "checkin": ("get", "/eventos/{}/staff/asistencia/"),
    "export": ("get", "/eventos/{}/staff/registros.csv"),
    "email": ("get", "/eventos/{}/staff/correo/"),
    "certificates": ("get", "/eventos/{}/staff/constancias.pdf"),
}


@pytest.fixture
def morelos_event(reference):
    """An event organised by Morelos (17), with one confirmed registrant."""
    event = make_open_event(slug="encuentro-morelos", entity=reference["17"])
    reg = services.register(event, **person(1, name="Asistente Uno"))
    return event, reg


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("coordinator", {"dashboard", "checkin", "export", "email", "certificates"}),
        ("member", {"dashboard", "checkin", "export", "email", "certificates"}),
        ("other_member", set()),
        ("evaluator", {"dashboard"}),
        ("citizen", set()),
    ],
)
def test_staff_permissions_by_role(client, users, morelos_event, who, allowed):
    event, _ = morelos_event
    client.force_login(users[who])
    for action, (_method, url) in ACTIONS.items():
        response = client.get(url.format(event.slug))
        expected = 200 if action in allowed else 403
        assert response.status_code == expected, (who, action)


def test_anonymous_is_sent_to_login(client, morelos_event):
    event, _ = morelos_event
    for _method, url in ACTIONS.values():
        response = client.get(url.format(event.slug))
        assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]


def test_national_event_is_managed_by_coordinators_only(client, users, open_event):
    client.force_login(users["member"])
    assert client.get(f"/eventos/{open_event.slug}/staff/asistencia/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.check_in(open_event, "XXXX", actor=users["member"])


def test_check_in_once_then_already(client, users, morelos_event):
    event, reg = morelos_event
    client.force_login(users["member"])
    url = f"/eventos/{event.slug}/staff/asistencia/"
    first = client.post(url, {"code": reg.code.lower()}, HTTP_ACCEPT="application/json")
    assert first.json()["outcome"] == "ok"
    assert "Asistente Uno" in first.json()["message"]
    # The QR code carries "COCREA:<code>".
    second = client.post(url, {"code": f"COCREA:{reg.code}"}, HTTP_ACCEPT="application/json")
    assert second.json()["outcome"] == "already"
    assert "ya había registrado su entrada" in second.json()["message"]
    assert Attendance.objects.filter(registration=reg).count() == 1
    # Without JavaScript the same form renders the page with the result.
    page = client.post(url, {"code": reg.code})
    assert page.status_code == 200 and "ya había registrado" in page.content.decode()
    unknown = client.post(url, {"code": "NOEXISTE"}, HTTP_ACCEPT="application/json")
    assert unknown.json()["outcome"] == "not_found"


def test_attendance_per_session(users, morelos_event):
    event, reg = morelos_event
    keynote = event.sessions.filter(capacity__isnull=True, kind="keynote").first()
    workshop = event.sessions.filter(capacity__isnull=False).first()
    actor = users["coordinator"]
    assert services.check_in(event, reg.code, actor=actor).outcome == "ok"
    assert services.check_in(event, reg.code, session=keynote, actor=actor).outcome == "ok"
    assert services.check_in(event, reg.code, session=keynote, actor=actor).outcome == "already"
    # A session with its own capacity needs a confirmed seat in it.
    assert services.check_in(event, reg.code, session=workshop, actor=actor).outcome == "no_seat"
    assert Attendance.objects.filter(registration=reg).count() == 2


def test_waitlisted_and_cancelled_cannot_check_in(users, reference):
    event = make_open_event(capacity=1)
    services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    actor = users["coordinator"]
    assert services.check_in(event, waiting.code, actor=actor).outcome == "not_confirmed"
    services.cancel_registration(waiting)
    result = services.check_in(event, waiting.code, actor=actor)
    assert result.outcome == "not_confirmed"


def test_csv_export_has_registrants_for_staff(client, users, morelos_event):
    event, reg = morelos_event
    services.register(event, **person(2, sector="media", entity=reg.event.entity))
    client.force_login(users["member"])
    response = client.get(f"/eventos/{event.slug}/staff/registros.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["correo"] for r in rows] == ["persona1@example.org", "persona2@example.org"]
    assert rows[1]["sector"] == "Medios de comunicación"
    assert rows[1]["entidad"] == "Morelos"
    assert rows[0]["estado"] == "Confirmado"


def test_email_registrants_of_a_session(client, users, reference):
    event = make_open_event(slug="correo", entity=reference["17"], capacity=5)
    workshop = event.sessions.filter(capacity__isnull=False).first()
    services.register(event, **person(1), sessions=[workshop])
    services.register(event, **person(2))
    mail.outbox.clear()
    client.force_login(users["member"])
    url = f"/eventos/{event.slug}/staff/correo/"
    response = client.post(
        url, {"session": workshop.pk, "subject": "Aviso", "body": "Traigan laptop"}
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["persona1@example.org"]]
    mail.outbox.clear()
    client.post(url, {"session": "", "subject": "A todos", "body": "Hola"})
    assert sorted(m.to[0] for m in mail.outbox) == ["persona1@example.org", "persona2@example.org"]
    with pytest.raises(PermissionDenied):
        services.email_registrants(event, subject="x", body="y", actor=users["other_member"])


def test_certificates_only_for_attendees(client, users, morelos_event):
    event, reg = morelos_event
    absent = services.register(event, **person(3))
    services.check_in(event, reg.code, actor=users["coordinator"])
    client.force_login(users["member"])
    response = client.get(f"/eventos/{event.slug}/staff/constancias.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content.count(b"/Type /Page\n") + response.content.count(b"/Type /Page ") >= 1
    from cocrea.events.selectors import attendees

    assert [r.pk for r in attendees(event)] == [reg.pk]
    assert absent.pk not in [r.pk for r in attendees(event)]


def test_dashboard_counts_by_sector_entity_session(client, users, reference):
    event = make_open_event(slug="tablero", entity=reference["17"], capacity=2)
    workshop = event.sessions.filter(capacity__isnull=False).first()
    a = services.register(
        event, **person(1, sector="government", entity=reference["17"]), sessions=[workshop]
    )
    services.register(event, **person(2, sector="academia", entity=reference["14"]))
    services.register(event, **person(3, sector="academia"))
    services.check_in(event, a.code, actor=users["coordinator"])
    services.check_in(event, a.code, session=workshop, actor=users["coordinator"])
    from cocrea.events.selectors import dashboard

    stats = dashboard(event)
    assert stats["totals"] == {"confirmed": 2, "waitlisted": 1, "cancelled": 0, "attended": 1}
    sectors = {
        r["sector"]: (r["confirmed"], r["waitlisted"], r["attended"]) for r in stats["by_sector"]
    }
    assert sectors == {"government": (1, 0, 1), "academia": (1, 1, 0)}
    entities = {r["entity__code"]: (r["confirmed"], r["attended"]) for r in stats["by_entity"]}
    assert entities == {"17": (1, 1), "14": (1, 0), None: (0, 0)}
    row = next(s for s in stats["by_session"] if s.pk == workshop.pk)
    assert (row.confirmed, row.attended) == (1, 1)
    client.force_login(users["evaluator"])
    page = client.get(f"/eventos/{event.slug}/staff/")
    assert page.status_code == 200
    assert "Academia" in page.content.decode()
    assert "persona1@example.org" not in page.content.decode()


def test_csv_export_neutralises_formulas(client, users, reference):
    event = make_open_event(slug="csv-formulas")
    services.register(event, **person(1, name='=HYPERLINK("http://x")', organization="@org"))
    client.force_login(users["coordinator"])
    response = client.get(f"/eventos/{event.slug}/staff/registros.csv")
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row["nombre"] == '\'=HYPERLINK("http://x")'
    assert row["organizacion"] == "'@org"
