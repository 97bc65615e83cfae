"""Municipalities: INEGI's catalogue loader, registration when one joins, adhesion counts."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from cocrea.core.csvimport import ImportFailed
from cocrea.territory.models import Entity, MunicipalAdhesion, Municipality
from cocrea.territory.municipalities import (
    load_municipalities,
    record_adhesion,
    register_municipality,
)

pytestmark = pytest.mark.django_db

# INEGI's layout: more columns than the loader needs; accented names.
HEADER = "CVEGEO,CVE_ENT,NOM_ENT,NOM_ABR,CVE_MUN,NOM_MUN,CVE_CAB,NOM_CAB,POB_TOTAL\n"
ROWS = (
    "20067,20,Oaxaca,Oax.,067,Oaxaca de Juárez,0001,Oaxaca de Juárez,270955\n"
    "20184,20,Oaxaca,Oax.,184,San Juan Bautista Tuxtepec,0001,San Juan Bautista Tuxtepec,159452\n"
    "31050,31,Yucatán,Yuc.,050,Mérida,0001,Mérida,995129\n"
    "15033,15,México,Méx.,033,Ecatepec de Morelos,0001,Ecatepec de Morelos,1645352\n"
)


def test_reference_ships_the_demo_and_test_municipalities(reference):
    assert Municipality.objects.filter(entity__code="17").count() == 33
    assert Municipality.objects.filter(entity__code="09").count() == 16
    cuernavaca = Municipality.objects.get(code="17007")
    assert cuernavaca.name == "Cuernavaca" and cuernavaca.entity.code == "17"
    assert Municipality.objects.get(code="09003").name == "Coyoacán"
    assert Municipality.objects.get(code="09003").is_alcaldia


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "iso-8859-1", "cp1252"])
def test_loader_reads_inegis_encodings(reference, tmp_path, encoding):
    path = tmp_path / "AGEEML.csv"
    path.write_bytes((HEADER + ROWS).encode(encoding))
    result = load_municipalities(path)
    assert result.created == 4
    assert Municipality.objects.get(code="31050").name == "Mérida"
    assert Municipality.objects.get(code="20067").name == "Oaxaca de Juárez"
    assert Municipality.objects.get(code="20067").slug == "oaxaca-de-juarez"
    # Idempotent: the same file again changes nothing.
    again = load_municipalities(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_bad_lines_are_named_and_nothing_is_written(reference, tmp_path):
    bad = (
        HEADER
        + ROWS
        + "33001,33,Atlántida,Atl.,001,Ninguno,0001,x,1\n"  # line 6: no entity 33
        + "20999,20,Jalisco,Jal.,999,Otro,0001,x,1\n"  # line 7: name of another entity
        + "2001,20,Oaxaca,Oax.,01A,Mal,0001,x,1\n"  # line 8: bad CVE_MUN
        + "21067,20,Oaxaca,Oax.,068,Santa Cruz,0001,x,1\n"  # line 9: CVEGEO ≠ CVE_ENT+CVE_MUN
        + "20067,20,Oaxaca,Oax.,067,Oaxaca de Juárez,0001,x,1\n"  # line 10: repeated key
        + "20100,20,Oaxaca,Oax.,100,,0001,x,1\n"  # line 11: no name
    )
    path = tmp_path / "malo.csv"
    path.write_bytes(bad.encode("iso-8859-1"))
    before = Municipality.objects.count()
    with pytest.raises(ImportFailed) as exc:
        load_municipalities(path)
    found = {(e.line, e.field) for e in exc.value.errors}
    assert found == {
        (6, "CVE_ENT"), (7, "NOM_ENT"), (8, "CVE_MUN"), (9, "CVEGEO"), (10, "CVE_MUN"),
        (11, "NOM_MUN"),
    }  # fmt: skip
    assert Municipality.objects.count() == before
    err = io.StringIO()
    with pytest.raises(CommandError, match="No se cargó nada"):
        call_command("load_municipalities", str(path), stderr=err)
    assert "línea 9, campo «CVEGEO»" in err.getvalue()


def test_register_checks_the_key_against_the_entity(reference, users):
    oaxaca = Entity.objects.get(code="20")
    with pytest.raises(PermissionDenied):
        register_municipality(oaxaca, actor=users["member"], code="20067", name="Oaxaca de Juárez")
    with pytest.raises(ValidationError) as exc:
        register_municipality(oaxaca, actor=users["coordinator"], code="17067", name="X")
    assert "code" in exc.value.message_dict and "20" in exc.value.message_dict["code"][0]
    with pytest.raises(ValidationError):
        register_municipality(oaxaca, actor=users["coordinator"], code="2006", name="X")
    with pytest.raises(ValidationError):  # already there (shipped with the reference)
        register_municipality(
            Entity.objects.get(code="17"), actor=users["coordinator"], code="17007", name="X"
        )
    m = register_municipality(
        oaxaca, actor=users["coordinator"], code="20067", name="Oaxaca de Juárez"
    )
    assert m.entity == oaxaca and m.municipal_code == "067"


def test_national_picture_counts_municipalities_beside_entities(reference, users, client):
    seed = client.get("/api/v1/stats/national").json()
    for code, year in (("17007", 2017), ("17011", 2018), ("14039", 2018)):
        record_adhesion(Municipality.objects.get(code=code), actor=users["coordinator"], year=year)
    stats = client.get("/api/v1/stats/national").json()
    assert stats["municipalities_joined"] == 3
    assert stats["municipalities_joined_by_entity"] == {"14": 1, "17": 2}
    assert stats["municipalities_joined_by_year"] == {"2017": 1, "2018": 2}
    # The seed's figures stay exactly as they are.
    for key in ("entities_total", "entities_joined", "joined_by_year"):
        assert stats[key] == seed[key]
    page = client.get("/").content.decode()
    assert "26 de las 32 entidades federativas" in page
    assert "se han sumado 3 municipios de 2 entidades" in page
    entity_page = client.get("/entidades/morelos/").content.decode()
    section = entity_page[entity_page.index('id="municipios"') :]
    assert "Cuernavaca" in section and "Jiutepec" in section and "Cuautla" not in section
    page = client.get("/entidades/morelos/municipios/cuernavaca/").content.decode()
    assert "17007" in page and "2017" in page


def test_api_filters_by_entity_and_adhesion(reference, users, client):
    record_adhesion(Municipality.objects.get(code="17007"), actor=users["coordinator"], year=2017)
    rows = client.get("/api/v1/municipalities?entidad=17").json()
    assert len(rows) == 33 and {r["entity_code"] for r in rows} == {"17"}
    joined = client.get("/api/v1/municipalities?adheridos=true").json()
    assert [(r["code"], r["adhesion_year"]) for r in joined] == [("17007", 2017)]
    assert client.get("/api/v1/municipalities?entidad=99").status_code == 400
    assert client.get("/api/v1/municipalities/17007").json()["name"] == "Cuernavaca"
    assert MunicipalAdhesion.objects.count() == 1
    assert json.dumps(joined).count("@") == 0


def test_pages_keep_bounded_queries_with_2469_municipalities(
    reference, users, client, django_assert_max_num_queries
):
    entities = list(Entity.objects.order_by("code"))
    have = set(Municipality.objects.values_list("code", flat=True))
    extra = []
    n = len(have)
    i = 0
    while n < 2469:
        entity = entities[i % 32]
        code = f"{entity.code}{500 + i // 32:03d}"
        i += 1
        if code in have:
            continue
        extra.append(Municipality(entity=entity, code=code, name=f"Municipio {code}",
                                  slug=f"municipio-{code}"))  # fmt: skip
        n += 1
    Municipality.objects.bulk_create(extra)
    MunicipalAdhesion.objects.bulk_create(
        [MunicipalAdhesion(municipality=m, year=2018) for m in Municipality.objects.all()[::3]]
    )
    assert Municipality.objects.count() == 2469
    for url in ("/", "/entidades/morelos/", "/api/v1/municipalities",
                "/api/v1/municipalities?entidad=17", "/api/v1/stats/national",
                "/seguimiento/", "/seguimiento/?nivel=municipal", "/seguimiento/?nivel=estatal",
                "/entidades/morelos/municipios/cuernavaca/",
                "/sigue-el-dinero/morelos/municipios/cuernavaca/", "/sigue-el-dinero/morelos/",
                "/cocreacion/", "/seguimiento/descargas/planes.csv?municipio=17007"):  # fmt: skip
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
