"""Every change of state of an evaluation: appointments, reviews, ratings, replies.

Each function checks permission (`require` + the predicates in `rules.py`), runs in one
transaction and records an audit entry. The workflow of a review version:

    borrador ──send_for_comments──▶ comentarios ──publish──▶ publicada ──(correction)──▶ sustituida

`publish` refuses while the reply period runs and some rating is still unanswered.
A correction (`start_correction`) opens a new draft version with the same ratings; when it
is published the earlier version stays public, marked as superseded.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.accounts import selectors as memberships
from cocrea.accounts.permissions import require
from cocrea.core import audit
from cocrea.core.events import announce
from cocrea.participation.models import Standard
from cocrea.plans.models import CommitmentStatus, Milestone, SecretariatMember
from cocrea.plans.rollup import milestone_figures

from . import rules as evaluation_rules
from .models import (
    STAGE_VARIABLES,
    Appointment,
    Assessment,
    Completion,
    Impact,
    OpenedGovernment,
    Potential,
    Reply,
    Review,
    ReviewStatus,
    Specificity,
    Stage,
    StandardJudgement,
    Variable,
    YesNo,
)
from .scoring import proposed_completion

# Each rating: the fields holding its value and the field holding its justification.
VARIABLE_FIELDS = {
    Variable.VERIFIABLE: (("verifiable",), "verifiable_why"),
    Variable.RELEVANCE: (
        ("relevant_access", "relevant_participation", "relevant_accountability",
         "relevant_technology"),
        "relevance_why",
    ),
    Variable.POTENTIAL: (("potential",), "potential_why"),
    Variable.PROMISING: (("promising",), "promising_why"),
    Variable.SPECIFICITY: (("specificity",), "specificity_why"),
    Variable.IMPACT: (("impact",), "impact_why"),
    Variable.COMPLETION: (("completion", "completion_override_reason"), "completion_why"),
    Variable.OPENED: (("opened",), "opened_why"),
}  # fmt: skip
CHOICES = {
    "verifiable": YesNo.values,
    "promising": YesNo.values,
    "potential": Potential.values,
    "specificity": Specificity.values,
    "impact": Impact.values,
    "completion": Completion.values,
    "opened": OpenedGovernment.values,
}
BOOLEANS = ("relevant_access", "relevant_participation", "relevant_accountability",
            "relevant_technology")  # fmt: skip
ASSESSMENT_FIELDS = [f for fields, why in VARIABLE_FIELDS.values() for f in (*fields, why)] + [
    "evidence_links"
]


def _record(actor, action, obj, *, entity_code, before=None, after=None):
    audit.record(
        actor=actor, action=action, obj=obj, entity_code=entity_code, before=before, after=after
    )


# ------------------------------------------------------------------------- conflict of interest


def conflicts_of_interest(plan, *, user=None, organization=None) -> list[str]:
    """Why this person or organisation may not evaluate the plan (empty: no conflict)."""
    entity = plan.entity
    reasons = []
    if user is not None:
        memberships.forget(user)
        for m in memberships.active_memberships(user):
            # Entity-wide on purpose: a seat at either level (the state's secretariat or one of
            # its municipalities') ties the person to the governments the plan's commitments
            # involve, so it conflicts with every plan of that entity.
            if m.kind == "secretariado" and m.entity_id == entity.pk:
                place = (
                    f"{m.municipality.name} ({entity.common_name})"
                    if m.municipality_id
                    else entity.common_name
                )
                reasons.append(
                    _("La persona ocupa un lugar en el secretariado técnico local de %(e)s.")
                    % {"e": place}
                )
            if m.organization_id and m.organization.entity_id == entity.pk:
                reasons.append(
                    _("La persona pertenece a «%(o)s», organización de %(e)s.")
                    % {"o": m.organization.name, "e": entity.common_name}
                )
        if SecretariatMember.objects.filter(
            user=user, active=True, secretariat__entity=entity
        ).exists():
            reasons.append(
                _("La persona figura como integrante del secretariado de %(e)s.")
                % {"e": entity.common_name}
            )
    if organization is not None:
        if organization.entity_id == entity.pk:
            reasons.append(
                _("«%(o)s» es una organización de %(e)s.")
                % {"o": organization.name, "e": entity.common_name}
            )
        if SecretariatMember.objects.filter(
            organization=organization, active=True, secretariat__entity=entity
        ).exists():
            reasons.append(
                _("«%(o)s» tiene un lugar en el secretariado técnico local de %(e)s.")
                % {"o": organization.name, "e": entity.common_name}
            )
    return list(dict.fromkeys(reasons))


@transaction.atomic
def appoint(plan, stage, *, actor, user=None, organization=None, public_name="") -> Appointment:
    """National coordination appoints an evaluator, unless there is a conflict of interest."""
    require(actor, "evaluation.appoint_evaluator", plan)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Etapa desconocida.")})
    if user is None and organization is None:
        raise ValidationError(_("Indique la persona o la organización evaluadora."))
    reasons = conflicts_of_interest(plan, user=user, organization=organization)
    if reasons:
        raise ValidationError(
            _("Conflicto de interés: %(r)s No puede evaluar este plan.") % {"r": " ".join(reasons)}
        )
    if Appointment.objects.filter(
        plan=plan, stage=stage, user=user, organization=organization, ended_at__isnull=True
    ).exists():
        raise ValidationError(_("Ya tiene esa designación activa."))
    appointment = Appointment.objects.create(
        plan=plan, stage=stage, user=user, organization=organization, public_name=public_name
    )
    _record(
        actor,
        "evaluation.appoint",
        appointment,
        entity_code=plan.entity.code,
        after=audit.snapshot(appointment, ["plan", "stage", "user", "organization"]),
    )
    evaluation_rules.forget(user)
    return appointment


@transaction.atomic
def end_appointment(appointment: Appointment, *, actor) -> Appointment:
    require(actor, "evaluation.appoint_evaluator", appointment.plan)
    appointment.ended_at = timezone.now()
    appointment.save(update_fields=["ended_at"])
    _record(
        actor, "evaluation.end_appointment", appointment, entity_code=appointment.plan.entity.code
    )
    evaluation_rules.forget(appointment.user)
    return appointment


# ------------------------------------------------------------------------------------ reviews


def commitment_progress(commitments) -> dict[int, tuple[float, bool]]:
    """{commitment id: (validated progress, has any validated figure)} in one query."""
    figures = milestone_figures(Milestone.objects.filter(commitment__in=commitments))
    result = {}
    for c in commitments:
        fig = figures.get(c.pk)
        if fig is None:
            result[c.pk] = (0.0, False)
        else:
            has = fig.reports_validated > 0 or fig.milestones > fig.no_report
            result[c.pk] = (fig.progress, has)
    return result


def _appointment_for(actor, plan, stage) -> Appointment:
    appointment = evaluation_rules.appointment_of(actor, plan, stage)
    if appointment is None:
        appointment = (
            Appointment.objects.filter(plan=plan, stage=stage, ended_at__isnull=True)
            .order_by("id")
            .first()
        )
    if appointment is None:
        raise ValidationError(_("El plan no tiene evaluación designada para esta etapa."))
    return appointment


@transaction.atomic
def start_review(plan, stage, *, actor, process=None, summary="") -> Review:
    """A first draft with one assessment per commitment (results: completion proposed)."""
    require(actor, "evaluation.start_review", Review(plan=plan, stage=stage))
    if Review.objects.filter(plan=plan, stage=stage).exists():
        raise ValidationError(_("Esta revisión ya existe; corrija la versión publicada."))
    if process is not None and process.entity_id != plan.entity_id:
        raise ValidationError({"process": _("El proceso de cocreación es de otra entidad.")})
    review = Review.objects.create(
        plan=plan,
        stage=stage,
        appointment=_appointment_for(actor, plan, stage),
        process=process,
        summary=summary,
    )
    commitments = list(plan.commitments.exclude(status=CommitmentStatus.CANCELLED))
    progress = commitment_progress(commitments) if stage == Stage.RESULTS else {}
    rows = []
    for c in commitments:
        a = Assessment(review=review, commitment=c)
        if stage == Stage.RESULTS:
            value, has = progress[c.pk]
            a.completion_progress = round(value, 2) if has else None
            a.completion_proposed = proposed_completion(value, has)
            a.completion = a.completion_proposed
        rows.append(a)
    Assessment.objects.bulk_create(rows)
    _record(actor, "evaluation.start_review", review, entity_code=plan.entity.code)
    return review


def _clean_assessment(a: Assessment) -> None:
    errors = {}
    for name, allowed in CHOICES.items():
        value = getattr(a, name)
        if value and value not in allowed:
            errors[name] = _("Valor no válido.")
    links = a.evidence_links or []
    if not isinstance(links, list) or any(
        not isinstance(u, str) or not u.startswith(("https://", "http://")) for u in links
    ):
        errors["evidence_links"] = _("Cada evidencia es un enlace http(s).")
    if (
        a.review.stage == Stage.RESULTS
        and a.completion
        and a.completion != a.completion_proposed
        and not a.completion_override_reason.strip()
    ):
        errors["completion_override_reason"] = _(
            "Explique por qué el cumplimiento difiere del propuesto por la plataforma."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_assessment(assessment: Assessment, *, actor, **values) -> Assessment:
    """Change ratings of a draft; a changed rating loses the reply it had in an earlier version."""
    review = assessment.review
    require(actor, "evaluation.edit_review", review)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    for name, value in values.items():
        if name not in ASSESSMENT_FIELDS:
            raise ValidationError({name: _("Campo desconocido.")})
        if name in BOOLEANS:
            value = bool(value)
        elif name == "evidence_links":
            value = [u.strip() for u in (value or []) if u and u.strip()]
        else:
            value = (value or "").strip()
        setattr(assessment, name, value)
    _clean_assessment(assessment)
    assessment.save()
    after = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    changed = {k for k in after if after[k] != before.get(k)}
    stale = [v for v, (fields, why) in VARIABLE_FIELDS.items() if changed & {*fields, why}]
    if stale:
        assessment.replies.filter(variable__in=stale).delete()
    if changed:
        _record(
            actor,
            "evaluation.rate",
            assessment,
            entity_code=review.plan.entity.code,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
        )
    return assessment


@transaction.atomic
def save_standard(review: Review, standard: str, *, actor, met: bool, justification: str):
    require(actor, "evaluation.edit_review", review)
    if review.stage != Stage.DESIGN:
        raise ValidationError(
            _("Los estándares de cocreación se valoran en la revisión del diseño.")
        )
    if standard not in Standard.values:
        raise ValidationError({"standard": _("Estándar desconocido.")})
    if not justification.strip():
        raise ValidationError({"justification": _("Justifique la valoración del estándar.")})
    judgement, _created = StandardJudgement.objects.update_or_create(
        review=review,
        standard=standard,
        defaults={"met": bool(met), "justification": justification.strip()},
    )
    _record(
        actor,
        "evaluation.judge_standard",
        judgement,
        entity_code=review.plan.entity.code,
        after=audit.snapshot(judgement, ["standard", "met", "justification"]),
    )
    return judgement


def missing_ratings(review: Review) -> list[str]:
    """What is still unrated or unjustified, one sentence per gap."""
    gaps = []
    for a in review.assessments.select_related("commitment"):
        for variable in STAGE_VARIABLES[review.stage]:
            fields, why = VARIABLE_FIELDS[variable]
            value_missing = variable not in (Variable.RELEVANCE,) and not getattr(a, fields[0])
            if value_missing or not getattr(a, why).strip():
                gaps.append(
                    _("Compromiso %(n)s: falta «%(v)s» o su justificación.")
                    % {"n": a.commitment.number, "v": variable.label}
                )
    return gaps


@transaction.atomic
def send_for_comments(review: Review, *, actor, reply_due: datetime.date, today=None) -> Review:
    """Every rating justified: the secretariat gets a period to answer each one in writing."""
    require(actor, "evaluation.send_review", review)
    today = today or timezone.localdate()
    if reply_due is None or reply_due <= today:
        raise ValidationError({"reply_due": _("La fecha límite de réplica debe ser futura.")})
    gaps = missing_ratings(review)
    if gaps:
        raise ValidationError(gaps)
    review.status = ReviewStatus.COMMENTS
    review.reply_due = reply_due
    review.sent_at = timezone.now()
    review.save(update_fields=["status", "reply_due", "sent_at"])
    _record(
        actor,
        "evaluation.send_for_comments",
        review,
        entity_code=review.plan.entity.code,
        after={"reply_due": reply_due.isoformat()},
    )
    announce("evaluation.sent", review, actor=actor)
    return review


def unanswered(review: Review) -> int:
    """Ratings of the review without a reply of the secretariat."""
    variables = STAGE_VARIABLES[review.stage]
    expected = review.assessments.count() * len(variables)
    answered = Reply.objects.filter(assessment__review=review, variable__in=variables).count()
    return expected - answered


@transaction.atomic
def reply(assessment: Assessment, variable: str, text: str, *, actor) -> Reply:
    """A member of the entity's secretariat answers one rating, signed by organisation and side."""
    review = assessment.review
    require(actor, "evaluation.reply_review", review)
    if variable not in STAGE_VARIABLES[review.stage]:
        raise ValidationError({"variable": _("Esa calificación no es de esta etapa.")})
    if not text.strip():
        raise ValidationError({"text": _("Escriba la réplica.")})
    label = (
        memberships.public_label(actor, review.plan) if actor else _("Secretariado técnico local")
    )
    obj, _created = Reply.objects.update_or_create(
        assessment=assessment,
        variable=variable,
        defaults={"text": text.strip(), "author": actor, "author_label": label},
    )
    _record(
        actor,
        "evaluation.reply",
        obj,
        entity_code=review.plan.entity.code,
        after={"variable": variable, "text": obj.text},
    )
    return obj


