"""A plan and a commitment download as PDF documents in Spanish (their commitments, milestones,
validated progress and evidence), in a bounded number of queries; the pages print cleanly."""

from __future__ import annotations

import datetime
import io

import pytest
from plans_helpers import EVIDENCE, make_commitment, make_milestone
from pypdf import PdfReader

from cocrea.plans import services
from cocrea.plans.models import Side

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")


@pytest.fixture
def reported(morelos):
    m = morelos["gov_milestone"]
    m.start_date, m.end_date = datetime.date(2026, 1, 15), datetime.date(2026, 3, 5)
    m.save()
    report = services.submit_report(
        m, actor=morelos["gov_user"], text="Se publicaron 40 contratos", progress=60, links=EVIDENCE
    )
    services.validate_report(report, actor=morelos["cso_user"])
    pending = services.submit_report(
        morelos["cso_milestone"], actor=morelos["cso_user"], text="x", progress=10,
        links=[("Borrador sin validar", "https://example.org/borrador")],
    )  # fmt: skip
    return {**morelos, "report": report, "pending": pending}


def test_the_plan_downloads_as_a_spanish_pdf(client, reported):
    plan = reported["plan"]
    text = _text(client.get(f"/seguimiento/planes/{plan.pk}/plan.pdf"))
    assert plan.title in text and "Plan de acción local de Morelos" in text
    assert "1. Sigue el Dinero en Morelos" in text
    assert "1. Publicar contratos" in text and "2. Contraloría social" in text
    assert "15 de enero de 2026 – 5 de marzo de 2026" in text  # lower-case months
    assert "60.0 %" in text  # the milestone's validated figure
    assert "Acta de la sesión — https://documentos.example.org/acta.pdf" in text
    assert "Borrador sin validar" not in text  # evidence of a report not yet validated
    assert "Enero" not in text and "Marzo" not in text


def test_the_commitment_downloads_as_a_pdf(client, reported):
    commitment = reported["commitment"]
    text = _text(client.get(f"/seguimiento/compromisos/{commitment.pk}/compromiso.pdf"))
    assert "1. Sigue el Dinero en Morelos" in text and "Publicar contratos" in text
    assert "avance validado: 40.0 %" in text  # (2 × 60 + 1 × 0) / 3
    assert "Acta de la sesión" in text
    # Spanish whatever the interface language.
    english = _text(client.get(f"/en/seguimiento/compromisos/{commitment.pk}/compromiso.pdf"))
    assert "Responsable:" in english and "Hito" in english


def test_pdf_queries_are_bounded(client, reported, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = reported["plan"]

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [f"/seguimiento/planes/{plan.pk}/plan.pdf",
            f"/seguimiento/compromisos/{reported['commitment'].pk}/compromiso.pdf"]  # fmt: skip
    before = [count(u) for u in urls]
    for n in range(2, 12):
        commitment = make_commitment(plan, number=n, title=f"Compromiso {n}")
        for k in range(1, 4):
            make_milestone(commitment, k, side=Side.GOVERNMENT, title=f"Hito {n}.{k}")
    assert [count(u) for u in urls] == before
    assert max(before) <= 12


def test_unpublished_plans_have_no_pdf(client, reported):
    from cocrea.plans.models import PlanStatus

    plan = reported["plan"]
    plan.status = PlanStatus.DRAFT
    plan.save()
    assert client.get(f"/seguimiento/planes/{plan.pk}/plan.pdf").status_code == 404


def test_the_pages_link_the_pdf_and_print(client, reported):
    plan, commitment = reported["plan"], reported["commitment"]
    html = client.get(f"/seguimiento/planes/{plan.pk}/").content.decode()
    assert f'href="/seguimiento/planes/{plan.pk}/plan.pdf"' in html and "data-print" in html
    html = client.get(f"/seguimiento/compromisos/{commitment.pk}/").content.decode()
    assert f'href="/seguimiento/compromisos/{commitment.pk}/compromiso.pdf"' in html
