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
