"""The events API: listing, programme, and registration with 201/400/409/410/429."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from events_helpers import make_open_event, person

from cocrea.events import demo, services
from cocrea.events.models import Registration

URL = "/api/v1/events/{}/registrations"


def post(client, slug, payload, **extra):
    return client.post(
        URL.format(slug), data=json.dumps(payload), content_type="application/json", **extra
    )


def valid(n=1, **extra):
    data = {
        "name": f"Persona {n}",
        "email": f"api{n}@example.org",
        "organization": "Observatorio",
        "sector": "academia",
        "entity_code": "17",
        "accept_privacy_notice": True,
    }
    data.update(extra)
    return data


def test_register_201_confirmed_then_waitlisted(
    client, reference, django_capture_on_commit_callbacks
):
    event = make_open_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, event.slug, valid(1))
        second = post(client, event.slug, valid(2))
    assert first.status_code == 201
    assert first.json()["status"] == "confirmed"
    assert second.status_code == 201
    assert second.json() == {"id": second.json()["id"], "status": "waitlisted"}
    reg = Registration.objects.get(pk=first.json()["id"])
    assert reg.entity.code == "17" and reg.sector == "academia"
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (valid(accept_privacy_notice=False), "accept_privacy_notice"),
        (valid(accept_privacy_notice="true"), "accept_privacy_notice"),
        (
            {k: v for k, v in valid().items() if k != "accept_privacy_notice"},
            "accept_privacy_notice",
        ),
        (valid(email="no-es-correo"), "email"),
        (valid(name="   "), "name"),
        (valid(sector="gobierno"), "sector"),
        (valid(entity_code="99"), "entity_code"),
        (valid(sessions=[999999]), "sessions"),
    ],
)
def test_register_400_with_field_errors(client, open_event, payload, field):
    response = post(client, open_event.slug, payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Registration.objects.exists()


def test_register_400_on_bad_json(client, open_event):
    response = client.post(URL.format(open_event.slug), data="{", content_type="application/json")
    assert response.status_code == 400
    response = post(client, open_event.slug, ["no", "objeto"])
    assert response.status_code == 400


def test_register_409_same_email(client, open_event):
    assert post(client, open_event.slug, valid(1)).status_code == 201
    response = post(client, open_event.slug, valid(2, email="API1@EXAMPLE.ORG"))
    assert response.status_code == 409
    assert Registration.objects.count() == 1


def test_register_410_when_closed(client, reference):
    past = demo.create_summit()  # 2018: registration closed long ago
    response = post(client, past.slug, valid(1))
    assert response.status_code == 410
    future = make_open_event(slug="aun-no")
    future.registration_opens = timezone.now() + timedelta(days=1)
    future.save()
    assert post(client, future.slug, valid(1)).status_code == 410


def test_register_404_unknown_event(client, reference):
    assert post(client, "no-existe", valid(1)).status_code == 404


def test_register_is_rate_limited(client, open_event, settings):
    settings.COCREA_EVENTS_REGISTRATION_LIMIT = (3, 600)
    codes = [post(client, open_event.slug, valid(n)).status_code for n in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    # Another address is not affected.
    other = post(client, open_event.slug, valid(9), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 201


def test_list_and_detail_expose_counts_and_programme_only(client, reference):
    event = make_open_event(capacity=1)
    services.register(event, **person(1, name="Nombre Privado", organization="Org Privada"))
    services.register(event, **person(2))
    listing = client.get("/api/v1/events")
    assert listing.status_code == 200
    (item,) = [e for e in listing.json() if e["slug"] == event.slug]
    assert {k: item[k] for k in ("capacity", "registered_count", "waitlist_count")} == {
        "capacity": 1,
        "registered_count": 1,
        "waitlist_count": 1,
    }
    assert {"slug", "title", "start", "end"} <= item.keys()
    detail = client.get(f"/api/v1/events/{event.slug}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["registered_count"] == 1 and body["waitlist_count"] == 1
    assert [d["number"] for d in body["programme"]] == [1, 2, 3]
    sessions = [s for d in body["programme"] for s in d["sessions"]]
    assert len(sessions) == event.sessions.count()
    assert all(s["ics_url"].endswith("calendario.ics") for s in sessions)
    assert any(s["speakers"] for s in sessions)
    everything = listing.content.decode() + detail.content.decode()
    for secret in ("persona1@example.org", "persona2@example.org", "Nombre Privado", "Org Privada"):
        assert secret not in everything


def test_public_pages_show_no_personal_data(client, reference):
    event = make_open_event(capacity=1)
    reg = services.register(event, **person(1, name="Nombre Privado", organization="Org Privada"))
    pages = [
        "/eventos/",
        f"/eventos/{event.slug}/",
        f"/eventos/{event.slug}/programa/",
        f"/eventos/{event.slug}/registro/",
        f"/eventos/{event.slug}/calendario.ics",
        "/api/v1/openapi.json",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for secret in ("persona1@example.org", "Nombre Privado", "Org Privada", reg.code):
            assert secret not in text, (url, secret)


def test_openapi_documents_the_registration_body(client, reference):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/events/{slug}/registrations"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert {"name", "email", "sector", "accept_privacy_notice"} <= set(body["properties"])
    assert {"201", "400", "409", "410", "429"} <= set(operation["responses"])
