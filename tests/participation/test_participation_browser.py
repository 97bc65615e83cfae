"""The whole co-creation loop in Chromium: sign-up to the commitment's origin."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from participation_helpers import PASSWORD, make_citizen, make_commitment, make_process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, username):
    page.goto(base + "/cuenta/entrar/")
    page.get_by_label("Correo o usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url("**/mi-espacio/")  # the log-in's default destination


def test_citizen_proposal_becomes_a_commitment(live_server, page, chromium, users, reference):
    base = live_server.url
    process = make_process(reference["17"])
    commitment = make_commitment(
        reference["17"], number=3, title="Obra pública con contraloría social"
    )

    # 1. A citizen signs up and accepts the privacy notice.
    page.goto(base + "/cuenta/registro/")
    page.get_by_label("Correo electrónico").fill("lucia@example.org")
    page.get_by_label("Nombre público").fill("Lucía del Barrio")
    page.get_by_label("Contraseña").fill("una-clave-larga-2026")
    page.get_by_label("He leído y acepto el aviso de privacidad").check()
    page.get_by_role("button", name="Crear cuenta").click()
    page.wait_for_url("**/cuenta/")
    assert "sin verificar" in page.locator("main").inner_text()

    # 2. She verifies her e-mail with the link from the outbox.
    assert mail.outbox[-1].to == ["lucia@example.org"]
    link = re.search(r"https?://\S+/cuenta/verificar/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.wait_for_url("**/cuenta/")
    assert page.locator("[data-verified]").is_visible()

    # 3. She submits a proposal in the open diagnosis phase.
    page.goto(base + process.get_absolute_url())
    assert "Diagnóstico de problemas públicos" in page.locator("#fase-actual").inner_text()
    page.get_by_role("link", name="Enviar una propuesta o un problema público").click()
    page.get_by_label("Título").fill("Contraloría social en la obra pública de Cuernavaca")
    page.get_by_label("Descripción").fill("Que los **comités vecinales** revisen cada obra.")
    page.get_by_label("Municipio").fill("Cuernavaca")
    page.get_by_label("Tema").select_option("integridad")
    page.get_by_role("button", name="Publicar").click()
    page.wait_for_url(re.compile(r".*/cocreacion/propuestas/\d+/$"))
    proposal_url = page.url
    assert page.locator("article strong", has_text="comités vecinales").is_visible()
    assert "Lucía del Barrio" in page.locator("article").inner_text()

    # 4. Another citizen supports it; a second support is refused with a message.
    make_citizen("mateo", name="Mateo")
    other = chromium.new_context(locale="es-MX")
    page2 = other.new_page()
    _login(page2, base, "mateo@example.org")
    page2.goto(proposal_url)
    page2.get_by_role("button", name="Apoyar").click()
    assert page2.locator("[data-supports]").inner_text() == "1"
    page2.get_by_role("button", name="Apoyar").click()
    assert "Ya apoyó esta propuesta" in page2.locator(".pp-messages").inner_text()
    other.close()

    # 5. The Morelos secretariat answers it as incorporated into commitment 3.
    sec = chromium.new_context(locale="es-MX")
    page3 = sec.new_page()
    _login(page3, base, users["member"].username)
    page3.goto(proposal_url)
    form = page3.locator("#respuesta form").first
    form.locator("select[name=status]").select_option("incorporada")
    form.locator("textarea[name=reason]").fill("Se integró al compromiso de obra pública.")
    form.locator("select[name=commitment]").select_option(str(commitment.pk))
    page3.get_by_label("Publicar ahora").check()
    page3.get_by_role("button", name="Guardar respuesta").click()
    assert "Respuesta publicada y notificada." in page3.locator(".pp-messages").inner_text()
    sec.close()

    # 6. The proposer is notified by e-mail.
    notice = mail.outbox[-1]
    assert notice.to == ["lucia@example.org"]
    assert "Incorporada a un compromiso" in notice.body
    assert "Obra pública con contraloría social" in notice.body

    # 7. The public sees the answer and where the commitment came from.
    page.goto(proposal_url)
    answer = page.locator("#respuesta").inner_text()
    assert "Incorporada a un compromiso" in answer
    assert "3. Obra pública con contraloría social" in answer
    page.goto(base + f"/cocreacion/compromisos/{commitment.pk}/origen/")
    origin = page.locator("#origen")
    assert "Contraloría social en la obra pública de Cuernavaca" in origin.inner_text()
    origin.get_by_role("link", name="Contraloría social en la obra pública de Cuernavaca").click()
    page.wait_for_url(proposal_url)
    page.goto(base + process.get_absolute_url())
    assert page.locator("[data-share]").inner_text() == "100 %"
