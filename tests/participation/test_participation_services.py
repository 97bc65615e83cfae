"""Service rules: refusals with clear messages, reasoned responses, moderation, accounts."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from participation_helpers import make_citizen, make_commitment, make_process

from cocrea.core.models import AuditEntry
from cocrea.participation import selectors, services
from cocrea.participation.models import (
    Phase,
    PhaseKind,
    Proposal,
    ProposalStatus,
    Report,
    Response,
    Support,
)
from cocrea.participation.services import Refused

pytestmark = pytest.mark.django_db


def _submit(process, user, title="Una propuesta"):
    return services.submit_proposal(
        process, actor=user, kind="propuesta", title=title, body="Texto", theme="salud"
    )


def test_supporting_twice_is_refused_with_a_clear_message(proposal, beto):
    services.support_proposal(proposal, actor=beto)
    with pytest.raises(Refused) as exc:
        services.support_proposal(proposal, actor=beto)
    assert "Ya apoyó esta propuesta" in exc.value.message
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert Support.objects.filter(proposal=proposal).count() == 1


def test_database_refuses_a_second_support_row(proposal, beto):
    Support.objects.create(proposal=proposal, user=beto)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(proposal=proposal, user=beto)


def test_proposing_in_a_closed_phase_is_refused(reference, ana):
    process = make_process(reference["17"], open_kind=PhaseKind.DESIGN)
    with pytest.raises(Refused) as exc:
        _submit(process, ana)
    assert "Diseño de compromisos en mesas de trabajo" in exc.value.message
    assert "no recibe propuestas" in exc.value.message
    assert not Proposal.objects.exists()


def test_participation_opens_and_closes_by_date(reference, ana):
    process = make_process(reference["17"], open_kind=PhaseKind.DESIGN)
    diagnosis = process.phases.get(kind=PhaseKind.DIAGNOSIS)
    today = datetime.date.today()
    diagnosis.starts_on, diagnosis.ends_on = today - datetime.timedelta(days=400), today
    # An editing secretariat moves the diagnosis phase's end forward: it is open again.
    design = process.phases.get(kind=PhaseKind.DESIGN)
    design.starts_on = today + datetime.timedelta(days=1)
    design.ends_on = today + datetime.timedelta(days=30)
    Phase.objects.bulk_update([diagnosis, design], ["starts_on", "ends_on"])
    process = type(process).objects.get(pk=process.pk)
    assert process.current_phase().kind == PhaseKind.DIAGNOSIS
    assert _submit(process, ana).pk
    tomorrow = today + datetime.timedelta(days=1)
    assert process.current_phase(tomorrow).kind == PhaseKind.DESIGN


def test_unverified_account_cannot_propose(process):
    pending = make_citizen("pendiente", verified=False)
    with pytest.raises(Refused) as exc:
        _submit(process, pending)
    assert "confirme su correo" in exc.value.message


def test_answering_another_entitys_proposal_is_refused(proposal, users):
    with pytest.raises(PermissionDenied) as exc:
        services.draft_response(
            proposal, actor=users["other_member"], status="aceptada", reason="Sí"
        )
    assert "Morelos" in str(exc.value)
    assert not Response.objects.exists()


def test_rejection_needs_a_reason(proposal, users):
    with pytest.raises(Refused) as exc:
        services.draft_response(proposal, actor=users["member"], status="rechazada")
    assert "motivo es obligatorio" in exc.value.message


def test_incorporation_needs_a_commitment_of_the_same_entity(proposal, users, reference):
    jalisco = make_commitment(reference["14"])
    with pytest.raises(Refused):
        services.draft_response(proposal, actor=users["member"], status="incorporada")
    with pytest.raises(Refused) as exc:
        services.draft_response(
            proposal, actor=users["member"], status="incorporada", commitment=jalisco
        )
    assert "misma entidad" in exc.value.message


def test_drafts_publish_together_and_notify_proposers(
    process, proposal, ana, beto, users, reference, django_capture_on_commit_callbacks
):
    second = _submit(process, beto, "Otra propuesta")
    commitment = make_commitment(reference["17"])
    member = users["member"]
    services.draft_response(
        proposal, actor=member, status="incorporada", reason="Ver compromiso", commitment=commitment
    )
    services.draft_response(second, actor=member, status="rechazada", reason="Fuera de ámbito")
    assert selectors.response_of(proposal) is None  # drafts are not public
    assert selectors.answer_stats(process).answered == 0
    with django_capture_on_commit_callbacks(execute=True):
        published = services.publish_responses(process, actor=member)
    assert published == 2
    proposal.refresh_from_db()
    second.refresh_from_db()
    assert proposal.status == ProposalStatus.INCORPORATED
    assert second.status == ProposalStatus.REJECTED
    stats = selectors.answer_stats(process)
    assert (stats.total, stats.answered, stats.percent) == (2, 2, 100)
    assert stats.median_days is not None
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["ana@example.org", "beto@example.org"]
    ana_mail = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert "Presupuesto abierto municipal" in ana_mail.body
    origins = selectors.commitment_origins(commitment)
    assert origins["proposals"] == [proposal]
    assert AuditEntry.objects.filter(action="participation.response.publish").count() == 1


def test_rate_limit_stops_flooding(process, ana, settings):
    settings.COCREA_PARTICIPATION_LIMITS = {"proposal": (2, 3600)}
    _submit(process, ana, "uno")
    _submit(process, ana, "dos")
    with pytest.raises(Refused) as exc:
        _submit(process, ana, "tres")
    assert "límite" in exc.value.message


def test_threaded_comments_and_moderation(proposal, beto, users):
    root = services.add_comment(proposal, actor=beto, body="Primero")
    reply = services.add_comment(proposal, actor=users["member"], body="Respuesta", parent=root)
    tree = selectors.comment_tree(proposal)
    assert [n.comment for n in tree] == [root]
    assert [n.comment for n in tree[0].replies] == [reply]
    report = services.report_content(actor=beto, reason="Ofensivo", comment=reply)
    assert list(selectors.moderation_queue(users["member"])) == [report]
    assert list(selectors.moderation_queue(users["other_member"])) == []
    with pytest.raises(PermissionDenied):
        services.hide_content(reply, actor=users["other_member"], reason="x")
    with pytest.raises(Refused):
        services.hide_content(reply, actor=users["member"], reason=" ")
    services.hide_content(reply, actor=users["member"], reason="Lenguaje ofensivo")
    reply.refresh_from_db()
    report.refresh_from_db()
    assert reply.is_hidden and reply.hidden_reason == "Lenguaje ofensivo"
    assert report.decision == Report.Decision.HIDDEN
    proposal.refresh_from_db()
    assert proposal.comment_count == 2


def test_markdown_is_sanitised(process, ana):
    p = services.submit_proposal(
        process,
        actor=ana,
        kind="problema",
        title="XSS",
        body="Hola <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=y> **ok**",
        theme="salud",
    )
    assert "<script" not in p.body_html
    assert "javascript:" not in p.body_html
    assert "onerror" not in p.body_html and "<img" not in p.body_html
    assert "<strong>ok</strong>" in p.body_html


def test_working_table_capacity_attendance_and_agreements(process, ana, beto, users, reference):
    from django.utils import timezone

    from cocrea.participation.models import WorkingTable

    table = services.save_table(
        WorkingTable(
            process=process,
            title="Mesa 1",
            starts_at=timezone.now() + datetime.timedelta(days=3),
            capacity=1,
        ),
        actor=users["member"],
    )
    reg = services.register_for_table(table, actor=ana, sector="sociedad_civil")
    with pytest.raises(Refused) as exc:
        services.register_for_table(table, actor=beto, sector="academia")
    assert "cupo" in exc.value.message
    services.record_attendance(table, actor=users["member"], attended_ids=[reg.pk])
    assert selectors.sectors_present(process) == ["Sociedad civil organizada"]
    commitment = make_commitment(reference["17"])
    services.add_agreement(table, actor=users["member"], text="Acuerdo", commitment=commitment)
    assert selectors.commitment_origins(commitment)["tables"] == [table]
    with pytest.raises(PermissionDenied):
        services.add_agreement(table, actor=users["other_member"], text="No")


def test_standards_record_has_five_standards_with_computed_evidence(process, proposal, users):
    services.save_standard_evidence(
        process, actor=users["member"], standard="dialogo", met=True, evidence="Foro mensual"
    )
    rows = selectors.standards_record(process)
    assert len(rows) == 5
    dialogue = rows[0]
    assert dialogue.record.evidence == "Foro mensual"
    response_row = next(r for r in rows if r.standard == "respuesta")
    assert "0 % de las propuestas" in response_row.computed[0]


def test_every_change_is_audited(proposal, beto, users):
    services.support_proposal(proposal, actor=beto)
    services.draft_response(proposal, actor=users["member"], status="aceptada", publish=True)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "participation.proposal.create",
        "participation.support.create",
        "participation.response.draft",
        "participation.response.publish",
    } <= actions


def test_answer_time_median_and_maximum(process, ana, users):
    from django.utils import timezone

    from cocrea.participation.models import Proposal as P

    now = timezone.now()
    for days in (2, 4, 10):
        p = _submit(process, ana, f"Hace {days}")
        P.objects.filter(pk=p.pk).update(created_at=now - datetime.timedelta(days=days))
        services.draft_response(p, actor=users["member"], status="aceptada", publish=True)
    stats = selectors.answer_stats(process)
    assert stats.median_days == 4.0
    assert stats.max_days == 10.0
