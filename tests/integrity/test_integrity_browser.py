"""In Chromium, the government liaison of Morelos cannot change a validated figure in the
back office: the figures are read-only text, a forged post changes nothing, and the
correction page is the national coordination's only."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base, username, password="contrasena-de-prueba-1"):
    page.goto(base + "/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")


def test_liaison_cannot_change_a_validated_figure(live_server, page, morelos, users, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from cocrea.plans.models import Milestone

    milestone = morelos["cso_milestone"]  # civil society reports it; 66 % validated
    _log_in(page, live_server.url, morelos["gov_user"].username)
    page.goto(f"{live_server.url}/admin/plans/milestone/{milestone.pk}/change/")
    form = page.locator("#milestone_form")
    assert form.locator("[name=progress]").count() == 0
    assert form.locator("[name=status]").count() == 0
    assert "66" in page.locator(".field-progress").inner_text()
    assert page.get_by_role("link", name="Corregir avance (coordinación nacional)").count() == 0

    # A forged field added to the form in the page is ignored by the back office.
    page.evaluate(
        """() => {
            const form = document.getElementById('milestone_form');
            for (const [name, value] of [['progress', '100'], ['status', 'concluido']]) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value;
                form.appendChild(input);
            }
        }"""
    )
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    milestone = Milestone.objects.get(pk=milestone.pk)
    assert milestone.progress == Decimal("66") and milestone.status != "concluido"

    response = page.goto(f"{live_server.url}/admin/plans/milestone/{milestone.pk}/corregir/")
    assert response.status == 403

    # The coordinator's correction, with its reason, is what the public timeline shows.
    page.context.clear_cookies()
    _log_in(page, live_server.url, users["coordinator"].username)
    page.goto(f"{live_server.url}/admin/plans/milestone/{milestone.pk}/change/")
    page.get_by_role("link", name="Corregir avance (coordinación nacional)").click()
    page.get_by_label("Avance validado (%)").fill("70")
    page.get_by_label("Motivo público de la corrección").fill(
        "La minuta de la sesión 4 registra 70 % de avance."
    )
    page.get_by_role("button", name="Corregir").click()
    page.wait_for_url(f"**/admin/plans/milestone/{milestone.pk}/change/")
    page.goto(live_server.url + morelos["commitment"].get_absolute_url())
    main = page.locator("main").inner_text()
    assert "Corrección de la coordinación nacional" in main
    assert "La minuta de la sesión 4 registra 70 % de avance." in main
