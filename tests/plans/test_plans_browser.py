"""In the demo, a person follows a commitment from the national board to its evidence in
three clicks (Debian's Chromium via Playwright)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_to_evidence_in_three_clicks(live_server, page, settings, tmp_path):
    from cocrea.participants import demo as participants_demo
    from cocrea.plans import demo
    from cocrea.plans.models import Commitment
    from cocrea.territory.services import load_reference

    settings.MEDIA_ROOT = tmp_path / "media"
    load_reference()
    participants_demo.load(seed=2018)
    demo.load(seed=2018)
    # The demo gives every «Sigue el Dinero» commitment a PDF minute as evidence.
    commitment = Commitment.objects.get(plan__entity__code="17", plan__sequence=1, number=1)
    assert commitment.title.startswith("Sigue el Dinero")

    page.goto(live_server.url + "/seguimiento/")
    assert "Avance nacional validado" in page.locator("main").inner_text()
    page.locator("table.pl-board").get_by_role("link", name="Morelos").click()  # 1
    page.wait_for_url("**/seguimiento/morelos/")
    page.get_by_role("link", name=commitment.title).first.click()  # 2
    page.wait_for_url(f"**/seguimiento/compromisos/{commitment.pk}/")
    assert "Historial de cambios" in page.locator("main").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name="Minuta de la mesa de cocreación (PDF)").click()  # 3
    download = info.value
    assert download.suggested_filename.startswith(
        "evidencia-"
    ) and download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
