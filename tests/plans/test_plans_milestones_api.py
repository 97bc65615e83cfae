"""GET /api/v1/milestones: the open-data list of milestones (the JSON twin of hitos.csv).

Same rows, order and values as the CSV; filters by entity, plan, commitment, status and
overdue; paginated with limit/offset; a fixed number of queries; no personal data.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from plans_helpers import cso_user, make_commitment, make_milestone, make_plan

from cocrea.participants.models import Organization
from cocrea.plans.models import Milestone, MilestoneStatus, PlanStatus, Side

URL = "/api/v1/milestones"


@pytest.fixture
def data(users, reference):
    """Morelos (two plans), Jalisco (one) and a draft plan of Aguascalientes (hidden)."""
    past = timezone.localdate() - timedelta(days=30)
    org = Organization.objects.create(
        entity=reference["17"], name="Secretaría de la Contraloría de Morelos"
    )
    cso_user(reference["17"])  # a person with an e-mail tied to the entity's organisation
    m1 = make_plan(reference["17"], sequence=1)
    m2 = make_plan(reference["17"], sequence=2)
    j1 = make_plan(reference["14"], sequence=1)
    draft = make_plan(reference["01"], sequence=1, status=PlanStatus.DRAFT)
    c_m1 = make_commitment(m1, 1, title="Contrataciones abiertas")
    c_m1b = make_commitment(m1, 2, title="Parlamento abierto")
    c_m2 = make_commitment(m2, 1, title="Datos de obra pública")
    c_j1 = make_commitment(j1, 1, title="Presupuesto participativo")
    c_draft = make_commitment(draft, 1, title="Compromiso en borrador")
    rows = {
        "late": make_milestone(
            c_m1, 1, weight="2", progress=40, title="Publicar contratos", end_date=past,
            status=MilestoneStatus.IN_PROGRESS, responsible_organization=org,
        ),
        "done": make_milestone(
            c_m1, 2, progress=100, title="Tablero de contratos", end_date=past,
            status=MilestoneStatus.COMPLETE, side=Side.CIVIL_SOCIETY,
        ),
        "m1b": make_milestone(c_m1b, 1, title="Sesiones públicas"),
        "m2": make_milestone(c_m2, 1, title="Mapa de obras", reported_progress=Decimal("25.5")),
        "j1": make_milestone(
            c_j1, 1, title="Foros de presupuesto", status=MilestoneStatus.DELAYED, end_date=past
        ),
        "draft": make_milestone(c_draft, 1, title="Hito en borrador"),
    }  # fmt: skip
    return {"plans": {"m1": m1, "m2": m2, "j1": j1}, "rows": rows, "org": org}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


def test_same_rows_order_and_values_as_the_csv(client, data):
    rows = client.get(URL).json()
    text = client.get("/seguimiento/descargas/hitos.csv").content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == [int(r["id"]) for r in table]
    assert data["rows"]["draft"].pk not in [r["id"] for r in rows]
    assert len(rows) == 5
    for row, line in zip(rows, table, strict=True):
        assert row["entity_code"] == line["entidad"]
        assert row["plan_sequence"] == int(line["plan"])
        assert row["commitment_id"] == int(line["compromiso_id"])
        assert row["commitment"] == line["compromiso"]
        assert row["number"] == int(line["numero"])
        assert row["title"] == line["titulo"]
        assert row["weight"] == float(line["peso"])
        assert row["progress"] == (float(line["avance"]) if line["avance"] else None)
        assert row["reported_progress"] == (
            float(line["avance_reportado"]) if line["avance_reportado"] else None
        )
        assert row["status"] == line["estatus"]
        assert (row["start_date"] or "") == line["fecha_inicio"]
        assert (row["end_date"] or "") == line["fecha_fin"]


def test_row_fields(client, data):
    late = data["rows"]["late"]
    row = next(r for r in client.get(URL).json() if r["id"] == late.pk)
    assert row == {
        "id": late.pk,
        "entity_code": "17",
        "plan_id": data["plans"]["m1"].pk,
        "plan_sequence": 1,
        "commitment_id": late.commitment_id,
        "commitment": "Contrataciones abiertas",
        "number": 1,
        "title": "Publicar contratos",
        "weight": 2.0,
        "progress": 40.0,
        "reported_progress": None,
        "status": "en_proceso",
        "start_date": "2025-01-01",
        "end_date": late.end_date.isoformat(),
        "responsible_organization": "Secretaría de la Contraloría de Morelos",
        "responsible_side": "gobierno",
        "overdue": True,
        "reports": 0,
        "reports_validated": 0,
        "reports_pending": 0,
        "url": f"/seguimiento/compromisos/{late.commitment_id}/#hito-{late.pk}",
    }


def test_filters(client, data):
    r, plans = data["rows"], data["plans"]
    assert set(ids(client.get(URL, {"entity": "17"}))) == {
        r["late"].pk, r["done"].pk, r["m1b"].pk, r["m2"].pk,
    }  # fmt: skip
    assert ids(client.get(URL, {"entity": "14"})) == [r["j1"].pk]
    assert ids(client.get(URL, {"entity": "01"})) == []  # only a draft plan
    assert ids(client.get(URL, {"entity": "99"})) == []
    assert set(ids(client.get(URL, {"plan": plans["m1"].pk}))) == {
        r["late"].pk, r["done"].pk, r["m1b"].pk,
    }  # fmt: skip
    assert ids(client.get(URL, {"commitment": r["late"].commitment_id})) == [
        r["late"].pk,
        r["done"].pk,
    ]
    assert ids(client.get(URL, {"commitment": r["draft"].commitment_id})) == []
    assert ids(client.get(URL, {"status": "concluido"})) == [r["done"].pk]
    assert ids(client.get(URL, {"status": "retrasado", "entity": "17"})) == []
    assert ids(client.get(URL, {"overdue": "true"})) == [r["j1"].pk, r["late"].pk]  # 14, 17
    assert set(ids(client.get(URL, {"overdue": "false"}))) == {
        r["done"].pk, r["m1b"].pk, r["m2"].pk,
    }  # fmt: skip
    assert ids(client.get(URL, {"overdue": "true", "entity": "14"})) == [r["j1"].pk]


def test_invalid_filters_are_rejected(client, data):
    assert client.get(URL, {"status": "no-existe"}).status_code == 422
    assert client.get(URL, {"plan": "uno"}).status_code == 422
    assert client.get(URL, {"limit": "0"}).status_code == 422
    assert client.get(URL, {"limit": "5001"}).status_code == 422
    assert client.get(URL, {"offset": "-1"}).status_code == 422


def test_pagination(client, data):
    everything = ids(client.get(URL))
    first = client.get(URL, {"limit": 2})
    assert ids(first) == everything[:2]
    assert first["X-Total-Count"] == "5"
    assert first["Link"] == f'<{URL}?limit=2&offset=2>; rel="next"'
    second = client.get(URL, {"limit": 2, "offset": 2, "entity": "17"})
    assert second["X-Total-Count"] == "4"
    assert "Link" not in second
    assert ids(second) == [i for i in everything if i != data["rows"]["j1"].pk][2:4]
    assert ids(client.get(URL, {"offset": 100})) == []


def test_no_personal_data(client, data, users):
    body = client.get(URL).content.decode()
    assert "@" not in body
    for user in users.values():
        assert user.email not in body
    for key in ("email", "author", "user", "username", "created_by", "validated_by"):
        assert f'"{key}"' not in body


def test_bounded_queries_with_many_milestones(client, reference, django_assert_max_num_queries):
    today = date(2026, 1, 1)
    milestones = []
    for code in ("09", "14", "17"):
        plan = make_plan(reference[code])
        for n in range(1, 11):
            commitment = make_commitment(plan, n)
            milestones += [
                Milestone(
                    commitment=commitment, number=k, title=f"Hito {k}", weight=Decimal(1),
                    start_date=today, end_date=today + timedelta(days=k),
                )
                for k in range(1, 21)
            ]  # fmt: skip
    Milestone.objects.bulk_create(milestones)
    with django_assert_max_num_queries(2):
        response = client.get(URL)
    assert len(response.json()) == 600
    with django_assert_max_num_queries(2):
        response = client.get(URL, {"entity": "17", "limit": 150, "offset": 100})
    assert len(response.json()) == 100 and response["X-Total-Count"] == "200"


def test_documented_in_openapi(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["get"]
    params = {p["name"] for p in operation["parameters"]}
    assert params == {"entity", "plan", "commitment", "status", "overdue", "limit", "offset"}
    assert "hitos.csv" in operation["description"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    fields = schema[ref.rsplit("/", 1)[1]]["properties"]
    assert {"entity_code", "plan_sequence", "commitment_id", "progress", "status"} <= set(fields)
