"""API of Sigue el Dinero: programmes (moments, flows, checks) and processes (flags)."""

from __future__ import annotations

import pytest
from money_demo_fixture import load_demo

from cocrea.money.analytics import database, findings
from cocrea.money.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path, reference):
    return load_demo(settings, tmp_path, reference)


def test_programs_by_entity(client, loaded):
    data = client.get("/api/v1/money/programs", {"entity": "17"}).json()
    assert [p["clave_programa"] for p in data] == ["E012", "E031", "S045"]
    assert {p["entity"] for p in data} == {"17"}
    linked = [p for p in data if p["commitment_id"]]
    assert {p["commitment_title"] for p in linked} == {"Sigue el Dinero en Morelos"}
    assert len(client.get("/api/v1/money/programs").json()) == 6
    assert client.get("/api/v1/money/programs", {"entity": "1"}).json() == []


def test_program_detail_has_moments_flows_and_checks(client, loaded):
    program = Program.objects.get(entity__code="17", clave_programa="E031")
    data = client.get(f"/api/v1/money/programs/{program.pk}").json()
    assert [m["moment"] for m in data["moments"]] == [
        "aprobado", "modificado", "comprometido", "devengado", "ejercido", "pagado",
    ]  # fmt: skip
    moments = {m["moment"]: float(m["amount"]) for m in data["moments"]}
    assert moments["aprobado"] > 0
    checks = {c["code"]: c for c in data["checks"]}
    assert set(checks) == {
        "momentos", "pago_mayor", "pago_antes_firma", "beneficiario_distinto",
        "directas_concentradas", "pico_diciembre",
    }  # fmt: skip
    assert checks["momentos"]["findings"][0]["detail"] == "Pagado mayor que ejercido"
    assert checks["beneficiario_distinto"]["findings"]
    assert all(c["explanation"] for c in data["checks"])
    targets = {f["target"] for f in data["flows"]}
    assert "Pagado" in targets
    assert data["summary"]["processes"] > 0
    assert 0 < data["hhi"] <= 10_000
    # One year only.
    data_2024 = client.get(f"/api/v1/money/programs/{program.pk}", {"year": 2024}).json()
    assert data_2024["year"] == 2024
    assert data_2024["summary"]["processes"] < data["summary"]["processes"]
    assert client.get("/api/v1/money/programs/999999").status_code == 404


def test_process_with_flags(client, loaded):
    con = database.connect()
    try:
        ocid = con.execute(
            "SELECT key FROM flags WHERE grp = 'OCID' AND code = 'R035' LIMIT 1"
        ).fetchone()[0]
        paid_early = next(
            f["ocid"]
            for c in findings.checks(con, database.Scope(entity="17"))
            if c["code"] == "pago_antes_firma"
            for f in c["findings"]
        )
    finally:
        con.close()
    data = client.get(f"/api/v1/money/processes/{ocid}").json()
    assert data["ocid"] == ocid and data["entity"] == "17"
    flags = {f["code"]: f for f in data["flags"]}
    assert flags["R035"]["title"] == "Todas las ofertas descalificadas salvo la ganadora"
    assert flags["R035"]["value"] >= 1
    assert data["awards"] and data["contracts"] and data["payments"]
    assert data["programs"]  # linked by projectID to its programme
    data = client.get(f"/api/v1/money/processes/{paid_early}").json()
    assert [c["code"] for c in data["checks"]] == ["pago_antes_firma"]
    assert client.get("/api/v1/money/processes/ocds-nada-1").status_code == 404
