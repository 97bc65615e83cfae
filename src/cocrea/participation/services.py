"""Every change of state in co-creation: permission check, transaction, audit entry.

Refusals a person can fix (a closed phase, a second support, a missing reason) raise
`Refused` with a message meant to be shown as is; missing permissions raise
`PermissionDenied`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.accounts import selectors as memberships
from cocrea.accounts.permissions import can, require
from cocrea.core import audit
from cocrea.core.events import announce

from .markup import render_markdown
from .models import (
    PHASE_DEFAULTS,
    Agreement,
    Comment,
    Phase,
    PhaseKind,
    Process,
    Proposal,
    Registration,
    Report,
    Response,
    ResponseStatus,
    StandardEvidence,
    Support,
    WorkingTable,
)

# (how many, in how many seconds) per account; override with COCREA_PARTICIPATION_LIMITS.
DEFAULT_LIMITS = {
    "proposal": (5, 3600),
    "comment": (10, 600),
    "report": (10, 3600),
}


class Refused(Exception):
    """An action the rules of the process do not allow right now; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _limits() -> dict:
    return {**DEFAULT_LIMITS, **getattr(settings, "COCREA_PARTICIPATION_LIMITS", {})}


def _check_rate(kind: str, qs) -> None:
    count, seconds = _limits()[kind]
    since = timezone.now() - datetime.timedelta(seconds=seconds)
    if qs.filter(created_at__gte=since).count() >= count:
        minutes = max(1, seconds // 60)
        raise Refused(
            _(
                "Ha alcanzado el límite de %(n)d en %(m)d minutos para evitar saturación. "
                "Intente más tarde."
            )
            % {"n": count, "m": minutes}
        )


def _code(process: Process) -> str:
    return process.entity.code


# --------------------------------------------------------------------------- processes


@transaction.atomic
def create_process(
    *, entity, cycle: str, title: str, description: str = "", phases=None, actor
) -> Process:
    """Create a process; `phases` is a list of (kind, starts_on, ends_on)."""
    process = Process(entity=entity, cycle=cycle, title=title, description=description)
    require(actor, "participation.add_process", process)
    process.save()
    for kind, starts_on, ends_on in phases or []:
        Phase.objects.create(
            process=process, kind=kind, starts_on=starts_on, ends_on=ends_on,
            **PHASE_DEFAULTS[PhaseKind(kind)],
        )  # fmt: skip
    audit.record(
        actor=actor,
        action="participation.process.create",
        obj=process,
        entity_code=entity.code,
        after={**audit.snapshot(process, ["cycle", "title"]), "phases": len(phases or [])},
    )
    announce("participation.process_created", process, actor=actor)
    return process


def default_phases(start: datetime.date | None = None, days: int = 30):
    """The eight phases, one after the other, `days` long each, from `start` (today)."""
    start = start or timezone.localdate()
    return [
        (
            kind,
            start + datetime.timedelta(days=i * days),
            start + datetime.timedelta(days=(i + 1) * days - 1),
        )
        for i, kind in enumerate(PhaseKind)
    ]


@transaction.atomic
def save_process(process: Process, *, actor) -> Process:
    require(actor, "participation.change_process", process)
    fields = ["cycle", "title", "description"]
    before = audit.snapshot(Process.objects.get(pk=process.pk), fields)
    process.save()
    audit.record(
        actor=actor,
        action="participation.process.update",
        obj=process,
        entity_code=_code(process),
        before=before,
        after=audit.snapshot(process, fields),
    )
    return process


_PHASE_FIELDS = [
    "kind", "title", "description", "starts_on", "ends_on",
    "proposals_open", "supports_open", "comments_open",
]  # fmt: skip


@transaction.atomic
def save_phase(phase: Phase, *, actor) -> Phase:
    require(actor, "participation.change_phase", phase)
    before = None
    if phase.pk:
        before = audit.snapshot(Phase.objects.get(pk=phase.pk), _PHASE_FIELDS)
    if phase.ends_on < phase.starts_on:
        raise Refused(_("La fase debe terminar después de iniciar."))
    phase.save()
    audit.record(
        actor=actor,
        action="participation.phase." + ("update" if before else "create"),
        obj=phase,
        entity_code=_code(phase.process),
        before=before,
        after=audit.snapshot(phase, _PHASE_FIELDS),
    )
    return phase


def _open_phase(process: Process, what: str):
    phase = process.current_phase()
    labels = {
        "proposals_open": _("propuestas ni problemas públicos"),
        "supports_open": _("apoyos"),
        "comments_open": _("comentarios"),
    }
    if phase is None or not getattr(phase, what):
        current = phase.name if phase else _("ninguna fase activa")
        raise Refused(
            _("La fase actual (%(phase)s) no recibe %(what)s.")
            % {"phase": current, "what": labels[what]}
        )
    return phase


# --------------------------------------------------------------------------- proposals

_PROPOSAL_FIELDS = ["kind", "title", "body", "affected_population", "municipality", "theme"]


def _require_verified(actor, perm, obj=None):
    if actor is not None and memberships.holds_nothing(actor):
        profile = getattr(actor, "citizen_profile", None)
        if profile is None or profile.email_verified_at is None:
            raise Refused(
                _("Antes de participar confirme su correo con el enlace que le enviamos.")
            )
    require(actor, perm, obj)


@transaction.atomic
def submit_proposal(process: Process, *, actor, **fields) -> Proposal:
    _require_verified(actor, "participation.add_proposal", process)
    _open_phase(process, "proposals_open")
    _check_rate("proposal", Proposal.objects.filter(author=actor))
    if not fields.get("title", "").strip() or not fields.get("body", "").strip():
        raise Refused(_("El título y la descripción son obligatorios."))
    proposal = Proposal(process=process, author=actor, **fields)
    proposal.body_html = render_markdown(proposal.body)
    proposal.save()
    audit.record(
        actor=actor,
        action="participation.proposal.create",
        obj=proposal,
        entity_code=_code(process),
        after=audit.snapshot(proposal, _PROPOSAL_FIELDS),
    )
    announce("participation.proposal_created", proposal, actor=actor)
    return proposal


@transaction.atomic
def support_proposal(proposal: Proposal, *, actor) -> Support:
    _require_verified(actor, "participation.add_support", proposal)
    if proposal.is_hidden:
        raise Refused(_("No se puede apoyar una propuesta oculta."))
    _open_phase(proposal.process, "supports_open")
    if Support.objects.filter(proposal=proposal, user=actor).exists():
        raise Refused(_("Ya apoyó esta propuesta: cada cuenta puede apoyarla una sola vez."))
    try:
        with transaction.atomic():
            support = Support.objects.create(proposal=proposal, user=actor)
    except IntegrityError as exc:  # a concurrent second click
        raise Refused(
            _("Ya apoyó esta propuesta: cada cuenta puede apoyarla una sola vez.")
        ) from exc
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    proposal.refresh_from_db(fields=["support_count"])
    audit.record(
        actor=actor,
        action="participation.support.create",
        obj=support,
        entity_code=_code(proposal.process),
        after={"proposal_id": proposal.pk},
    )
    return support


@transaction.atomic
def add_comment(proposal: Proposal, *, actor, body: str, parent: Comment | None = None) -> Comment:
    _require_verified(actor, "participation.add_comment", proposal)
    _open_phase(proposal.process, "comments_open")
    if proposal.is_hidden:
        raise Refused(_("No se puede comentar una propuesta oculta."))
    if parent is not None and parent.proposal_id != proposal.pk:
        raise Refused(_("La respuesta debe pertenecer a la misma propuesta."))
    if not body.strip():
        raise Refused(_("El comentario está vacío."))
    _check_rate("comment", Comment.objects.filter(author=actor))
    comment = Comment.objects.create(
        proposal=proposal,
        parent=parent,
        root=(parent.root or parent) if parent is not None else None,
        author=actor,
        body=body,
        body_html=render_markdown(body),
    )
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    audit.record(
        actor=actor,
        action="participation.comment.create",
        obj=comment,
        entity_code=_code(proposal.process),
        after={"proposal_id": proposal.pk, "parent_id": parent.pk if parent else None},
    )
    return comment


# --------------------------------------------------------------------------- moderation


@transaction.atomic
def report_content(*, actor, reason: str, proposal=None, comment=None) -> Report:
    require(actor, "participation.add_report")
    if not reason.strip():
        raise Refused(_("Indique el motivo del reporte."))
    target_proposal = proposal or comment.proposal
    _check_rate("report", Report.objects.filter(reporter=actor))
    report = Report.objects.create(
        process=target_proposal.process,
        proposal=proposal,
        comment=comment,
        reporter=actor,
        reason=reason.strip(),
    )
    audit.record(
        actor=actor,
        action="participation.report.create",
        obj=report,
        entity_code=_code(target_proposal.process),
        after={
            "proposal_id": getattr(proposal, "pk", None),
            "comment_id": getattr(comment, "pk", None),
        },
    )
    return report


@transaction.atomic
def hide_content(target, *, actor, reason: str):
    """Hide a proposal or a comment; its place shows that it was hidden and why."""
    require(actor, "participation.moderate", target)
    if not reason.strip():
        raise Refused(_("Para ocultar contenido debe escribir el motivo."))
    target.hidden_at = timezone.now()
    target.hidden_reason = reason.strip()
    target.save(update_fields=["hidden_at", "hidden_reason"])
    field = "proposal" if isinstance(target, Proposal) else "comment"
    Report.objects.filter(**{field: target}, decision=Report.Decision.PENDING).update(
        decision=Report.Decision.HIDDEN, resolved_by=actor, resolved_at=timezone.now()
    )
    process = target.process if isinstance(target, Proposal) else target.proposal.process
    audit.record(
        actor=actor,
        action=f"participation.{field}.hide",
        obj=target,
        entity_code=_code(process),
        after={"hidden_reason": target.hidden_reason},
    )
    return target


@transaction.atomic
def dismiss_report(report: Report, *, actor) -> Report:
    require(actor, "participation.moderate", report)
    report.decision = Report.Decision.DISMISSED
    report.resolved_by = actor
    report.resolved_at = timezone.now()
    report.save(update_fields=["decision", "resolved_by", "resolved_at"])
    audit.record(
        actor=actor, action="participation.report.dismiss", obj=report,
        entity_code=_code(report.process),
    )  # fmt: skip
    return report


# --------------------------------------------------------------------------- responses


def _check_answer(proposal: Proposal, actor) -> None:
    if not can(actor, "participation.answer_proposal", proposal):
        entity = proposal.process.entity.common_name
        raise PermissionDenied(
            _(
                "Solo el secretariado técnico local de %(entity)s o la coordinación nacional "
                "pueden responder esta propuesta."
            )
            % {"entity": entity}
        )


@transaction.atomic
def draft_response(
    proposal: Proposal,
    *,
    actor,
    status: str,
    reason: str = "",
    commitment=None,
    publish: bool = False,
) -> Response:
    """Write (or rewrite) the reasoned response; it stays a draft unless `publish`."""
    _check_answer(proposal, actor)
    status = ResponseStatus(status)
    reason = (reason or "").strip()
    if status == ResponseStatus.REJECTED and not reason:
        raise Refused(_("Para rechazar una propuesta el motivo es obligatorio."))
    if status == ResponseStatus.INCORPORATED:
        if commitment is None:
            raise Refused(_("Indique el compromiso al que se incorporó la propuesta."))
        if commitment.plan.entity_id != proposal.process.entity_id:
            raise Refused(_("El compromiso debe pertenecer al plan de la misma entidad."))
    else:
        commitment = None
    response = Response.objects.select_for_update().filter(proposal=proposal).first()
    before = audit.snapshot(response, ["status", "reason", "published_at"]) if response else None
    if response is None:
        response = Response(proposal=proposal)
    response.status = status
    response.reason = reason
    response.reason_html = render_markdown(reason)
    response.commitment = commitment
    response.drafted_by = actor if getattr(actor, "is_authenticated", False) else None
    was_published = response.published_at is not None
    response.published_at = None
    response.save()
    audit.record(
        actor=actor,
        action="participation.response." + ("update" if before else "draft"),
        obj=response,
        entity_code=_code(proposal.process),
        before=before,
        after={
            "status": status.value,
            "reason": reason,
            "commitment_id": getattr(commitment, "pk", None),
        },
    )
    if publish or was_published:
        publish_responses(proposal.process, actor=actor, proposals=[proposal.pk])
        response.refresh_from_db()
    return response


@transaction.atomic
def publish_responses(process: Process, *, actor, proposals=None) -> int:
    """Publish the drafted responses of a process together and notify the proposers."""
    require(actor, "participation.answer_proposal", process)
    drafts = Response.objects.select_for_update(of=("self", "proposal")).filter(
        proposal__process=process, published_at__isnull=True
    )
    if proposals is not None:
        drafts = drafts.filter(proposal__in=proposals)
    drafts = list(drafts.select_related("proposal", "proposal__author"))
    now = timezone.now()
    notices = []
    for response in drafts:
        response.published_at = now
        proposal = response.proposal
        proposal.status = response.status
        final = response.status != ResponseStatus.EVALUATING
        if final and proposal.answered_at is None:
            proposal.answered_at = now
        proposal.save(update_fields=["status", "answered_at"])
        author = proposal.author
        emailed = []
        if author is not None and author.email:
            notices.append((author.email, _notice_body(response)))
            emailed.append(author.pk)
        if final:
            # The proposer already gets the reasoned response by e-mail here.
            kind = "proposal_incorporated" if response.commitment_id else "proposal_answered"
            announce("participation." + kind, response, actor=actor, already_emailed=emailed)
    Response.objects.bulk_update(drafts, ["published_at"])
    if drafts:
        audit.record(
            actor=actor,
            action="participation.response.publish",
            obj=process,
            entity_code=_code(process),
            after={"proposals": [r.proposal_id for r in drafts]},
        )
    subject = _("Respuesta a su propuesta en Cocrea")

    def notify():
        for email, body in notices:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])

    transaction.on_commit(notify)
    return len(drafts)


