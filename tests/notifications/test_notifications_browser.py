"""In Chromium: a person follows a proposal with one click and finds its answer in the centre."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_follow_a_proposal_and_see_it_answered(live_server, page, users, reference):
    from participation_helpers import make_citizen, make_process

    from cocrea.notifications.models import Follow
    from cocrea.participation import services as participation

    process = make_process(reference["17"])
    ana = make_citizen("ana")
    proposal = participation.submit_proposal(
        process, actor=ana, kind="propuesta", title="Contratos en datos abiertos",
        body="Publicar los contratos.", affected_population="Toda", municipality="Cuernavaca",
        theme="presupuesto",
    )  # fmt: skip
    beto = make_citizen("beto")
    _sign_in(page, live_server, beto)

    page.goto(live_server.url + proposal.get_absolute_url())
    button = page.locator("form.nt-follow button")
    assert button.inner_text() == "Seguir"
    button.click()  # htmx swaps the form in place
    page.locator("form.nt-follow button", has_text="Dejar de seguir").wait_for()
    # The proposer follows her proposal already; the page shows the count, not the names.
    assert "2 personas lo siguen" in page.locator("form.nt-follow").inner_text()
    assert Follow.objects.filter(user=beto, kind="propuesta", target=str(proposal.pk)).exists()

    participation.draft_response(
        proposal, actor=users["member"], status="aceptada",
        reason="Se publicará cada trimestre en el portal.", publish=True,
    )  # fmt: skip
    page.goto(live_server.url + "/seguimiento/")
    bell = page.locator("a.nt-bell")
    assert bell.get_attribute("data-unread") == "1"
    bell.click()
    page.wait_for_url("**/avisos/")
    item = page.locator("li.nt-item").first
    assert "Propuesta respondida: Contratos en datos abiertos" in item.inner_text()
    assert "Se publicará cada trimestre en el portal." in item.inner_text()
    page.get_by_role("button", name="Marcar todo como leído").click()
    page.wait_for_url("**/avisos/")
    assert page.locator("li.nt-unread").count() == 0
    assert page.locator("a.nt-bell").get_attribute("data-unread") == "0"