@transaction.atomic
def publish(review: Review, *, actor, today=None) -> Review:
    """Publish once the reply period has ended or every rating has been answered."""
    require(actor, "evaluation.publish_review", review)
    today = today or timezone.localdate()
    pending = unanswered(review)
    if today <= review.reply_due and pending:
        raise ValidationError(
            _(
                "El periodo de réplica sigue abierto hasta el %(d)s y faltan %(n)d réplicas: "
                "no se puede publicar todavía."
            )
            % {"d": review.reply_due.strftime("%d/%m/%Y"), "n": pending}
        )
    review.status = ReviewStatus.PUBLISHED
    review.published_at = timezone.now()
    review.save(update_fields=["status", "published_at"])
    if review.previous_id:
        Review.objects.filter(pk=review.previous_id).update(status=ReviewStatus.SUPERSEDED)
    _record(
        actor,
        "evaluation.publish",
        review,
        entity_code=review.plan.entity.code,
        after={"version": review.version, "unanswered": pending},
    )
    announce("evaluation.published", review, actor=actor)
    return review


@transaction.atomic
def start_correction(review: Review, *, actor, note: str) -> Review:
    """A new draft version with the same ratings, standards and replies; the published one stays."""
    require(actor, "evaluation.correct_review", review)
    if not note.strip():
        raise ValidationError({"correction_note": _("Explique qué se corrige.")})
    if Review.objects.filter(
        plan=review.plan,
        stage=review.stage,
        status__in=[ReviewStatus.DRAFT, ReviewStatus.COMMENTS],
    ).exists():
        raise ValidationError(_("Ya hay una corrección en curso de esta revisión."))
    new = Review.objects.create(
        plan=review.plan,
        stage=review.stage,
        version=review.version + 1,
        appointment=_appointment_for(actor, review.plan, review.stage),
        process=review.process,
        summary=review.summary,
        correction_note=note.strip(),
        previous=review,
    )
    old = list(review.assessments.prefetch_related("replies"))
    copies = []
    for a in old:
        copy = Assessment.objects.get(pk=a.pk)
        copy.pk = None
        copy.review = new
        copies.append(copy)
    Assessment.objects.bulk_create(copies)
    Reply.objects.bulk_create(
        [
            Reply(assessment=c, variable=r.variable, text=r.text, author=r.author,
                  author_label=r.author_label)
            for a, c in zip(old, copies, strict=True)
            for r in a.replies.all()
        ]
    )  # fmt: skip
    StandardJudgement.objects.bulk_create(
        [
            StandardJudgement(
                review=new, standard=s.standard, met=s.met, justification=s.justification
            )
            for s in review.standards.all()
        ]
    )
    _record(
        actor,
        "evaluation.start_correction",
        new,
        entity_code=review.plan.entity.code,
        after={"version": new.version, "note": new.correction_note},
    )
    return new