def _notice_body(response: Response) -> str:
    return render_to_string(
        "participation/emails/response.txt",
        {
            "response": response,
            "proposal": response.proposal,
            "commitment": response.commitment,
        },
    )


# --------------------------------------------------------------------------- working tables

_TABLE_FIELDS = [
    "title", "agenda", "starts_at", "place", "online_url", "capacity",
    "documents_published_at", "minutes",
]  # fmt: skip


@transaction.atomic
def save_table(table: WorkingTable, *, actor, proposals=None) -> WorkingTable:
    require(actor, "participation.change_workingtable", table)
    before = None
    if table.pk:
        before = audit.snapshot(WorkingTable.objects.get(pk=table.pk), _TABLE_FIELDS)
    table.minutes_html = render_markdown(table.minutes)
    table.save()
    if proposals is not None:
        wrong = [p for p in proposals if p.process_id != table.process_id]
        if wrong:
            raise Refused(_("Solo se pueden vincular propuestas del mismo proceso."))
        table.proposals.set(proposals)
    audit.record(
        actor=actor,
        action="participation.table." + ("update" if before else "create"),
        obj=table,
        entity_code=_code(table.process),
        before=before,
        after={
            **audit.snapshot(table, _TABLE_FIELDS),
            "proposals": [p.pk for p in proposals] if proposals is not None else None,
        },
    )
    if (
        before is None
        or before.get("starts_at") != audit.snapshot(table, ["starts_at"])["starts_at"]
    ):
        announce("participation.table_scheduled", table, actor=actor)
    if table.documents_published_at and not (before or {}).get("documents_published_at"):
        announce("participation.agreements_published", table, actor=actor)
    return table


