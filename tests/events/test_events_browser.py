"""Acceptance in Chromium: register for the summit, follow the emailed link, cancel, and
see the first person on the waiting list promoted; then check that person in by code."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from events_helpers import make_open_event, person

from cocrea.events import services
from cocrea.events.models import Attendance, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(message) -> str:
    return re.search(r"(http://\S+/mi-registro/\S+/)", message.body).group(1)


def _email_to(address: str, subject_start: str):
    found = [m for m in mail.outbox if m.to == [address] and m.subject.startswith(subject_start)]
    assert found, [(m.to, m.subject) for m in mail.outbox]
    return found[-1]


def test_register_cancel_and_waitlist_promotion(page, live_server, users):
    event = make_open_event(slug="i-cumbre-prueba", capacity=2)
    services.register(event, **person(1))  # one seat taken before the visitor arrives

    page.goto(f"{live_server.url}/eventos/{event.slug}/")
    page.get_by_role("link", name="Registrarme").first.click()
    page.get_by_label("Nombre completo").fill("Visitante de la Cumbre")
    page.get_by_label("Correo electrónico").fill("visitante@example.org")
    page.get_by_label("Organización o institución").fill("Colectivo Ciudadano")
    page.get_by_label("Sector").select_option(label="Sociedad civil")
    page.get_by_label("Entidad federativa").select_option(value="17")
    page.get_by_label("He leído y acepto el aviso de privacidad").check()
    page.get_by_role("button", name="Registrarme").click()
    page.get_by_text("Su lugar está confirmado.").wait_for()

    # The event is now full: the next two people wait, in this order.
    first_waiting = services.register(event, **person(2))
    second_waiting = services.register(event, **person(3))
    assert (first_waiting.waitlist_position, second_waiting.waitlist_position) == (1, 2)

    confirmation = _email_to("visitante@example.org", "Registro confirmado")
    page.goto(_link(confirmation))
    page.get_by_test_id("status").get_by_text("Confirmado").wait_for()
    assert page.locator(".qr svg").count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancelar mi registro").click()
    page.get_by_text("Su registro fue cancelado.").wait_for()
    assert page.get_by_test_id("status").inner_text().strip() == "Cancelado"

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == "confirmed"
    assert second_waiting.status == "waitlisted"
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2

    # The promoted person receives an email; their link shows the confirmed seat and QR.
    promotion = _email_to("persona2@example.org", "Ya tiene lugar")
    page.goto(_link(promotion))
    page.get_by_test_id("status").get_by_text("Confirmado").wait_for()
    assert first_waiting.code in page.content()

    # Staff check that person in by typing the code on the check-in page (fetch + JSON).
    client = Client()
    client.force_login(users["coordinator"])
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.goto(f"{live_server.url}/eventos/{event.slug}/staff/asistencia/")
    page.get_by_label("Código de acceso").fill(first_waiting.code.lower())
    page.get_by_role("button", name="Registrar asistencia").click()
    page.locator(".result.outcome-ok").wait_for()
    page.get_by_label("Código de acceso").fill(first_waiting.code)
    page.get_by_role("button", name="Registrar asistencia").click()
    page.locator(".result.outcome-already").wait_for()
    assert "ya había registrado su entrada" in page.locator("#result").inner_text()
    assert Attendance.objects.filter(registration=first_waiting).count() == 1


# Headless Chromium on Linux has no BarcodeDetector and no camera: the page gets a
# stand-in detector that "sees" the QR payload, and a canvas stream as the camera.
FAKE_CAMERA = """
window.__qrValue = null;
window.BarcodeDetector = class {
  constructor(options) { this.options = options; }
  async detect(source) { return window.__qrValue ? [{ rawValue: window.__qrValue }] : []; }
};
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext("2d");
  setInterval(() => { ctx.fillStyle = "#" + Math.floor(Math.random() * 999); ctx.fillRect(0, 0, 64, 64); }, 50);
  return canvas.captureStream(10);
};
"""


def test_camera_scan_marks_attendance_once(page, live_server, users, reference):
    event = make_open_event(slug="cumbre-camara", entity=reference["17"])
    reg = services.register(event, **person(1, name="Asistente con QR"))
    client = Client()
    client.force_login(users["member"])
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.add_init_script(FAKE_CAMERA)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/eventos/{event.slug}/staff/asistencia/")
    page.get_by_role("button", name="Escanear con la cámara").click()
    page.locator("video#camera").wait_for(state="visible")
    page.evaluate("code => { window.__qrValue = code; }", f"COCREA:{reg.code}")
    page.locator(".result.outcome-ok").wait_for()
    assert "Asistente con QR" in page.locator("#result").inner_text()
    # The same QR code held in front of the camera is re-read after 4 s: already in.
    page.locator(".result.outcome-already").wait_for(timeout=15_000)
    assert Attendance.objects.filter(registration=reg).count() == 1
