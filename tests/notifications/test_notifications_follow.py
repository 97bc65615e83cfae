"""Following: one click on each page (htmx), a list in the account, unfollow anywhere."""

from __future__ import annotations

import pytest
from notif_helpers import follow

from cocrea.events.models import Event, EventStatus
from cocrea.notifications.models import Follow
from cocrea.plans.models import PlanStatus

pytestmark = pytest.mark.django_db


def _event(entity, status=EventStatus.PUBLISHED):
    from events_helpers import make_open_event

    event = make_open_event(slug=f"cumbre-{status}", entity=entity)
    Event.objects.filter(pk=event.pk).update(status=status)
    event.refresh_from_db()
    return event


@pytest.fixture
def pages(morelos, reference, run_on_commit):
    from participation_helpers import make_citizen, make_process

    from cocrea.participation import services as participation

    process = make_process(reference["17"])
    ana = make_citizen("ana")
    with run_on_commit():  # the announcement makes the proposer follow
        proposal = participation.submit_proposal(
            process, actor=ana, kind="propuesta", title="Contratos en datos abiertos",
            body="Publicar los contratos.", affected_population="Toda", municipality="Cuernavaca",
            theme="presupuesto",
        )  # fmt: skip
    event = _event(reference["17"])
    return {
        "entidad": ("17", "/seguimiento/morelos/"),
        "plan": (str(morelos["plan"].pk), morelos["plan"].get_absolute_url()),
        "compromiso": (str(morelos["commitment"].pk), morelos["commitment"].get_absolute_url()),
        "proceso": (str(process.pk), process.get_absolute_url()),
        "propuesta": (str(proposal.pk), proposal.get_absolute_url()),
        "evento": (str(event.pk), event.get_absolute_url()),
        "proveedor": ("MX-RFC-ABC010101AB1", None),
        "comprador": ("MX-MOR-SEFI", None),
    }


@pytest.mark.parametrize(
    "kind",
    ["entidad", "plan", "compromiso", "proceso", "propuesta", "evento", "proveedor", "comprador"],
)
def test_follow_and_unfollow_each_kind_with_htmx(client, users, pages, kind):
    target, page = pages[kind]
    Follow.objects.all().delete()
    client.force_login(users["citizen"])
    if page:  # the page shows the button and the count, never who follows
        html = client.get(page).content.decode()
        assert f'hx-post="/avisos/seguir/{kind}/{target}/"' in html
        assert "0 personas lo siguen" in html
    url = f"/avisos/seguir/{kind}/{target}/"
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "Dejar de seguir" in fragment and "1 persona lo sigue" in fragment
    assert Follow.objects.filter(user=users["citizen"], kind=kind, target=target).exists()
    listing = client.get("/avisos/siguiendo/").content.decode()
    assert "Dejar de seguir" in listing
    response = client.post(url, {"seguir": "0"}, HTTP_HX_REQUEST="true")
    assert "Seguir" in response.content.decode()
    assert not Follow.objects.filter(user=users["citizen"]).exists()


def test_following_needs_an_account(client, pages):
    target, page = pages["compromiso"]
    html = client.get(page).content.decode()
    assert "Inicie sesión para seguir" in html
    response = client.post(f"/avisos/seguir/compromiso/{target}/")
    assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]
    assert (
        client.post(f"/avisos/seguir/compromiso/{target}/", HTTP_HX_REQUEST="true").status_code
        == 401
    )
    assert not Follow.objects.filter(kind="compromiso").exists()


def test_cannot_follow_what_one_cannot_see(client, users, morelos, reference):
    plan = morelos["plan"]
    plan.status = PlanStatus.DRAFT
    plan.save()
    hidden_event = _event(reference["17"], status=EventStatus.DRAFT)
    Follow.objects.all().delete()
    client.force_login(users["citizen"])
    assert client.post(f"/avisos/seguir/plan/{plan.pk}/").status_code == 404
    assert client.post(f"/avisos/seguir/compromiso/{morelos['commitment'].pk}/").status_code == 404
    assert client.post(f"/avisos/seguir/evento/{hidden_event.pk}/").status_code == 404
    assert client.post("/avisos/seguir/plan/999999/").status_code == 404
    assert client.post("/avisos/seguir/nada/1/").status_code == 404
    assert not Follow.objects.exists()
    client.force_login(users["member"])  # Morelos' secretariat sees its draft
    assert client.post(f"/avisos/seguir/plan/{plan.pk}/").status_code == 302


def test_nobody_sees_who_follows(client, users, morelos):
    c = morelos["commitment"]
    follow(users["citizen"], "compromiso", c.pk)
    follow(users["evaluator"], "compromiso", c.pk)
    client.force_login(users["other_member"])
    html = client.get(c.get_absolute_url()).content.decode()
    assert "2 personas lo siguen" in html
    for person in ("ciudadano", "evaluador"):
        assert person not in html
    listing = client.get("/avisos/siguiendo/").content.decode()
    assert "Sigue el Dinero en Morelos" not in listing  # other people's follows stay theirs
    assert "@example.org" not in html + listing


def test_proposers_follow_their_proposal(pages):
    target, _page = pages["propuesta"]
    assert Follow.objects.filter(
        user__username="ana@example.org", kind="propuesta", target=target
    ).exists()