@transaction.atomic
def register_for_table(table: WorkingTable, *, actor, sector: str) -> Registration:
    _require_verified(actor, "participation.register_workingtable", table)
    table = WorkingTable.objects.select_for_update().get(pk=table.pk)
    if table.starts_at < timezone.now():
        raise Refused(_("La mesa ya se realizó; el registro está cerrado."))
    if Registration.objects.filter(table=table, user=actor).exists():
        raise Refused(_("Ya está registrado en esta mesa."))
    if table.registrations.count() >= table.capacity:
        raise Refused(_("La mesa alcanzó su cupo."))
    registration = Registration.objects.create(table=table, user=actor, sector=sector)
    audit.record(
        actor=actor,
        action="participation.registration.create",
        obj=registration,
        entity_code=_code(table.process),
        after={"table_id": table.pk, "sector": sector},
    )
    return registration


@transaction.atomic
def record_attendance(table: WorkingTable, *, actor, attended_ids) -> int:
    require(actor, "participation.change_workingtable", table)
    attended_ids = set(attended_ids)
    regs = list(table.registrations.select_for_update())
    for reg in regs:
        reg.attended = reg.pk in attended_ids
    Registration.objects.bulk_update(regs, ["attended"])
    audit.record(
        actor=actor,
        action="participation.table.attendance",
        obj=table,
        entity_code=_code(table.process),
        after={"attended": sorted(attended_ids)},
    )
    return sum(1 for r in regs if r.attended)


