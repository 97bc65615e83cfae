"""The municipal level: a municipality's secretariat, plans and two keys, apart from its entity's."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plans"))

from plans_helpers import EVIDENCE, make_commitment, make_milestone  # noqa: E402

from cocrea.accounts.models import Role, Side  # noqa: E402
from cocrea.accounts.permissions import can  # noqa: E402
from cocrea.accounts.services import grant  # noqa: E402
from cocrea.plans import services  # noqa: E402
from cocrea.plans.models import ActionPlan, PlanStatus  # noqa: E402
from cocrea.territory.models import Municipality  # noqa: E402
from cocrea.territory.municipalities import record_adhesion  # noqa: E402
from people import make_user  # noqa: E402

pytestmark = pytest.mark.django_db


def _plan(entity, municipality=None, sequence=1):
    return ActionPlan.objects.create(
        entity=entity, municipality=municipality, sequence=sequence,
        title=f"Plan de {municipality or entity}", status=PlanStatus.IMPLEMENTATION,
    )  # fmt: skip


@pytest.fixture
def places(reference, users):
    morelos = reference["17"]
    cuernavaca = Municipality.objects.get(code="17007")
    jiutepec = Municipality.objects.get(code="17011")
    people = {
        "cuernavaca_gov": make_user("gob-cuernavaca", Role.CITIZEN),
        "cuernavaca_cso": make_user("osc-cuernavaca", Role.CITIZEN),
        "jiutepec_gov": make_user("gob-jiutepec", Role.CITIZEN),
    }
    for key, place, side in (("cuernavaca_gov", cuernavaca, Side.GOVERNMENT),
                             ("cuernavaca_cso", cuernavaca, Side.CIVIL_SOCIETY),
                             ("jiutepec_gov", jiutepec, Side.GOVERNMENT)):  # fmt: skip
        grant(people[key], Role.SECRETARIAT_MEMBER, actor=users["coordinator"], entity=morelos,
              municipality=place, side=side)  # fmt: skip
    return {
        "morelos": morelos,
        "cuernavaca": cuernavaca,
        "jiutepec": jiutepec,
        "state_plan": _plan(morelos),
        "cuernavaca_plan": _plan(morelos, cuernavaca),
        "jiutepec_plan": _plan(morelos, jiutepec),
        **people,
        "state_gov": users["member"],
    }


def test_each_level_edits_only_its_own_plans(places, users):
    cases = {
        # person: (state plan, Cuernavaca's plan, Jiutepec's plan)
        "cuernavaca_gov": (False, True, False),
        "jiutepec_gov": (False, False, True),
        "state_gov": (True, False, False),
    }
    for person, expected in cases.items():
        user = places[person]
        got = tuple(
            can(user, "plans.change_actionplan", places[p])
            for p in ("state_plan", "cuernavaca_plan", "jiutepec_plan")
        )
        assert got == expected, person
    coordinator = users["coordinator"]
    assert all(
        can(coordinator, "plans.change_actionplan", places[p])
        for p in ("state_plan", "cuernavaca_plan", "jiutepec_plan")
    )


def test_the_two_keys_at_the_municipal_level(places, reference):
    from plans_helpers import cso_user

    state_cso = cso_user(places["morelos"])
    milestone = make_milestone(make_commitment(places["cuernavaca_plan"]), side=Side.GOVERNMENT)
    assert not can(places["state_gov"], "plans.report_progress", milestone)
    report = services.submit_report(
        milestone, actor=places["cuernavaca_gov"], text="Padrón publicado", progress=40,
        links=EVIDENCE,
    )  # fmt: skip
    assert "Integrante" in report.reporter_label or "(Gobierno)" in report.reporter_label
    assert not can(state_cso, "plans.validate_report", report)
    assert can(places["cuernavaca_cso"], "plans.validate_report", report)
    services.validate_report(report, actor=places["cuernavaca_cso"])
    milestone.refresh_from_db()
    assert milestone.progress == 40


def test_a_municipality_of_another_entity_is_refused(places, reference):
    guadalajara = Municipality.objects.get(code="14039")
    plan = ActionPlan(entity=places["morelos"], municipality=guadalajara, sequence=2, title="x")
    with pytest.raises(ValidationError) as exc:
        services.save_plan(plan, actor=None)
    assert "municipality" in exc.value.message_dict
    # A municipal commitment's milestone cannot point at another level's plan either.
    with pytest.raises(ValidationError):
        grant(places["cuernavaca_gov"], Role.SECRETARIAT_MEMBER, actor=None,
              entity=places["morelos"], municipality=guadalajara, side=Side.GOVERNMENT)  # fmt: skip


def test_pages_api_and_board_by_level(places, client, users):
    record_adhesion(places["cuernavaca"], actor=users["coordinator"], year=2017)
    make_milestone(make_commitment(places["cuernavaca_plan"], title="Obra abierta"), progress=50)
    make_milestone(make_commitment(places["state_plan"], title="Contratos estatales"), progress=10)
    page = client.get("/seguimiento/morelos/municipios/cuernavaca/").content.decode()
    assert "Obra abierta" in page and "Contratos estatales" not in page
    state = client.get("/seguimiento/morelos/").content.decode()
    assert "Contratos estatales" in state and "Obra abierta" not in state
    entity_page = client.get("/entidades/morelos/").content.decode()
    section = entity_page[entity_page.index('id="municipios"') :]
    assert "Cuernavaca" in section and "50.0 %" in section
    rows = client.get("/api/v1/plans?municipio=17007").json()
    assert [r["municipality_code"] for r in rows] == ["17007"] and rows[0]["progress"] == 50
    assert client.get("/api/v1/plans?municipio=17").status_code == 400
    commitments = client.get("/api/v1/commitments?municipio=17007").json()
    assert [c["title"] for c in commitments] == ["Obra abierta"]
    board = client.get("/seguimiento/?nivel=municipal").content.decode()
    assert "Morelos" in board
    assert client.get("/seguimiento/").status_code == 200


def test_demo_has_three_municipalities_with_secretariats_and_plans(reference):
    from cocrea.accounts import demo as accounts_demo
    from cocrea.participants import demo as participants_demo
    from cocrea.plans import demo_municipal
    from cocrea.plans.models import Secretariat
    from cocrea.territory import demo as territory_demo

    participants_demo.load(seed=2018)
    accounts_demo.load(seed=2018)
    territory_demo.load(seed=2018)
    demo_municipal.load(seed=2018)
    demo_municipal.load(seed=2018)  # running it again adds nothing
    secretariats = Secretariat.objects.filter(municipality__isnull=False)
    assert secretariats.count() == 3
    assert {s.municipality.entity.code for s in secretariats} == {"17", "14"}
    assert ActionPlan.objects.filter(municipality__isnull=False).count() == 3
    from cocrea.accounts.models import User

    liaison = User.objects.get(username="enlace-cuernavaca")
    plan = ActionPlan.objects.get(municipality__code="17007")
    assert can(liaison, "plans.change_actionplan", plan)
    assert not can(
        liaison, "plans.change_actionplan", ActionPlan.objects.get(municipality__code="17011")
    )


def test_a_municipal_co_creation_process_has_its_own_pages(places, client, users):
    from cocrea.participation import demo as participation_demo
    from cocrea.participation.models import Process

    record_adhesion(places["cuernavaca"], actor=users["coordinator"], year=2017)
    participation_demo.load_municipal(seed=2018)
    process = Process.objects.get(municipality=places["cuernavaca"])
    url = process.get_absolute_url()
    assert url == f"/cocreacion/morelos/municipios/cuernavaca/{process.cycle}/"
    page = client.get(url).content.decode()
    assert process.title in page
    assert f"/cocreacion/morelos/municipios/cuernavaca/{process.cycle}/propuestas/" in page
    listing = client.get(process.url_for("proposals")).content.decode()
    assert "padrón de obras de Cuernavaca" in listing
    # The entity's own address for the same cycle is another process (or none).
    assert client.get(f"/cocreacion/morelos/{process.cycle}/").status_code == 404
    # Only Cuernavaca's secretariat manages it.
    assert can(places["cuernavaca_gov"], "participation.change_process", process)
    assert not can(places["state_gov"], "participation.change_process", process)
    assert not can(places["jiutepec_gov"], "participation.change_process", process)


def test_exports_and_api_carry_the_municipality(places, client, users):
    import csv
    import io

    from django.urls import reverse

    from cocrea.participation import demo as participation_demo

    make_commitment(places["cuernavaca_plan"], title="Padrón de obras de Cuernavaca")
    make_commitment(places["state_plan"], title="Compromiso estatal")

    def rows(url):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return list(csv.DictReader(io.StringIO(body.decode())))

    plans = {r["titulo"]: r for r in rows(reverse("plans:plans_csv") + "?entidad=17")}
    assert plans["Plan de Cuernavaca"]["municipio"] == "17007"
    assert plans["Plan de Cuernavaca"]["municipio_nombre"] == "Cuernavaca"
    assert plans["Plan de Morelos"]["municipio"] == ""
    only = rows(reverse("plans:plans_csv") + "?municipio=17007")
    assert [r["titulo"] for r in only] == ["Plan de Cuernavaca"]
    commitments = rows(reverse("plans:commitments_csv") + "?municipio=17007")
    assert [(r["titulo"], r["municipio"]) for r in commitments] == [
        ("Padrón de obras de Cuernavaca", "17007")
    ]

    record_adhesion(places["cuernavaca"], actor=users["coordinator"], year=2017)
    participation_demo.load_municipal(seed=2018)
    url = reverse("participation:csv", kwargs={"name": "procesos"})
    processes = rows(url)
    assert {r["municipality_code"] for r in processes} >= {"17007"}
    api = client.get("/api/v1/processes?entity=17").json()
    assert "17007" in {p["municipality_code"] for p in api}
    proposals = rows(reverse("participation:csv", kwargs={"name": "propuestas"}))
    assert "17007" in {r["process_municipality_code"] for r in proposals}
