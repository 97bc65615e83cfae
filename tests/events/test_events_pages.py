"""Public pages: registration form, the signed personal page, demo data, bounded queries."""

from __future__ import annotations

import re

from django.core import mail
from django.utils import timezone
from events_helpers import make_open_event, person

from cocrea.core.demo import DEMO_SEED
from cocrea.events import demo, links, services
from cocrea.events.models import Event, Registration


def _register_form(client, event, n=1, **extra):
    data = {
        "name": f"Persona {n}",
        "email": f"web{n}@example.org",
        "organization": "Colectivo",
        "sector": "civil_society",
        "entity_code": "17",
        "accept_privacy_notice": "on",
    }
    data.update(extra)
    return client.post(f"/eventos/{event.slug}/registro/", data)


def test_register_form_then_manage_change_and_cancel(
    client, reference, django_capture_on_commit_callbacks
):
    event = make_open_event(capacity=1)
    form = client.get(f"/eventos/{event.slug}/registro/").content.decode()
    for label in (
        "Gobierno",
        "Organismo garante",
        "Sociedad civil",
        "Academia",
        "Medios de comunicación",
        "Otro",
    ):
        assert label in form
    with django_capture_on_commit_callbacks(execute=True):
        response = _register_form(client, event)
    assert response.status_code == 302 and "estado=confirmed" in response["Location"]
    url = re.search(r"http://testserver(/\S+/mi-registro/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(url).content.decode()
    assert "Confirmado" in page and "<svg" in page
    reg = Registration.objects.get()
    assert reg.code in page
    workshop = event.sessions.filter(capacity__isnull=False).first()
    client.post(
        url,
        {
            "name": "Persona Uno",
            "organization": "",
            "sector": "media",
            "entity_code": "",
            "sessions": [workshop.pk],
        },
    )
    reg.refresh_from_db()
    assert (reg.name, reg.sector, reg.entity) == ("Persona Uno", "media", None)
    assert reg.session_choices.get().session == workshop
    client.post(url + "cancelar/")
    reg.refresh_from_db()
    assert reg.status == "cancelled"
    assert "Cancelado" in client.get(url).content.decode()


def test_register_form_errors_and_duplicates(client, reference):
    event = make_open_event()
    response = _register_form(client, event, accept_privacy_notice="")
    assert response.status_code == 200
    assert "Debe aceptar el aviso de privacidad" in response.content.decode()
    assert _register_form(client, event).status_code == 302
    again = _register_form(client, event, name="Otra")
    assert "ya tiene un registro" in again.content.decode()
    assert Registration.objects.count() == 1


def test_forged_or_foreign_token_is_404(client, reference):
    event = make_open_event()
    other = make_open_event(slug="otro-evento")
    reg = services.register(event, **person(1))
    token = links.make_token(reg)
    assert client.get(f"/eventos/{event.slug}/mi-registro/{token}/").status_code == 200
    assert client.get(f"/eventos/{event.slug}/mi-registro/{token[:-2]}xx/").status_code == 404
    assert client.get(f"/eventos/{other.slug}/mi-registro/{token}/").status_code == 404


def test_own_certificate_after_attending(client, users, reference):
    event = make_open_event()
    reg = services.register(event, **person(1))
    url = f"/eventos/{event.slug}/mi-registro/{links.make_token(reg)}/constancia.pdf"
    assert client.get(url).status_code == 404
    services.check_in(event, reg.code, actor=users["coordinator"])
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_closed_event_shows_closed_and_refuses_post(client, reference):
    summit = demo.create_summit()
    page = client.get(f"/eventos/{summit.slug}/registro/").content.decode()
    assert "cerrado" in page
    assert _register_form(client, summit).status_code == 410


def test_demo_data_summit_and_open_upcoming_event(
    client, reference, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    demo.load(seed=DEMO_SEED)
    demo.load(seed=DEMO_SEED)  # idempotent
    assert Event.objects.count() == 2
    summit = Event.objects.get(slug=demo.SUMMIT_SLUG)
    local = timezone.localtime(summit.start)
    assert (local.year, local.month, local.day) == (2018, 4, 11)
    assert timezone.localtime(summit.end).day == 13
    assert summit.sessions.values("kind").distinct().count() == 5
    assert summit.speakers.filter(is_demo=False).count() == 0
    assert summit.registrations.filter(status="confirmed").count() == 220
    assert summit.registrations.filter(status="waitlisted").count() == 20
    assert not summit.registration_is_open()
    upcoming = Event.objects.get(slug=demo.UPCOMING_SLUG)
    assert upcoming.registration_is_open() and upcoming.start > timezone.now()
    with django_assert_max_num_queries(12):
        assert client.get(f"/eventos/{summit.slug}/programa/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/eventos/{summit.slug}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/eventos/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/events/{summit.slug}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/eventos/{upcoming.slug}/registro/",
            {
                "name": "Visitante",
                "email": "visitante@example.org",
                "sector": "other",
                "accept_privacy_notice": "on",
            },
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["visitante@example.org"]


def test_entity_page_section_shows_aggregates(client, reference, django_assert_max_num_queries):
    event = make_open_event(slug="encuentro-morelos", entity=reference["17"])
    services.register(event, **person(1, entity=reference["17"], name="Nombre Privado"))
    response = client.get(reference["17"].get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 evento organizado por su Secretariado Técnico Local." in text
    assert "1 persona de esta entidad registrada en eventos." in text
    assert "Nombre Privado" not in text and "persona1@example.org" not in text
    from cocrea.events.selectors import entity_summary

    with django_assert_max_num_queries(2):
        assert entity_summary(reference["14"]) is None


def test_programme_by_day_and_track(client, reference):
    event = demo.create_summit()
    page = client.get(f"/eventos/{event.slug}/programa/").content.decode()
    for n, date_text in (
        (1, "11 de abril de 2018"),
        (2, "12 de abril de 2018"),
        (3, "13 de abril de 2018"),
    ):
        assert f"Día {n} · " in page
        assert date_text in page.lower()
    filtered = client.get(f"/eventos/{event.slug}/programa/?eje=sigue-el-dinero").content.decode()
    assert "Taller: rastrear la ruta de los recursos públicos" in filtered
    assert "Mesa de trabajo: municipios abiertos" not in filtered
    # Sigue el Dinero has sessions on days 1 and 2 only: numbering keeps the event's days.
    assert "Día 1 · " in filtered and "Día 2 · " in filtered and "Día 3 · " not in filtered
