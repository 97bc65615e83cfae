"""The secretariat's pages: edit phases, publish drafts together, moderation queue, admin."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from cocrea.participation import services
from cocrea.participation.models import Phase, PhaseKind, Process, Report

pytestmark = pytest.mark.django_db


def test_secretariat_edits_a_phase_and_participation_follows(client, process, users, ana):
    diagnosis = process.phases.get(kind=PhaseKind.DIAGNOSIS)
    client.force_login(users["member"])
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    prefix = f"phase-{diagnosis.pk}"
    response = client.post(
        process.get_absolute_url() + "gestion/",
        {
            "action": "phase",
            "phase": diagnosis.pk,
            f"{prefix}-kind": "diagnostico",
            f"{prefix}-title": "",
            f"{prefix}-starts_on": (yesterday - datetime.timedelta(days=20)).isoformat(),
            f"{prefix}-ends_on": yesterday.isoformat(),
            f"{prefix}-proposals_open": "on",
            f"{prefix}-supports_open": "on",
            f"{prefix}-comments_open": "on",
        },
        follow=True,
    )
    assert "Fase actualizada." in response.content.decode()
    assert Phase.objects.get(pk=diagnosis.pk).ends_on == yesterday
    fresh = Process.objects.get(pk=process.pk)
    assert fresh.current_phase() is None or not fresh.current_phase().proposals_open
    with pytest.raises(services.Refused):
        services.submit_proposal(
            fresh, actor=ana, kind="propuesta", title="t", body="b", theme="salud"
        )


def test_publish_all_drafts_button(
    client, process, proposal, users, django_capture_on_commit_callbacks
):
    services.draft_response(proposal, actor=users["member"], status="aceptada", reason="Viable")
    client.force_login(users["member"])
    page = client.get(process.get_absolute_url() + "gestion/").content.decode()
    assert proposal.title in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            process.get_absolute_url() + "gestion/", {"action": "publish"}, follow=True
        )
    assert "1 respuestas publicadas y notificadas." in response.content.decode()
    assert mail.outbox[-1].to == ["ana@example.org"]
    proposal.refresh_from_db()
    assert proposal.status == "aceptada"


def test_moderation_queue_hide_from_queue(client, proposal, beto, users):
    services.report_content(actor=beto, reason="Spam", proposal=proposal)
    client.force_login(users["member"])
    queue = client.get("/cocreacion/moderacion/").content.decode()
    assert "Spam" in queue
    client.post(
        f"/cocreacion/propuestas/{proposal.pk}/ocultar/",
        {"reason": "Publicidad", "next": "/cocreacion/moderacion/"},
    )
    proposal.refresh_from_db()
    assert proposal.hidden_reason == "Publicidad"
    assert Report.objects.get().decision == Report.Decision.HIDDEN
    public = client.get(proposal.get_absolute_url()).content.decode()
    assert "Propuesta oculta" in public and "Publicidad" in public
    rows = client.get("/api/v1/proposals?entity=17").json()
    assert rows[0]["hidden"] is True and rows[0]["title"] == ""


def test_admin_creates_a_process_with_its_phases(client, users, reference):
    client.force_login(users["member"])
    response = client.post(
        "/admin/participation/process/add/",
        {
            "entity": reference["17"].pk,
            "cycle": "2027-2028",
            "title": "Segundo proceso",
            "description": "",
            "phases-TOTAL_FORMS": "0",
            "phases-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    process = Process.objects.get(cycle="2027-2028")
    assert process.phases.count() == 8
    assert process.current_phase().kind == PhaseKind.AWARENESS


def test_cli_exports_proposals_csv(proposal):
    out = io.StringIO()
    call_command("export", "cocreacion-propuestas", entity="17", stdout=out)
    text = out.getvalue()
    assert "commitment_id" in text and proposal.title in text
    assert "ana@example.org" not in text and "Ana P." not in text


def test_hide_does_not_redirect_off_site(client, proposal, users):
    client.force_login(users["member"])
    response = client.post(
        f"/cocreacion/propuestas/{proposal.pk}/ocultar/",
        {"reason": "Spam", "next": "https://malicioso.example/"},
    )
    assert response["Location"] == proposal.get_absolute_url()
