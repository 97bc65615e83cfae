"""Public pages: bounded queries at national scale, charts, external figures, reports."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocrea.evaluation import scale, selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_scale(reference):
    return scale.build()


def test_national_page_bounded_at_national_scale(
    client, national_scale, django_assert_max_num_queries
):
    assert national_scale["assessments"] == 32 * 3 * 15 * 2
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/evaluacion/")
    print(f"\nnational evaluation page: {len(queries)} queries")
    with django_assert_max_num_queries(8):
        page = client.get("/evaluacion/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="ev-bar"') == 32
    for name in ("Aguascalientes", "Zacatecas", "Estelares", "Estándares de cocreación cumplidos"):
        assert name in html
    total = selectors.national().total
    national_row = html.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    for key in ("verifiable", "completed", "starred", "standards"):
        assert f"<td>{total.pct(key):.1f} %</td>" in national_row, key
    with django_assert_max_num_queries(8):
        filtered = client.get(
            "/evaluacion/?plan=2&valor=participation&anio=2025&indicador=completed"
        )
    assert filtered.status_code == 200


def test_the_query_count_does_not_grow_with_the_data(client, reference):
    scale.build(plans=1, commitments=2)
    with CaptureQueriesContext(connection) as small:
        client.get("/evaluacion/")
    scale.build(plans=2, commitments=10, first_sequence=2)  # seven times the ratings
    with CaptureQueriesContext(connection) as larger:
        client.get("/evaluacion/")
    assert len(larger) == len(small)


def test_national_shares_match_a_count_by_hand(national_scale):
    from cocrea.evaluation.models import Assessment, StandardJudgement

    data = selectors.national()
    design = Assessment.objects.filter(review__stage="diseno")
    assert data.total.design == design.count() == 1440
    assert data.total.verifiable == design.filter(verifiable="si").count()
    assert data.total.substantial == design.filter(potential="sustancial").count()
    assert data.total.standards_met == StandardJudgement.objects.filter(met=True).count()
    done = Assessment.objects.filter(
        review__stage="resultados", completion__in=["sustancial", "completo"]
    )
    assert data.total.completed == done.count()
    assert len(data.rows) == 32
    # Filtering by plan keeps a third of the commitments.
    assert selectors.national(plan=2).total.design == 480


def test_external_index_is_labelled_with_its_source(client, reference):
    rows = selectors.metrica_gobierno_abierto()
    assert [(r.year, r.value) for r in rows] == [(2017, 0.39), (2019, 0.52), (2021, 0.48)]
    html = client.get("/evaluacion/").content.decode()
    assert "Cifras externas publicadas: Métrica de Gobierno Abierto (CIDE–INAI)" in html
    assert "0.39" in html and "0.52" in html and "0.48" in html


def test_entity_page_and_report(client, national_scale, django_assert_max_num_queries):
    review = national_scale["review"]
    entity = review.plan.entity
    with django_assert_max_num_queries(8):
        page = client.get(f"/evaluacion/{entity.slug}/")
    assert page.status_code == 200 and review.plan.title in page.content.decode()
    own = selectors.national(entity=entity)
    assert own.total.design == 45 and [r.entity for r in own.rows] == [entity]
    assert "Cifras de las revisiones vigentes" in page.content.decode()
    report = client.get(f"/evaluacion/revisiones/{review.pk}/informe/")
    assert report.status_code == 200 and "@media print" not in report.content.decode()
    assert "Justificación" in report.content.decode()
    pdf = client.get(f"/evaluacion/revisiones/{review.pk}/informe.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    section = client.get(f"/entidades/{entity.slug}/").content.decode()
    assert "Evaluación independiente" in section
