"""Certificates of a large event are built by a background task; the staff page polls for them."""

from __future__ import annotations

import pytest
from events_helpers import make_open_event, person

from cocrea.events import services


@pytest.fixture
def big_event(reference, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COCREA_EVENTS_INLINE_CERTIFICATES = 1  # «large» from two attendees on
    event = make_open_event(slug="cumbre-grande", entity=reference["17"])
    for n in range(3):
        registration = services.register(event, **person(n, name=f"Asistente {n}"))
        services.check_in(event, registration.code, actor=users["coordinator"])
    return event


def test_large_event_certificates_go_through_a_task(client, users, big_event):
    client.force_login(users["member"])
    start = client.get(f"/eventos/{big_event.slug}/staff/constancias.pdf")
    assert start.status_code == 302 and "/staff/constancias/" in start.url
    # Tests run tasks at once (immediate backend): the page offers the file already.
    page = client.get(start.url)
    assert b"Descargar las constancias" in page.content and b"hx-get" not in page.content
    pdf = client.get(start.url + "constancias.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF")
    assert body.count(b"/Type /Page\n") + body.count(b"/Type /Page ") == 3


def test_the_file_is_for_the_event_staff_only(client, users, big_event):
    client.force_login(users["member"])
    url = client.get(f"/eventos/{big_event.slug}/staff/constancias.pdf").url
    client.force_login(users["other_member"])
    assert client.get(url).status_code == 403
    assert client.get(url + "constancias.pdf").status_code == 403
    client.force_login(users["member"])
    assert client.get(f"/eventos/{big_event.slug}/staff/constancias/../x/").status_code == 404


def test_a_pending_file_polls(client, users, big_event, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(users["member"])
    url = client.get(f"/eventos/{big_event.slug}/staff/constancias.pdf").url
    page = client.get(url)
    assert b"segundo plano" in page.content and b'hx-trigger="every 2s"' in page.content
    assert client.get(url + "constancias.pdf").status_code == 404