@transaction.atomic
def add_agreement(table: WorkingTable, *, actor, text: str, commitment=None) -> Agreement:
    require(actor, "participation.change_workingtable", table)
    if not text.strip():
        raise Refused(_("El acuerdo está vacío."))
    if commitment is not None and commitment.plan.entity_id != table.process.entity_id:
        raise Refused(_("El compromiso debe pertenecer al plan de la misma entidad."))
    agreement = Agreement(
        table=table,
        text=text.strip(),
        order=table.agreements.count() + 1,
        commitment=commitment,
    )
    agreement.save()
    audit.record(
        actor=actor,
        action="participation.agreement.create",
        obj=agreement,
        entity_code=_code(table.process),
        after={"text": agreement.text, "commitment_id": getattr(commitment, "pk", None)},
    )
    return agreement


@transaction.atomic
def save_standard_evidence(
    process: Process, *, actor, standard: str, met: bool, evidence: str, url: str = ""
) -> StandardEvidence:
    require(actor, "participation.change_standardevidence", process)
    record, _created = StandardEvidence.objects.select_for_update().get_or_create(
        process=process, standard=standard
    )
    before = audit.snapshot(record, ["met", "evidence", "url"])
    record.met, record.evidence, record.url = met, evidence, url
    record.save()
    audit.record(
        actor=actor,
        action="participation.standard.update",
        obj=record,
        entity_code=_code(process),
        before=before,
        after=audit.snapshot(record, ["met", "evidence", "url"]),
    )
    return record
