"""Budget moments are checked per entity, year and programme: in a scope with several entities
(the national one), one entity's finding is not hidden by another entity's lines with the same
programme key."""

from __future__ import annotations

import io

import pytest
from money_demo_fixture import load_demo

from cocrea.money import services
from cocrea.money.analytics import database, findings

pytestmark = pytest.mark.django_db

HEADER = (
    "ciclo,entidad,ramo,unidad_responsable,programa,clave_programa,partida,"
    "fuente_financiamiento,aprobado,modificado,comprometido,devengado,ejercido,pagado\n"
)


def _momentos(scope: database.Scope) -> list[dict]:
    con = database.connect()
    try:
        checks = {c["code"]: c for c in findings.checks(con, scope)}
    finally:
        con.close()
    return checks["momentos"]["findings"]


def _keys(findings: list[dict]) -> set[tuple]:
    return {(f["entity"], f["clave"], f["year"], f["detail"]) for f in findings}


def test_demo_finding_of_morelos_is_in_the_national_scope(settings, tmp_path, reference):
    load_demo(settings, tmp_path, reference)
    expected = ("17", "E031", 2025, "Pagado mayor que ejercido")
    national = _momentos(database.Scope())
    morelos = _momentos(database.Scope(entity="17"))
    assert expected in _keys(national)
    assert expected in _keys(morelos)
    assert _keys(morelos) <= _keys(national)
    # Jalisco's lines of the same programme and year are consistent: no finding of its own.
    assert ("14", "E031", 2025) not in {k[:3] for k in _keys(national)}
    assert _momentos(database.Scope(entity="14")) == []
    # In the national scope the entity is named; in the entity's own scope it is implied.
    label = next(f["label"] for f in national if f["entity"] == "17" and f["clave"] == "E031")
    assert label == "Morelos: E031 Atención médica de primer nivel (2025)"
    label = next(f["label"] for f in morelos if f["clave"] == "E031")
    assert label == "E031 Atención médica de primer nivel (2025)"
    # The same year filter keeps it, another year drops it.
    assert expected in _keys(_momentos(database.Scope(year=2025)))
    assert expected not in _keys(_momentos(database.Scope(year=2024)))

    # The December spike (per entity and year, as well) of Morelos is national too.
    con = database.connect()
    try:
        spikes = {c["code"]: c for c in findings.checks(con, database.Scope())}["pico_diciembre"][
            "findings"
        ]
    finally:
        con.close()
    assert ("17", 2024) in {(f["entity"], f["year"]) for f in spikes}


def test_one_entity_surplus_does_not_hide_another_excess(settings, tmp_path, reference):
    """Same programme key and year in two entities: Morelos paid more than it exercised
    (by 10) and Jalisco exercised 1,000 more than it paid; summed, nothing shows."""
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    rows = [
        "2025,17,33,Secretaría de Salud,Atención médica,E031,2111,FASSA,1000,1000,900,800,700,710",
        "2025,14,33,Secretaría de Salud,Atención médica,E031,2111,FASSA,"
        "5000,5000,5000,5000,5000,4000",
        # Two lines of one entity are summed: their total is consistent.
        "2025,14,33,Secretaría de Salud,Agua,E012,2111,FASSA,100,100,100,100,50,60",
        "2025,14,33,Secretaría de Salud,Agua,E012,2112,FASSA,100,100,100,100,50,40",
    ]
    services.import_budget(None, io.BytesIO((HEADER + "\n".join(rows) + "\n").encode()), "p")
    finding = ("17", "E031", 2025, "Pagado mayor que ejercido")
    assert _keys(_momentos(database.Scope())) == {finding}
    assert _keys(_momentos(database.Scope(entity="17"))) == {finding}
    assert _keys(_momentos(database.Scope(entity="14"))) == set()
    program = database.Scope(entity="17", claves=["E031"])
    assert _keys(_momentos(program)) == {finding}
    (only,) = _momentos(database.Scope())
    assert only["amounts"] == [700, 710]
