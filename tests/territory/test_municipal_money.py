"""Sigue el Dinero at the municipal level: programmes and buyers of a municipality."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plans"))

from plans_helpers import make_commitment, make_plan  # noqa: E402

from cocrea.accounts.models import Role, Side  # noqa: E402
from cocrea.accounts.services import grant  # noqa: E402
from cocrea.money import services  # noqa: E402
from cocrea.territory.models import Municipality  # noqa: E402
from people import make_user  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def cuernavaca(reference, users):
    place = Municipality.objects.get(code="17007")
    seated = make_user("gob-cuernavaca", Role.CITIZEN)
    grant(seated, Role.SECRETARIAT_MEMBER, actor=None, entity=reference["17"],
          municipality=place, side=Side.GOVERNMENT)  # fmt: skip
    jiutepec = make_user("gob-jiutepec", Role.CITIZEN)
    grant(jiutepec, Role.SECRETARIAT_MEMBER, actor=None, entity=reference["17"],
          municipality=Municipality.objects.get(code="17011"), side=Side.GOVERNMENT)  # fmt: skip
    return {"place": place, "member": seated, "jiutepec": jiutepec, "entity": reference["17"]}


def test_buyers_are_tied_by_their_own_level(cuernavaca, users, client):
    place, entity = cuernavaca["place"], cuernavaca["entity"]
    for actor in (cuernavaca["jiutepec"], users["member"], users["citizen"]):
        with pytest.raises(PermissionDenied):
            services.tie_buyer(actor, "MX-MUN-17007-01", entity=entity, municipality=place)
    tie = services.tie_buyer(
        cuernavaca["member"], "MX-MUN-17007-01", entity=entity, municipality=place,
        name="Ayuntamiento de Cuernavaca",
    )  # fmt: skip
    # Moving it away needs the right over where it is now.
    with pytest.raises(PermissionDenied):
        services.tie_buyer(users["member"], "MX-MUN-17007-01", entity=entity)
    with pytest.raises(ValidationError):  # a municipality of another entity
        services.tie_buyer(None, "MX-X", entity=entity,
                           municipality=Municipality.objects.get(code="14039"))  # fmt: skip
    rows = client.get("/api/v1/money/buyer-territories?municipio=17007").json()
    assert [(r["buyer_id"], r["municipality"]) for r in rows] == [("MX-MUN-17007-01", "17007")]
    page = client.get("/entidades/morelos/municipios/cuernavaca/").content.decode()
    assert 'id="compradores"' in page and "Ayuntamiento de Cuernavaca" in page
    assert tie.entity == entity


def test_municipal_programmes(cuernavaca, users, client, reference):
    place, entity = cuernavaca["place"], cuernavaca["entity"]
    municipal_commitment = make_commitment(
        make_plan(entity, sequence=2).__class__.objects.create(
            entity=entity,
            municipality=place,
            sequence=1,
            title="Plan municipal",
            status="implementacion",
        )
    )
    state_commitment = make_commitment(make_plan(entity))
    program = services.create_program(
        cuernavaca["member"], entity=entity, municipality=place, name="Obra pública municipal",
        clave_programa="K010", year_start=2025, commitment=municipal_commitment,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:  # a state commitment for a municipal programme
        services.update_program(None, program, commitment=state_commitment)
    assert "commitment" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.create_program(users["member"], entity=entity, municipality=place,
                                name="x", clave_programa="K011", year_start=2025)  # fmt: skip
    rows = client.get("/api/v1/money/programs?municipio=17007").json()
    assert [(r["clave_programa"], r["municipality"]) for r in rows] == [("K010", "17007")]


HEADER = (
    "ciclo,entidad,municipio,ramo,unidad_responsable,programa,clave_programa,partida,"
    "fuente_financiamiento,aprobado,modificado,comprometido,devengado,ejercido,pagado\n"
)
MUNICIPAL_BUDGET = HEADER + (
    "2025,17,17007,Obras,Obras Públicas,Obra pública municipal,K010,61401,Propios,"
    "500000,500000,400000,300000,200000,100000\n"
    "2025,17,007,Obras,Obras Públicas,Bacheo,K011,61401,Propios,1000,1000,0,0,0,0\n"
    "2025,17,,Salud,SSM,Atención médica,E001,21101,Estatal,9000000,9000000,0,0,0,0\n"
)


def _write(tmp_path, text, name="presupuesto.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_budget_lines_of_a_municipality(cuernavaca, client, settings, tmp_path):
    import duckdb

    from cocrea.core.csvimport import ImportFailed
    from cocrea.money.budget import moments

    settings.COCREA_MONEY_DIR = tmp_path / "money"
    services.import_budget(None, _write(tmp_path, MUNICIPAL_BUDGET), "municipios-2025")
    rows = duckdb.sql(
        f"SELECT clave_programa, municipio FROM {moments.read_parquet_sql()} ORDER BY line"
    ).fetchall()
    assert rows == [("K010", "17007"), ("K011", "17007"), ("E001", None)]
    # A key of another entity, an unknown key and a malformed one: each named by line and
    # field, and nothing imported (the store keeps the lines above).
    bad = HEADER + (
        "2025,17,14039,Obras,OP,Obra,K010,61401,P,1,1,0,0,0,0\n"
        "2025,17,17999,Obras,OP,Obra,K010,61401,P,1,1,0,0,0,0\n"
        "2025,17,17-007,Obras,OP,Obra,K010,61401,P,1,1,0,0,0,0\n"
    )
    with pytest.raises(ImportFailed) as exc:
        services.import_budget(None, _write(tmp_path, bad, "malo.csv"), "municipios-2025")
    problems = [(e.line, e.field) for e in exc.value.errors]
    assert problems == [(2, "municipio"), (3, "municipio"), (4, "municipio")]
    assert "no pertenece a la entidad 17" in str(exc.value.errors[0].message)
    assert duckdb.sql(f"SELECT count(*) FROM {moments.read_parquet_sql()}").fetchall() == [(3,)]

    page = client.get("/sigue-el-dinero/morelos/municipios/cuernavaca/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Obra pública municipal" in html and "Bacheo" in html
    assert "Atención médica" not in html  # the state's own line
    assert "Atención médica" in client.get("/sigue-el-dinero/morelos/").content.decode()
    api = client.get("/api/v1/money/budget?municipio=17007").json()
    assert sorted(r["clave_programa"] for r in api) == ["K010", "K011"]
    assert {r["municipio"] for r in api} == {"17007"}
    assert client.get("/api/v1/money/budget?municipio=17").status_code == 422
    csv_text = client.get("/sigue-el-dinero/descargas/presupuesto.csv").getvalue().decode()
    header, *lines = csv_text.lstrip("\ufeff").splitlines()
    assert header.startswith("source,ciclo,entidad,ramo") and header.endswith(",pagado,municipio")
    assert sum(line.endswith(",17007") for line in lines) == 2


def test_contracting_and_red_flags_of_a_municipality(
    cuernavaca, client, settings, tmp_path, reference
):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "money"))
    from money_demo_fixture import load_demo

    from cocrea.money.analytics import database

    load_demo(settings, tmp_path, reference, with_commitment=False)
    con = database.connect()
    try:
        buyers = [r[0] for r in con.execute(
            "SELECT buyer_id FROM processes WHERE entity = '17' GROUP BY buyer_id ORDER BY buyer_id"
        ).fetchall()]  # fmt: skip
        tied, untied = buyers[0], buyers[1]
        processes, flagged = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE ocid IN "
            "(SELECT key FROM flags WHERE grp = 'OCID')) FROM processes WHERE buyer_id = ?",
            [tied],
        ).fetchone()
    finally:
        con.close()
    assert processes > 0
    services.tie_buyer(
        cuernavaca["member"], tied, entity=cuernavaca["entity"], municipality=cuernavaca["place"]
    )
    html = client.get("/sigue-el-dinero/morelos/municipios/cuernavaca/").content.decode()
    assert f"/sigue-el-dinero/compradores/{tied}/" in html
    assert f"/sigue-el-dinero/compradores/{untied}/" not in html
    assert "sin-compradores" not in html
    page = client.get("/entidades/morelos/municipios/cuernavaca/").content.decode()
    assert f"{flagged} de {processes} procesos de contratación con alguna bandera roja" in page
    assert 'href="/sigue-el-dinero/morelos/municipios/cuernavaca/"' in page
    # A municipality with no buyer tied says so instead of showing the entity's processes.
    other = client.get("/sigue-el-dinero/morelos/municipios/jiutepec/").content.decode()
    assert 'id="sin-compradores"' in other and tied not in other


def test_the_municipality_page_has_a_plain_title(cuernavaca, client):
    html = client.get("/entidades/morelos/municipios/cuernavaca/").content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "Cuernavaca" in title
