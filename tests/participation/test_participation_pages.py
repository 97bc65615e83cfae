"""Pages, API and CSV: refusals shown to people, and no personal data in public outputs."""

from __future__ import annotations

import json

import pytest
from participation_helpers import make_commitment, make_process

from cocrea.participation import services
from cocrea.participation.models import PhaseKind, Proposal

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_support_twice_through_the_page_shows_the_refusal(client, proposal, beto):
    client.force_login(beto)
    url = f"/cocreacion/propuestas/{proposal.pk}/apoyar/"
    first = client.post(url, follow=True)
    assert "Gracias: su apoyo quedó registrado." in _messages(first)
    second = client.post(url, follow=True)
    assert any("Ya apoyó esta propuesta" in m for m in _messages(second))
    assert "Ya apoyó esta propuesta" in second.content.decode()


def test_proposing_in_a_closed_phase_through_the_page(client, reference, ana):
    process = make_process(reference["17"], open_kind=PhaseKind.PRIORITISATION)
    client.force_login(ana)
    page = client.get(process.get_absolute_url())
    assert "No se reciben propuestas en esta fase." in page.content.decode()
    response = client.post(
        f"{process.get_absolute_url()}propuestas/nueva/",
        {"kind": "propuesta", "title": "T", "body": "B", "theme": "salud"},
        follow=True,
    )
    assert any("no recibe propuestas" in m for m in _messages(response))
    assert not Proposal.objects.exists()


def test_answering_another_entitys_proposal_through_the_page(client, proposal, users):
    client.force_login(users["other_member"])
    page = client.get(proposal.get_absolute_url())
    assert "Guardar respuesta" not in page.content.decode()
    response = client.post(
        f"/cocreacion/propuestas/{proposal.pk}/responder/",
        {"status": "aceptada", "reason": "Sí", "publish": "on"},
        follow=True,
    )
    assert any("Solo el secretariado técnico local de Morelos" in m for m in _messages(response))
    assert not hasattr(Proposal.objects.get(pk=proposal.pk), "response")


def test_list_search_filters_and_sorting(client, process, ana, beto):
    for title, theme in [("Agua limpia", "ambiente"), ("Datos de salud", "salud")]:
        services.submit_proposal(
            process, actor=ana, kind="propuesta", title=title, body="b", theme=theme
        )
    target = Proposal.objects.get(title="Datos de salud")
    services.support_proposal(target, actor=beto)
    base = f"{process.get_absolute_url()}propuestas/"
    ranked = client.get(base + "?orden=apoyos").context["proposals"]
    assert ranked[0] == target
    assert [p.title for p in client.get(base + "?q=agua").context["proposals"]] == ["Agua limpia"]
    assert [p.title for p in client.get(base + "?tema=salud").context["proposals"]] == [
        "Datos de salud"
    ]
    assert client.get(base + "?estado=aceptada").context["proposals"] == []


def test_api_and_csv_have_no_personal_data(client, process, proposal, beto, users, reference):
    services.support_proposal(proposal, actor=beto)
    commitment = make_commitment(reference["17"])
    services.draft_response(
        proposal, actor=users["member"], status="incorporada", reason="r",
        commitment=commitment, publish=True,
    )  # fmt: skip
    processes = client.get("/api/v1/processes?entity=17").json()
    assert processes[0]["current_phase"] == "diagnostico"
    assert processes[0]["proposals_open"] is True
    assert processes[0]["answered_share"] == 1.0
    rows = client.get("/api/v1/proposals?entity=17").json()
    assert rows[0]["status"] == "incorporada"
    assert rows[0]["response"] == "incorporada"
    assert rows[0]["supports"] == 1
    assert rows[0]["commitment_id"] == commitment.pk
    assert client.get("/api/v1/proposals?entity=14").json() == []
    csv_text = b"".join(client.get("/cocreacion/datos/propuestas.csv?entidad=17").streaming_content)
    csv_text = csv_text.decode("utf-8-sig")
    assert "commitment_id" in csv_text.splitlines()[0]
    api_text = json.dumps(rows) + json.dumps(processes) + csv_text
    for secret in ("ana@example.org", "Ana P.", "beto@example.org", "Beto R.", "enlace17"):
        assert secret not in api_text


def test_public_pages_render(client, process, proposal, users):
    for url in [
        "/cocreacion/",
        process.get_absolute_url(),
        process.get_absolute_url() + "propuestas/",
        process.get_absolute_url() + "mesas/",
        process.get_absolute_url() + "estandares/",
        proposal.get_absolute_url(),
        "/cuenta/aviso-de-privacidad/",
        "/cuenta/registro/",
        "/cuenta/entrar/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "ana@example.org" not in response.content.decode()
    client.force_login(users["member"])
    assert client.get(process.get_absolute_url() + "gestion/").status_code == 200
    assert client.get("/cocreacion/moderacion/").status_code == 200
    client.force_login(users["other_member"])
    assert client.get(process.get_absolute_url() + "gestion/").status_code == 403


def test_reply_and_report_a_comment_through_the_page(client, proposal, beto, ana):
    root = services.add_comment(proposal, actor=ana, body="¿Quién lo revisa?")
    client.force_login(beto)
    page = client.get(f"{proposal.get_absolute_url()}?responder={root.pk}").content.decode()
    assert "Respondiendo a" in page and "¿Quién lo revisa?" in page
    client.post(
        f"/cocreacion/propuestas/{proposal.pk}/comentar/",
        {"body": "La contraloría", "parent": root.pk},
    )
    flat = client.get(proposal.get_absolute_url()).context["comments"]
    assert [(c.body, depth) for c, depth in flat] == [
        ("¿Quién lo revisa?", 0),
        ("La contraloría", 1),
    ]
    page = client.get(f"{proposal.get_absolute_url()}?reportar={root.pk}").content.decode()
    assert "Reportar el comentario" in page
    client.post(
        f"/cocreacion/propuestas/{proposal.pk}/reportar/", {"reason": "Duda", "comment": root.pk}
    )
    assert root.reports.get().reason == "Duda"


def test_organisation_accounts_are_labelled_and_body_is_searchable(client, process, reference):
    from participation_helpers import make_citizen

    org = make_citizen("colectivo", name="Colectivo Agua Limpia")
    org.citizen_profile.kind = "organizacion"
    org.citizen_profile.save()
    p = services.submit_proposal(
        process, actor=org, kind="problema", title="Fugas", body="Tuberías rotas", theme="servicios"
    )
    page = client.get(p.get_absolute_url()).content.decode()
    assert "Colectivo Agua Limpia" in page and ">Organización<" in page
    found = client.get(f"{process.get_absolute_url()}propuestas/?q=tuberías").context["proposals"]
    assert found == [p]
