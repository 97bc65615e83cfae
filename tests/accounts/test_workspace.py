"""*Mi espacio*: what is each person's and what waits for them, with bounded queries."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plans"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "participation"))

from participation_helpers import make_citizen, make_process  # noqa: E402
from plans_helpers import EVIDENCE, cso_user, make_commitment, make_milestone, make_plan  # noqa: E402

from cocrea.accounts.models import Side  # noqa: E402
from cocrea.notifications.services import follow  # noqa: E402
from cocrea.participation.models import Proposal  # noqa: E402
from cocrea.plans import services  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, reference, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    today = timezone.localdate()
    plan = make_plan(reference["17"])
    commitment = make_commitment(plan, title="Contratos abiertos")
    soon = make_milestone(commitment, 1, title="Publicar contratos", side=Side.GOVERNMENT,
                          end_date=today + timedelta(days=5))  # fmt: skip
    late = make_milestone(commitment, 2, title="Auditoría social", side=Side.CIVIL_SOCIETY,
                          end_date=today - timedelta(days=3))  # fmt: skip
    make_milestone(commitment, 3, title="Informe final", end_date=today + timedelta(days=60))
    other = make_milestone(make_commitment(make_plan(reference["14"]), title="Jalisco"), 1,
                           title="Hito de Jalisco", end_date=today)  # fmt: skip
    cso = cso_user(reference["17"])
    report = services.submit_report(soon, actor=users["member"], text="x", progress=50,
                                    links=EVIDENCE)  # fmt: skip
    citizen = make_citizen("lucia", name="Lucía")
    process = make_process(reference["17"])
    old = Proposal.objects.create(process=process, author=citizen, kind="propuesta",
                                  theme="transparencia", title="Padrón de obras", body="b")  # fmt: skip
    Proposal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=20))
    follow(citizen, "compromiso", str(commitment.pk), actor=citizen)
    return locals()


def _page(client, user):
    client.force_login(user)
    response = client.get("/mi-espacio/")
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_go_to_the_public_login(client):
    response = client.get("/mi-espacio/")
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/entrar/")
    html = client.get("/").content.decode()
    assert "Entrar" in html and "Crear cuenta" in html and "Mi espacio" not in html


def test_the_counterpart_sees_what_waits_for_it(client, world):
    html = _page(client, world["cso"])
    assert "Reportes que esperan la validación de su lado" in html
    assert "Publicar contratos: 50 %" in html
    assert "Auditoría social" in html and "vencido desde" in html
    assert "Informe final" not in html and "Hito de Jalisco" not in html
    assert "Padrón de obras" in html  # no reasoned response after 15 days
    # The header names the person and offers Mi espacio and Salir.
    assert "Mi espacio" in html and "Salir" in html


def test_the_reporter_does_not_validate_its_own_and_others_see_their_entity(client, world, users):
    html = _page(client, users["member"])
    assert "Publicar contratos: 50 %" not in html
    assert "Ningún reporte espera su validación." in html
    jalisco = _page(client, users["other_member"])
    assert "Hito de Jalisco" in jalisco and "Auditoría social" not in jalisco


def test_national_coordination_sees_across_entities(client, world, users):
    html = _page(client, users["coordinator"])
    assert "Auditoría social" in html and "Hito de Jalisco" in html
    assert "Publicar contratos: 50 %" in html


def test_a_citizen_sees_their_proposals_and_follows(client, world):
    html = _page(client, world["citizen"])
    assert "Mis propuestas y problemas públicos" in html and "Padrón de obras" in html
    assert "Sin respuesta" in html
    assert "Lo que sigo y mis avisos" in html and "Sigue 1 elementos" in html
    assert "Reportes que esperan" not in html  # no seat, no secretariat blocks


def test_queries_are_bounded_whatever_the_data(client, world, users, django_assert_max_num_queries):
    from cocrea.plans.models import Milestone

    commitment = world["commitment"]
    today = timezone.localdate()
    Milestone.objects.bulk_create(
        Milestone(
            commitment=commitment,
            number=100 + i,
            title=f"Hito {i}",
            end_date=today - timedelta(days=i % 10),
        )  # fmt: skip
        for i in range(400)
    )
    client.force_login(users["coordinator"])
    with django_assert_max_num_queries(25):
        html = client.get("/mi-espacio/").content.decode()
    assert "Se muestran 30 de" in html
