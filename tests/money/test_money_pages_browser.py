"""In Chromium: from Sigue el Dinero to a flagged process of Morelos, through the programme."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_index_to_flagged_process(live_server, page, settings, tmp_path):
    from money_demo_fixture import load_demo

    from cocrea.territory.services import load_reference

    load_reference()
    from cocrea.territory.models import Entity

    reference = {e.code: e for e in Entity.objects.all()}
    load_demo(settings, tmp_path, reference)

    page.goto(live_server.url + "/sigue-el-dinero/")
    page.get_by_role("link", name="Morelos").first.click()
    page.wait_for_url("**/sigue-el-dinero/morelos/")
    sankey = page.locator("svg.mo-sankey")
    assert sankey.is_visible()
    box = sankey.bounding_box()
    assert box["width"] > 600 and box["height"] > 200
    assert page.locator("svg.mo-sankey path.mo-link").count() > 10
    page.get_by_role("link", name="Abasto de agua potable y saneamiento").first.click()
    page.wait_for_url("**/sigue-el-dinero/programas/*/")
    assert "Pago antes de la firma del contrato" in page.locator("main").inner_text()
    page.locator("#check-pago_antes_firma a").first.click()
    page.wait_for_url("**/sigue-el-dinero/procesos/*/")
    text = page.locator("main").inner_text()
    assert "Verificaciones de consistencia" in text
    assert "$" in text and "MXN" in text
