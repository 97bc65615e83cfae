"""Public pages of Sigue el Dinero over the demo data (real Parquet + DuckDB, PostgreSQL)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from money_demo_fixture import load_demo

from cocrea.money import demo
from cocrea.money.analytics import database, findings
from cocrea.money.models import Program, ProgramProcess
from cocrea.money.web import selectors
from cocrea.money.web.formatting import mxn, mxn_short

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path, reference):
    commitments = load_demo(settings, tmp_path, reference)
    return {"commitments": commitments, "entity": reference["17"], "reference": reference}


def test_money_format():
    assert mxn(1234567.891) == "$1,234,567.89 MXN"
    assert mxn("1234.5") == "$1,234.50 MXN"
    assert mxn(None) == "—"
    assert mxn(-5) == "-$5.00 MXN"
    assert mxn_short(2_500_000) == "$2.5 mdp"


def test_demo_links_programmes_to_commitments(loaded):
    morelos = Program.objects.filter(entity__code="17").order_by("clave_programa")
    assert [p.clave_programa for p in morelos] == ["E012", "E031", "S045"]
    linked = [p for p in morelos if p.commitment_id]
    assert {p.commitment.title for p in linked} == {"Sigue el Dinero en Morelos"}
    assert ProgramProcess.objects.filter(program__entity__code="17").count() == 1


def test_every_check_and_flag_is_triggered_by_the_demo(loaded):
    con = database.connect()
    try:
        checks = findings.checks(con, database.Scope(entity="17"))
        flags = {f["code"] for f in findings.flag_summary(con, database.Scope(entity="17"))}
    finally:
        con.close()
    empty = [c["code"] for c in checks if not c["findings"]]
    assert empty == []
    assert {"R003", "R018", "R024", "R028", "R030", "R035", "R036"} <= flags


def test_index_entity_and_programme_pages(client, loaded, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/sigue-el-dinero/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Morelos" in text and "MXN" in text

    with django_assert_max_num_queries(8):
        response = client.get("/sigue-el-dinero/morelos/")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="mo-sankey"' in text  # server-rendered Sankey
    assert "Pagos mayores que el valor del contrato" in text
    assert "Pico de gasto en diciembre" in text
    assert "Adjudicaciones directas concentradas en un proveedor" in text
    assert "Pagado mayor que ejercido" in text

    response = client.get("/sigue-el-dinero/morelos/?ciclo=2024")
    assert response.status_code == 200
    assert "· 2024" in response.content.decode()

    program = Program.objects.get(entity__code="17", clave_programa="E012")
    with django_assert_max_num_queries(10):
        response = client.get(f"/sigue-el-dinero/programas/{program.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Abasto de agua potable" in text
    assert "Pago antes de la firma del contrato" in text
    assert "Obra complementaria de salud" in text  # the process linked by hand


def test_process_buyer_supplier_pages_show_flags_with_explanations(client, loaded):
    con = database.connect()
    try:
        ocid = con.execute(
            "SELECT key FROM flags WHERE grp = 'OCID' AND code = 'R030' ORDER BY key LIMIT 1"
        ).fetchone()[0]
        winner = con.execute(
            "SELECT key FROM flags WHERE grp = 'Tenderer' AND code = 'R030' LIMIT 1"
        ).fetchone()[0]
        buyer = con.execute("SELECT buyer_id FROM processes WHERE ocid = ?", [ocid]).fetchone()[0]
    finally:
        con.close()
    text = client.get(f"/sigue-el-dinero/procesos/{ocid}/").content.decode()
    assert "Ganó una oferta entregada fuera de plazo" in text
    assert "no una prueba de irregularidad" in text  # the disclaimer
    text = client.get(f"/sigue-el-dinero/proveedores/{winner}/").content.decode()
    assert "Ganó una oferta entregada fuera de plazo" in text
    text = client.get(f"/sigue-el-dinero/compradores/{buyer}/").content.decode()
    assert "Banderas en sus procesos" in text
    assert client.get("/sigue-el-dinero/procesos/ocds-nada-1/").status_code == 404
    release = client.get(f"/sigue-el-dinero/procesos/{ocid}/ocds.json").json()
    assert release["ocid"] == ocid and "compiled" in release["tag"]
    assert client.get("/sigue-el-dinero/procesos/ocds-nada-1/ocds.json").status_code == 404


def test_process_page_shows_its_checks(client, loaded):
    con = database.connect()
    try:
        ocid = next(
            f["ocid"]
            for c in findings.checks(con, database.Scope(entity="17"))
            if c["code"] == "beneficiario_distinto"
            for f in c["findings"]
        )
    finally:
        con.close()
    text = client.get(f"/sigue-el-dinero/procesos/{ocid}/").content.decode()
    assert "Pago a alguien distinto del proveedor adjudicado" in text


def test_search(client, loaded):
    text = client.get("/sigue-el-dinero/buscar/", {"q": "educacion"}).content.decode()
    assert "Secretaría de Educación de Morelos" in text  # accents ignored
    text = client.get("/sigue-el-dinero/buscar/", {"q": "D17000007"}).content.decode()
    assert "/sigue-el-dinero/proveedores/MX-RFC-D17000007/" in text


def test_downloads(client, loaded, tmp_path):
    import duckdb

    assert client.get("/sigue-el-dinero/descargas/").status_code == 200
    response = client.get("/sigue-el-dinero/descargas/presupuesto.csv")
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeffsource,ciclo,entidad,")  # UTF-8 with BOM
    assert ",17,Gobierno del Estado," in body
    response = client.get("/sigue-el-dinero/descargas/pagos.parquet")
    path = tmp_path / "pagos.parquet"
    path.write_bytes(b"".join(response.streaming_content))
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0] > 100
    response = client.get("/sigue-el-dinero/descargas/releases.jsonl")
    lines = b"".join(response.streaming_content).splitlines()
    assert all(line.startswith(b'{"ocid":"' + demo.PREFIX.encode()) for line in lines[:5])
    response = client.get("/sigue-el-dinero/descargas/procesos.csv")
    assert b"".join(response.streaming_content).decode().startswith("\ufeffocid,entity,buyer_id")
    response = client.get("/sigue-el-dinero/descargas/programas.csv")
    rows = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert rows[0].startswith("id,entidad,clave_programa,programa")
    assert any(",17,E012,Abasto de agua potable" in r and "ocds-c0crea-17-" in r for r in rows)
    assert client.get("/sigue-el-dinero/descargas/otra.csv").status_code == 404


def test_commitment_money_templatetag(loaded):
    commitment = loaded["commitments"][0]
    html = Template("{% load money %}{% commitment_money c %}").render(Context({"c": commitment}))
    assert "El dinero de este compromiso" in html
    assert "Abasto de agua potable" in html
    assert "Útiles y uniformes escolares" in html
    assert "Atención médica" not in html  # E031 is not linked to the commitment


def test_pages_without_data(client, settings, tmp_path, reference):
    settings.COCREA_MONEY_DIR = tmp_path / "empty"
    assert client.get("/sigue-el-dinero/").status_code == 200
    assert client.get("/sigue-el-dinero/morelos/").status_code == 200
    assert client.get("/sigue-el-dinero/descargas/pagos.parquet").status_code == 404
    assert selectors.has_data() == {"budget": False, "contracting": False}
