"""Exports in OGP's commitments-data layout; no evaluator contact data anywhere public."""

from __future__ import annotations

import csv
import io

import pytest
from evaluation_helpers import TODAY, rated_review, reply_all

from cocrea.core.registry import DATASETS
from cocrea.evaluation import services
from cocrea.evaluation.models import Stage
from cocrea.participants.models import Organization, OrganizationType

pytestmark = pytest.mark.django_db

OGP_COLUMNS = [
    "commitment_id", "commitment_title", "lead_institution", "access_to_information",
    "civic_participation", "public_accountability", "technology_and_innovation",
    "specificity", "potential_impact", "completion", "did_it_open_government", "starred",
]  # fmt: skip


@pytest.fixture
def published(users, reference, morelos, evaluator):
    evaluator.email = "evaluadora.privada@correo.example"
    evaluator.first_name, evaluator.last_name = "Renata", "Quiroga"
    evaluator.save()
    org = Organization.objects.create(entity=reference["14"], name="Colegio Evaluador de Jalisco",
                                      type=OrganizationType.ACADEMIA)  # fmt: skip
    plan = morelos["plan"]
    for stage in Stage.values:
        services.appoint(plan, stage, actor=users["coordinator"], user=evaluator, organization=org)
    reviews = {}
    for stage in Stage.values:
        review = rated_review(plan, stage, evaluator)
        services.send_for_comments(
            review, actor=evaluator, reply_due=TODAY.replace(day=20), today=TODAY
        )
        reply_all(review, users["member"])
        reviews[stage] = services.publish(review, actor=evaluator, today=TODAY)
    return reviews


def test_csv_columns_follow_ogp_layout(client, published):
    response = client.get("/api/v1/evaluation/ratings.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][: len(OGP_COLUMNS)] == OGP_COLUMNS
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert len(body) == 3
    first = body[0]
    assert first["commitment_id"] == "MX-17-1-1"
    assert first["lead_institution"] == "Secretaría de la Contraloría de Morelos"
    assert (first["access_to_information"], first["civic_participation"]) == ("Sí", "No")
    assert (first["specificity"], first["potential_impact"]) == ("Alta", "Transformador")
    # No validated progress: the proposed (and kept) completion is «no evidence»: not starred.
    assert (first["completion"], first["starred"]) == ("Sin evidencia disponible", "No")


def test_export_values_do_not_follow_the_browser_language(client, published):
    spanish = client.get("/api/v1/evaluation/ratings.csv").content
    english = client.get("/api/v1/evaluation/ratings.csv", HTTP_ACCEPT_LANGUAGE="en").content
    assert english == spanish and b"Transformador" in english
    page = client.get(f"/en/evaluacion/planes/{published[Stage.DESIGN].plan_id}/").content.decode()
    assert "Transformative" in page and "Starred commitment" in page


def test_json_has_the_same_rows(client, published):
    data = client.get("/api/v1/evaluation/ratings?entity=17").json()
    assert [r["commitment_id"] for r in data] == ["MX-17-1-1", "MX-17-1-2", "MX-17-1-3"]
    assert list(data[0])[: len(OGP_COLUMNS)] == OGP_COLUMNS
    assert client.get("/api/v1/evaluation/ratings?entity=14").json() == []


def test_a_star_appears_once_completion_qualifies(client, published, evaluator, users):
    results = published[Stage.RESULTS]
    correction = services.start_correction(results, actor=evaluator, note="Nueva evidencia.")
    a = correction.assessments.get(commitment__number=2)
    services.save_assessment(a, actor=evaluator, completion="completo",
                             completion_override_reason="Acta de entrega publicada.")  # fmt: skip
    services.send_for_comments(
        correction, actor=evaluator, reply_due=TODAY.replace(day=20), today=TODAY
    )
    reply_all(correction, users["member"])
    services.publish(correction, actor=evaluator, today=TODAY)
    rows = {r["commitment_id"]: r for r in client.get("/api/v1/evaluation/ratings").json()}
    assert rows["MX-17-1-2"]["starred"] == "Sí" and rows["MX-17-1-2"]["results_review_version"] == 2
    assert rows["MX-17-1-1"]["starred"] == "No"
    html = client.get(f"/evaluacion/planes/{results.plan_id}/").content.decode()
    assert "1 compromiso estelar" in html


def test_dataset_is_in_the_catalogue(client, published):
    dataset = DATASETS["evaluacion-compromisos"]
    assert dataset.json_url == "/api/v1/evaluation/ratings"
    html = client.get("/datos/").content.decode()
    assert "Evaluación independiente de compromisos" in html
    assert "/api/v1/evaluation/ratings.csv" in html


def test_no_evaluator_contact_data_public(client, published, evaluator):
    design = published[Stage.DESIGN]
    urls = [
        "/evaluacion/", f"/evaluacion/{design.plan.entity.slug}/", f"/evaluacion/planes/{design.plan_id}/",
        design.get_absolute_url(), f"/evaluacion/revisiones/{design.pk}/informe/",
        "/api/v1/evaluation/ratings", "/api/v1/evaluation/ratings.csv", "/datos/",
        f"/entidades/{design.plan.entity.slug}/",
    ]  # fmt: skip
    # The evaluator's e-mail, account and names, and the replying member's e-mail.
    forbidden = [evaluator.email, evaluator.username, "Renata", "Quiroga", "enlace17@example.org"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for value in forbidden:
            assert value not in text, (url, value)
    html = client.get(design.get_absolute_url()).content.decode()
    assert "Colegio Evaluador de Jalisco" in html  # who evaluates is public, as an organisation
    assert client.get(f"/evaluacion/revisiones/{design.pk}/informe.pdf").status_code == 200
    # The same report uncompressed, so that its text can be searched.
    from cocrea.evaluation import pdf

    raw = pdf.report_pdf(design, compress=False)
    assert b"Compromiso 1 de Morelos" in raw and b"Colegio Evaluador de Jalisco" in raw
    for value in forbidden:
        assert value.encode() not in raw, value
