"""Every change to secretariats, plans, commitments, milestones and reports.

Each service checks permission, runs in a transaction and records an audit entry whose
public actor label names an organisation and a role, never a person's username or email.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.accounts import selectors as memberships
from cocrea.accounts.models import Role
from cocrea.accounts.permissions import can, require
from cocrea.core import audit
from cocrea.core.csvimport import ImportFailed, ImportResult, RowError, open_text, read_rows
from cocrea.core.events import announce
from cocrea.core.text import normalize

from .models import (
    ActionPlan,
    Commitment,
    Evidence,
    EvidenceKind,
    Milestone,
    MilestoneStatus,
    PlanStatus,
    PlanVersion,
    ProgressReport,
    ReportStatus,
)
from .rules import side_of

# ----------------------------------------------------------------------------- audit helpers

PLAN_FIELDS = ["sequence", "title", "period_start", "period_end", "status", "document_url",
               "reports_require_evidence"]  # fmt: skip
COMMITMENT_FIELDS = [
    "number",
    "title",
    "problem",
    "objective",
    "description",
    "responsible_authority",
    "co_responsible",
    "value_access",
    "value_participation",
    "value_accountability",
    "value_technology",
    "start_date",
    "end_date",
    "weight",
    "status",
]
MILESTONE_FIELDS = [
    "number",
    "title",
    "responsible_organization",
    "responsible_side",
    "start_date",
    "end_date",
    "weight",
    "status",
    "progress",
    "reported_progress",
]
# Fields that are the plan's *content*: a change after publication makes a new version.
VERSIONED_COMMITMENT_FIELDS = [f for f in COMMITMENT_FIELDS if f not in ("status",)]
VERSIONED_MILESTONE_FIELDS = ["number", "title", "responsible_organization", "start_date",
                              "end_date", "weight"]  # fmt: skip
REPORT_FIELDS = ["date", "progress", "side", "status", "reporter_label", "reviewer_label",
                 "return_reason"]  # fmt: skip


def public_actor_label(user, obj=None) -> str:
    """Organisation and side, for public timelines (no usernames, no emails)."""
    return memberships.public_label(user, obj)


def _entity_code(obj) -> str:
    from cocrea.core.boundary import entity_code_of

    return entity_code_of(obj) or ""


def _record(actor, action, obj, before=None, after=None):
    return audit.record(
        actor=actor,
        action=action,
        obj=obj,
        entity_code=_entity_code(obj),
        before=before,
        after=after,
        actor_label=public_actor_label(actor, obj),
    )


def _diff(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


# ----------------------------------------------------------------------------- plan versions


def plan_snapshot(plan: ActionPlan) -> dict:
    """The published content of a plan: what a new version compares against."""
    commitments = []
    for c in plan.commitments.order_by("number").prefetch_related("milestones"):
        snap = audit.snapshot(c, VERSIONED_COMMITMENT_FIELDS)
        snap["id"] = c.pk
        snap["milestones"] = [
            {"id": m.pk, **audit.snapshot(m, VERSIONED_MILESTONE_FIELDS)}
            for m in sorted(c.milestones.all(), key=lambda m: (m.number, m.pk))
        ]
        commitments.append(snap)
    return {"plan": audit.snapshot(plan, PLAN_FIELDS), "commitments": commitments}


def _snapshot_changes(old: dict, new: dict) -> list[dict]:
    changes: list[dict] = []
    for key, value in new.get("plan", {}).items():
        if key != "status" and old.get("plan", {}).get(key) != value:
            changes.append({"objeto": "plan", "campo": key, "antes": old["plan"].get(key),
                            "despues": value})  # fmt: skip
    old_c = {c["id"]: c for c in old.get("commitments", [])}
    new_c = {c["id"]: c for c in new.get("commitments", [])}
    for cid in new_c.keys() - old_c.keys():
        changes.append({"objeto": f"compromiso {new_c[cid]['number']}", "campo": "",
                        "antes": None, "despues": new_c[cid]["title"]})  # fmt: skip
    for cid in old_c.keys() - new_c.keys():
        changes.append({"objeto": f"compromiso {old_c[cid]['number']}", "campo": "",
                        "antes": old_c[cid]["title"], "despues": None})  # fmt: skip
    for cid in sorted(new_c.keys() & old_c.keys()):
        a, b = old_c[cid], new_c[cid]
        label = f"compromiso {b['number']}"
        for key in VERSIONED_COMMITMENT_FIELDS:
            if a.get(key) != b.get(key):
                changes.append({"objeto": label, "campo": key, "antes": a.get(key),
                                "despues": b.get(key)})  # fmt: skip
        old_m = {m["id"]: m for m in a.get("milestones", [])}
        new_m = {m["id"]: m for m in b.get("milestones", [])}
        for mid in new_m.keys() - old_m.keys():
            changes.append({"objeto": f"{label}, hito", "campo": "", "antes": None,
                            "despues": new_m[mid]["title"]})  # fmt: skip
        for mid in old_m.keys() - new_m.keys():
            changes.append({"objeto": f"{label}, hito", "campo": "",
                            "antes": old_m[mid]["title"], "despues": None})  # fmt: skip
        for mid in sorted(new_m.keys() & old_m.keys()):
            for key in VERSIONED_MILESTONE_FIELDS:
                if old_m[mid].get(key) != new_m[mid].get(key):
                    changes.append({"objeto": f"{label}, hito «{new_m[mid]['title']}»",
                                    "campo": key, "antes": old_m[mid].get(key),
                                    "despues": new_m[mid].get(key)})  # fmt: skip
    return changes


def refresh_plan_version(plan: ActionPlan, actor=None, summary: str = "") -> PlanVersion | None:
    """After a change to a published plan, keep a new version if its content changed."""
    if plan.status == PlanStatus.DRAFT:
        return None
    last = plan.versions.order_by("-number").first()
    snap = plan_snapshot(plan)
    if last is not None and last.snapshot == snap:
        return None
    changes = _snapshot_changes(last.snapshot, snap) if last else []
    if last is not None and not changes:
        return None
    number = (last.number if last else 0) + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        snapshot=snap,
        changes=changes,
        summary=summary or (_("Versión publicada") if number == 1 else _("Cambios al plan")),
    )
    ActionPlan.objects.filter(pk=plan.pk).update(version=number)
    plan.version = number
    _record(actor, "plans.version", plan, after={"version": number, "cambios": len(changes)})
    announce("plans.plan_version", version, actor=actor)
    return version


@transaction.atomic
def publish_plan(plan: ActionPlan, *, actor) -> PlanVersion | None:
    require(actor, "plans.publish_plan", plan)
    before = audit.snapshot(plan, ["status", "published_at"])
    if plan.status == PlanStatus.DRAFT:
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = timezone.now()
        plan.save(update_fields=["status", "published_at", "updated_at"])
        _record(
            actor, "plans.publish", plan, before, audit.snapshot(plan, ["status", "published_at"])
        )
    return refresh_plan_version(plan, actor)


# ----------------------------------------------------------------------------- generic saves


@transaction.atomic
def save_plan(plan: ActionPlan, *, actor) -> ActionPlan:
    creating = plan.pk is None
    require(actor, "plans.add_actionplan" if creating else "plans.change_actionplan", plan)
    before = {} if creating else audit.snapshot(ActionPlan.objects.get(pk=plan.pk), PLAN_FIELDS)
    plan.full_clean()
    check_new_files(plan)
    plan.save()
    b, a = _diff(before, audit.snapshot(plan, PLAN_FIELDS))
    if creating or a:
        _record(actor, "plans.create_plan" if creating else "plans.change_plan", plan, b, a)
        if creating:
            announce("plans.plan_created", plan, actor=actor)
        refresh_plan_version(plan, actor)
    return plan


@transaction.atomic
def save_commitment(commitment: Commitment, *, actor) -> Commitment:
    creating = commitment.pk is None
    require(actor, "plans.add_commitment" if creating else "plans.change_commitment", commitment)
    before = (
        {}
        if creating
        else audit.snapshot(Commitment.objects.get(pk=commitment.pk), COMMITMENT_FIELDS)
    )
    commitment.full_clean()
    commitment.save()
    b, a = _diff(before, audit.snapshot(commitment, COMMITMENT_FIELDS))
    if creating or a:
        action = "plans.create_commitment" if creating else "plans.change_commitment"
        _record(actor, action, commitment, b, a)
        if creating:
            announce("plans.commitment_created", commitment, actor=actor)
        refresh_plan_version(commitment.plan, actor)
    return commitment


# The official figures of a milestone: they move only when the counterpart validates a
# report (`validate_report`), when the responsible side reports (`submit_report`, the
# reported figure), or by a national coordinator's reasoned correction
# (`correct_milestone`). No other save may change them.
OFFICIAL_MILESTONE_FIELDS = ["progress", "reported_progress", "status"]


def _refuse_official_changes(milestone: Milestone, current: dict) -> None:
    changed = [
        f for f in OFFICIAL_MILESTONE_FIELDS
        if audit.snapshot(milestone, [f]).get(f) != current.get(f)
    ]  # fmt: skip
    if changed:
        message = _(
            "El avance y el estatus de un hito cambian solo cuando la contraparte valida un "
            "reporte, o por una corrección razonada de la coordinación nacional."
        )
        raise ValidationError(dict.fromkeys(changed, message))


@transaction.atomic
def save_milestone(milestone: Milestone, *, actor) -> Milestone:
    creating = milestone.pk is None
    require(actor, "plans.add_milestone" if creating else "plans.change_milestone", milestone)
    before = (
        {} if creating else audit.snapshot(Milestone.objects.get(pk=milestone.pk), MILESTONE_FIELDS)
    )
    _refuse_official_changes(
        milestone,
        {"progress": None, "reported_progress": None, "status": MilestoneStatus.NOT_STARTED}
        if creating
        else before,
    )
    milestone.full_clean()
    milestone.save()
    b, a = _diff(before, audit.snapshot(milestone, MILESTONE_FIELDS))
    if creating or a:
        action = "plans.create_milestone" if creating else "plans.change_milestone"
        _record(actor, action, milestone, b, a)
        refresh_plan_version(milestone.commitment.plan, actor)
    return milestone


@transaction.atomic
def save_object(obj, *, actor, perm_model: str):
    """Secretariat, members, sessions, agreements and plan documents (back office)."""
    creating = obj.pk is None
    require(actor, f"plans.{'add' if creating else 'change'}_{perm_model}", obj)
    fields = [f.name for f in obj._meta.concrete_fields if f.name not in ("email", "phone")]
    before = {} if creating else audit.snapshot(type(obj).objects.get(pk=obj.pk), fields)
    check_new_files(obj)
    obj.save()
    b, a = _diff(before, audit.snapshot(obj, fields))
    if creating or a:
        _record(actor, f"plans.{'create' if creating else 'change'}_{perm_model}", obj, b, a)
    return obj


@transaction.atomic
def delete_object(obj, *, actor, perm_model: str) -> None:
    require(actor, f"plans.delete_{perm_model}", obj)
    fields = [f.name for f in obj._meta.concrete_fields if f.name not in ("email", "phone")]
    _record(actor, f"plans.delete_{perm_model}", obj, audit.snapshot(obj, fields), None)
    plan = getattr(obj, "plan", None) if perm_model in ("commitment", "milestone") else None
    obj.delete()
    if plan is not None:
        refresh_plan_version(plan, actor)


# ----------------------------------------------------------------------------- two-key reports


def _clean_progress(value) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").replace("%", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"progress": _("El avance debe ser un número de 0 a 100.")}) from exc
    if not number.is_finite() or number < 0 or number > 100:
        raise ValidationError({"progress": _("El avance debe ser un número de 0 a 100.")})
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def submit_report(
    milestone: Milestone,
    *,
    actor,
    text: str,
    progress,
    report_date: date | None = None,
    links: list[tuple[str, str]] | None = None,
    files: list | None = None,
) -> ProgressReport:
    """The responsible side reports a new avance; it waits for the counterpart's validation."""
    require(actor, "plans.report_progress", milestone)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.status == MilestoneStatus.CANCELLED:
        raise ValidationError(_("El hito está cancelado."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Describa el avance.")})
    value = _clean_progress(progress)
    if milestone.commitment.plan.reports_require_evidence and not (links or files):
        raise ValidationError(
            {
                "evidence": _(
                    "El plan exige evidencia: adjunte al menos un archivo o un enlace "
                    "que respalde el avance."
                )
            }
        )
    report = ProgressReport.objects.create(
        milestone=milestone,
        date=report_date or timezone.localdate(),
        text=text,
        progress=value,
        side=side_of(actor, milestone) if actor is not None else milestone.responsible_side,
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
        reporter_label=public_actor_label(actor, milestone),
    )
    before = audit.snapshot(milestone, ["reported_progress", "status"])
    milestone.reported_progress = value
    if milestone.status == MilestoneStatus.NOT_STARTED and value > 0:
        milestone.status = MilestoneStatus.IN_PROGRESS
    milestone.reports_total = F("reports_total") + 1
    milestone.reports_pending = F("reports_pending") + 1
    milestone.save(
        update_fields=[
            "reported_progress",
            "status",
            "reports_total",
            "reports_pending",
            "updated_at",
        ]
    )
    milestone.refresh_from_db(fields=["reports_total", "reports_pending"])
    _record(actor, "plans.report", report, None, audit.snapshot(report, REPORT_FIELDS))
    b, a = _diff(before, audit.snapshot(milestone, ["reported_progress", "status"]))
    if a:
        _record(actor, "plans.change_milestone", milestone, b, a)
    for title, url in links or []:
        add_evidence(milestone, actor=actor, title=title, url=url, report=report, _checked=True)
    for upload in files or []:
        add_evidence(milestone, actor=actor, title=upload.name, upload=upload, report=report,
                     _checked=True)  # fmt: skip
    return report


def _latest_reported(milestone: Milestone):
    latest = (
        milestone.reports.exclude(status=ReportStatus.RETURNED)
        .order_by("-date", "-id")
        .values_list("progress", flat=True)
        .first()
    )
    return latest if latest is not None else milestone.progress


@transaction.atomic
def validate_report(report: ProgressReport, *, actor) -> ProgressReport:
    """The counterpart validates: the reported avance becomes the milestone's official figure."""
    require(actor, "plans.validate_report", report)
    report = (
        ProgressReport.objects.select_for_update().select_related("milestone").get(pk=report.pk)
    )
    if report.status != ReportStatus.PENDING:
        raise ValidationError(_("Este reporte ya fue revisado."))
    before = audit.snapshot(report, REPORT_FIELDS)
    report.status = ReportStatus.VALIDATED
    report.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    report.reviewer_label = public_actor_label(actor, report.milestone)
    report.reviewed_at = timezone.now()
    report.save()
    _record(actor, "plans.validate", report, *_diff(before, audit.snapshot(report, REPORT_FIELDS)))
    Milestone.objects.filter(pk=report.milestone_id).update(
        reports_pending=F("reports_pending") - 1, reports_validated=F("reports_validated") + 1
    )
    milestone = Milestone.objects.get(pk=report.milestone_id)
    newer_validated = milestone.reports.filter(
        status=ReportStatus.VALIDATED, date__gt=report.date
    ).exists()
    if not newer_validated:
        m_before = audit.snapshot(milestone, ["progress", "status"])
        milestone.progress = report.progress
        if report.progress >= 100:
            milestone.status = MilestoneStatus.COMPLETE
        elif milestone.status == MilestoneStatus.NOT_STARTED:
            milestone.status = MilestoneStatus.IN_PROGRESS
        milestone.save(update_fields=["progress", "status", "updated_at"])
        b, a = _diff(m_before, audit.snapshot(milestone, ["progress", "status"]))
        if a:
            _record(actor, "plans.change_milestone", milestone, b, a)
    announce("plans.report_validated", report, actor=actor)
    return report


@transaction.atomic
def return_report(report: ProgressReport, *, actor, reason: str) -> ProgressReport:
    """The counterpart returns the report with a reason; the official figure does not move."""
    require(actor, "plans.validate_report", report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indique el motivo de la devolución.")})
    report = (
        ProgressReport.objects.select_for_update().select_related("milestone").get(pk=report.pk)
    )
    if report.status != ReportStatus.PENDING:
        raise ValidationError(_("Este reporte ya fue revisado."))
    before = audit.snapshot(report, REPORT_FIELDS)
    report.status = ReportStatus.RETURNED
    report.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    report.reviewer_label = public_actor_label(actor, report.milestone)
    report.reviewed_at = timezone.now()
    report.return_reason = reason
    report.save()
    _record(actor, "plans.return", report, *_diff(before, audit.snapshot(report, REPORT_FIELDS)))
    Milestone.objects.filter(pk=report.milestone_id).update(
        reports_pending=F("reports_pending") - 1, reports_returned=F("reports_returned") + 1
    )
    milestone = Milestone.objects.get(pk=report.milestone_id)
    m_before = audit.snapshot(milestone, ["reported_progress"])
    milestone.reported_progress = _latest_reported(milestone)
    milestone.save(update_fields=["reported_progress", "updated_at"])
    b, a = _diff(m_before, audit.snapshot(milestone, ["reported_progress"]))
    if a:
        _record(actor, "plans.change_milestone", milestone, b, a)
    announce("plans.report_returned", report, actor=actor)
    return report


@transaction.atomic
def correct_milestone(milestone: Milestone, *, actor, progress, status: str, reason: str):
    """A national coordinator corrects a milestone's official figure, with a public reason.

    The correction and its reason appear on the commitment's public timeline. Pending
    reports stay pending: the counterpart may still validate or return them.
    """
    require(actor, "plans.correct_milestone", milestone)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(
            {"reason": _("Explique el motivo de la corrección (al menos 10 caracteres).")}
        )
    if status not in MilestoneStatus.values:
        raise ValidationError({"status": _("Estatus no válido.")})
    value = None if progress in (None, "") else _clean_progress(progress)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    before = audit.snapshot(milestone, OFFICIAL_MILESTONE_FIELDS)
    milestone.progress = value
    milestone.status = status
    if milestone.reports_pending == 0:
        milestone.reported_progress = value
    milestone.save(update_fields=[*OFFICIAL_MILESTONE_FIELDS, "updated_at"])
    b, a = _diff(before, audit.snapshot(milestone, OFFICIAL_MILESTONE_FIELDS))
    if not a:
        raise ValidationError(_("La corrección no cambia nada."))
    _record(actor, "plans.correct_milestone", milestone, b, {**a, "reason": reason})
    return milestone


def recount_reports(milestones=None) -> int:
    """Recompute the report counters of milestones from their reports (bulk loads, repairs)."""
    qs = Milestone.objects.all() if milestones is None else milestones
    reports = ProgressReport.objects.all()
    if milestones is not None:
        reports = reports.filter(milestone_id__in=list(qs.values_list("id", flat=True)))
    counts = {
        row["milestone_id"]: row
        for row in reports.order_by()
        .values("milestone_id")
        .annotate(
            n=Count("id"),
            v=Count("id", filter=Q(status=ReportStatus.VALIDATED)),
            p=Count("id", filter=Q(status=ReportStatus.PENDING)),
            r=Count("id", filter=Q(status=ReportStatus.RETURNED)),
        )
    }
    changed = []
    for m in qs.only(
        "id", "reports_total", "reports_validated", "reports_pending", "reports_returned"
    ):
        row = counts.get(m.pk, {})
        new = (row.get("n", 0), row.get("v", 0), row.get("p", 0), row.get("r", 0))
        if new != (m.reports_total, m.reports_validated, m.reports_pending, m.reports_returned):
            m.reports_total, m.reports_validated, m.reports_pending, m.reports_returned = new
            changed.append(m)
    Milestone.objects.bulk_update(
        changed,
        ["reports_total", "reports_validated", "reports_pending", "reports_returned"],
        batch_size=2000,
    )
    return len(changed)


# ----------------------------------------------------------------------------- evidence

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Allowed extensions and the leading bytes their content must start with (None: text).
ALLOWED_EVIDENCE = {
    ".pdf": ("application/pdf", [b"%PDF-"]),
    ".png": ("image/png", [b"\x89PNG\r\n\x1a\n"]),
    ".jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    ".jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
    ".csv": ("text/csv", None),
    ".txt": ("text/plain", None),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", [b"PK\x03\x04"]),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [b"PK\x03\x04"]),
    ".odt": ("application/vnd.oasis.opendocument.text", [b"PK\x03\x04"]),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", [b"PK\x03\x04"]),
}  # fmt: skip


def check_upload(upload) -> str:
    """Validate size, extension and content signature; return the content type to serve."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("El archivo pesa más de 10 MB."))
    if upload.size == 0:
        raise ValidationError(_("El archivo está vacío."))
    ext = Path(upload.name or "").suffix.lower()
    if ext not in ALLOWED_EVIDENCE:
        allowed = ", ".join(sorted(ALLOWED_EVIDENCE))
        raise ValidationError(_("Tipo de archivo no permitido (use: %(a)s).") % {"a": allowed})
    content_type, magic = ALLOWED_EVIDENCE[ext]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if magic is None:
        if b"\x00" in head:
            raise ValidationError(_("El contenido no es texto."))
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            try:
                head[:-4].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValidationError(_("El texto no está en UTF-8.")) from exc
    elif not any(head.startswith(m) for m in magic):
        raise ValidationError(_("El contenido del archivo no corresponde a su extensión."))
    return content_type


def check_new_files(obj) -> None:
    """Uploaded documents (acta, minutes, plan documents) follow the evidence rules."""
    from django.db.models import FileField

    for field in obj._meta.concrete_fields:
        if isinstance(field, FileField):
            value = getattr(obj, field.name)
            if value and not getattr(value, "_committed", True):
                check_upload(value.file)


def _check_url(url: str) -> str:
    from django.core.validators import URLValidator

    url = (url or "").strip()
    URLValidator(schemes=["http", "https"])(url)
    return url


@transaction.atomic
def add_evidence(
    milestone: Milestone,
    *,
    actor,
    title: str,
    url: str = "",
    upload=None,
    report: ProgressReport | None = None,
    _checked: bool = False,
) -> Evidence:
    if not _checked:
        require(actor, "plans.add_evidence", milestone)
    title = (title or "").strip()[:200] or _("Evidencia")
    user = actor if getattr(actor, "is_authenticated", False) else None
    if upload is not None:
        content_type = check_upload(upload)
        evidence = Evidence(
            milestone=milestone,
            report=report,
            kind=EvidenceKind.FILE,
            title=title,
            content_type=content_type,
            size=upload.size,
            added_by=user,
        )
        evidence.file.save(upload.name, upload, save=False)
    else:
        try:
            clean_url = _check_url(url)
        except ValidationError as exc:
            raise ValidationError({"url": _("Enlace no válido (use http o https).")}) from exc
        evidence = Evidence(
            milestone=milestone, report=report, kind=EvidenceKind.LINK, title=title,
            url=clean_url, added_by=user,
        )  # fmt: skip
    evidence.save()
    _record(actor, "plans.add_evidence", evidence, None,
            audit.snapshot(evidence, ["kind", "title", "url", "content_type", "size"]))  # fmt: skip
    return evidence


# ----------------------------------------------------------------------------- bulk edit CSV

EXPORT_COLUMNS = [
    "id",
    "entidad",
    "plan",
    "compromiso_id",
    "compromiso",
    "numero",
    "titulo",
    "peso",
    "avance",
    "avance_reportado",
    "estatus",
    "fecha_inicio",
    "fecha_fin",
    "evidencia",
]
IMPORT_REQUIRED = ["id", "compromiso_id", "titulo", "peso", "avance", "estatus", "fecha_inicio",
                   "fecha_fin"]  # fmt: skip
IMPORT_COLUMNS_DOC = ",".join(EXPORT_COLUMNS)
_STATUS_ALIASES = {normalize(s.value): s.value for s in MilestoneStatus} | {
    normalize(str(s.label)): s.value for s in MilestoneStatus
}


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def milestones_for_export(entity=None):
    qs = Milestone.objects.select_related("commitment__plan__entity").order_by(
        "commitment__plan__entity__code", "commitment__plan__sequence", "commitment__number",
        "number", "id",
    )  # fmt: skip
    if entity is not None:
        qs = qs.filter(commitment__plan__entity=entity)
    return qs


def export_milestones(stdout: IO[str], entity=None, progress=None) -> int:
    """Write the milestones (of one entity, or all) as CSV: the bulk-edit schema."""
    from cocrea.territory.models import Entity

    if isinstance(entity, str) and entity:
        entity = Entity.objects.get(code=entity.zfill(2))
    writer = csv.writer(stdout, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for m in milestones_for_export(entity or None).iterator(chunk_size=2000):
        c = m.commitment
        writer.writerow([
            m.pk, c.plan.entity.code, c.plan.sequence, c.pk, c.title, m.number, m.title,
            _fmt(m.weight), _fmt(m.progress), _fmt(m.reported_progress), m.status,
            _fmt(m.start_date), _fmt(m.end_date),
        ])  # fmt: skip
        count += 1
        if progress and count % 500 == 0:
            progress(count)
    return count


def _parse_decimal(raw: str, *, low: Decimal, high: Decimal, low_open: bool = False):
    value = Decimal(raw.replace(",", "."))
    if not value.is_finite():
        raise InvalidOperation
    if value < low or value > high or (low_open and value == low):
        raise ValueError
    return value.quantize(Decimal("0.01"))


def _parse_date(raw: str):
    return date.fromisoformat(raw) if raw else None


def import_milestones(source, actor=None, progress=None) -> ImportResult:
    """Read the bulk-edit CSV back: rows with `id` update, rows without one create.

    All or nothing: every row is validated first and every problem reported with its line
    and field; then all changes are written in one transaction, each one audited.
    Informational columns (entidad, plan, compromiso, avance_reportado) are ignored.
    A row without `id` whose title already exists in the commitment updates that milestone,
    so re-importing the same file changes nothing the second time.

    The import never writes an official figure. An `avance` that differs from the
    milestone's validated and reported figures becomes a progress report on the importer's
    side (`submit_report`), pending the counterpart's validation; the importer must be on
    the milestone's responsible side, and `evidencia` (a link) is required where the plan
    asks reports for evidence. `estatus` cannot conclude, cancel or reopen a milestone:
    it changes only through validated reports or a coordinator's correction.
    """
    require(actor, "plans.import_milestones")
    stream = open_text(source)
    errors: list[RowError] = []
    rows = list(read_rows(stream, IMPORT_REQUIRED))
    ids = set()
    commitment_ids = set()
    for _line, row in rows:
        if row.get("id", "").isdigit():
            ids.add(int(row["id"]))
        if row.get("compromiso_id", "").isdigit():
            commitment_ids.add(int(row["compromiso_id"]))
    existing = {
        m.pk: m
        for m in Milestone.objects.filter(pk__in=ids).select_related("commitment__plan__entity")
    }
    commitments = {
        c.pk: c
        for c in Commitment.objects.filter(pk__in=commitment_ids).select_related("plan__entity")
    }
    by_title: dict[tuple[int, str], Milestone] = {}
    for m in Milestone.objects.filter(commitment_id__in=commitment_ids):
        by_title.setdefault((m.commitment_id, normalize(m.title)), m)
    allowed_entity: dict[int, bool] = {}
    seen_ids: dict[int, int] = {}
    seen_titles: dict[tuple[int, str], int] = {}
    planned: list[tuple[int, Milestone | None, dict]] = []
    total = len(rows)
    for index, (line, row) in enumerate(rows, start=1):
        if progress and index % 500 == 0:
            progress("validando", index, total)
        if row.get("__extra__"):
            errors.append(RowError(line, "", "la fila tiene más columnas que el encabezado"))
            continue
        row_errors: list[RowError] = []
        target: Milestone | None = None
        raw_id = row.get("id", "")
        if raw_id:
            if not raw_id.isdigit() or int(raw_id) not in existing:
                row_errors.append(RowError(line, "id", f"«{raw_id}» no es un hito existente"))
            else:
                target = existing[int(raw_id)]
                if int(raw_id) in seen_ids:
                    row_errors.append(
                        RowError(
                            line, "id", f"repetido (ya aparece en la línea {seen_ids[int(raw_id)]})"
                        )
                    )
                seen_ids[int(raw_id)] = line
        raw_c = row.get("compromiso_id", "")
        commitment = None
        if not raw_c:
            row_errors.append(RowError(line, "compromiso_id", "está vacío"))
        elif not raw_c.isdigit() or int(raw_c) not in commitments:
            row_errors.append(
                RowError(line, "compromiso_id", f"«{raw_c}» no es un compromiso existente")
            )
        else:
            commitment = commitments[int(raw_c)]
            if target is not None and target.commitment_id != commitment.pk:
                row_errors.append(
                    RowError(
                        line,
                        "compromiso_id",
                        "no coincide con el compromiso del hito (no se puede mover un hito)",
                    )
                )
            entity_id = commitment.plan.entity_id
            if entity_id not in allowed_entity:
                allowed_entity[entity_id] = can(actor, "plans.change_milestone", commitment)
            if not allowed_entity[entity_id]:
                row_errors.append(
                    RowError(
                        line, "compromiso_id", "no tiene permiso para editar hitos de esta entidad"
                    )
                )
        title = " ".join(row.get("titulo", "").split())
        if not title:
            row_errors.append(RowError(line, "titulo", "está vacío"))
        elif len(title) > 300:
            row_errors.append(RowError(line, "titulo", "tiene más de 300 caracteres"))
        values: dict = {"title": title}
        try:
            values["weight"] = _parse_decimal(
                row.get("peso", ""), low=Decimal(0), high=Decimal("9999.99"), low_open=True
            )
        except (InvalidOperation, ValueError):
            row_errors.append(
                RowError(line, "peso", f"«{row.get('peso', '')}» debe ser un número mayor que 0")
            )
        raw_avance = row.get("avance", "")
        try:
            values["progress"] = (
                _parse_decimal(raw_avance.rstrip("%"), low=Decimal(0), high=Decimal(100))
                if raw_avance
                else None
            )
        except (InvalidOperation, ValueError):
            row_errors.append(
                RowError(
                    line, "avance", f"«{raw_avance}» debe ser un número de 0 a 100 o quedar vacío"
                )
            )
        status = _STATUS_ALIASES.get(normalize(row.get("estatus", "")))
        if status is None:
            allowed = ", ".join(s.value for s in MilestoneStatus)
            row_errors.append(
                RowError(
                    line, "estatus", f"«{row.get('estatus', '')}» no es válido (use: {allowed})"
                )
            )
        evidence_url = row.get("evidencia", "").strip()
        if evidence_url:
            try:
                evidence_url = _check_url(evidence_url)
            except ValidationError:
                row_errors.append(
                    RowError(line, "evidencia", f"«{evidence_url}» no es un enlace http(s)")
                )
        for column, key in (("fecha_inicio", "start_date"), ("fecha_fin", "end_date")):
            try:
                values[key] = _parse_date(row.get(column, ""))
            except ValueError:
                row_errors.append(
                    RowError(line, column, f"«{row.get(column)}» no es una fecha AAAA-MM-DD")
                )
        if (
            values.get("start_date")
            and values.get("end_date")
            and values["start_date"] > values["end_date"]
        ):
            row_errors.append(RowError(line, "fecha_fin", "es anterior a fecha_inicio"))
        raw_number = row.get("numero", "")
        if raw_number:
            if raw_number.isdigit() and 0 < int(raw_number) < 1000:
                values["number"] = int(raw_number)
            else:
                row_errors.append(
                    RowError(line, "numero", f"«{raw_number}» debe ser un entero de 1 a 999")
                )
        if target is None and not raw_id and commitment is not None and title:
            key = (commitment.pk, normalize(title))
            if key in seen_titles:
                row_errors.append(
                    RowError(
                        line, "titulo", f"repetido en el compromiso (línea {seen_titles[key]})"
                    )
                )
            seen_titles[key] = line
            target = by_title.get(key)
            if target is not None and target.pk in seen_ids:
                row_errors.append(
                    RowError(
                        line, "titulo", f"el hito ya aparece en la línea {seen_ids[target.pk]}"
                    )
                )
        report_value = None
        if not row_errors and commitment is not None:
            report_value, expected_status, report_errors = _planned_report(
                line, target, commitment, values.pop("progress"), evidence_url, actor
            )
            row_errors.extend(report_errors)
            decided = (MilestoneStatus.COMPLETE, MilestoneStatus.CANCELLED)
            # «no iniciado» / «en proceso» follow the reports by themselves; concluding or
            # cancelling (or reopening) is a decision the import cannot make.
            if (
                status is not None
                and status != expected_status
                and (status in decided or expected_status in decided)
            ):
                row_errors.append(
                    RowError(
                        line,
                        "estatus",
                        f"«{status}» no corresponde: el hito está «{expected_status}»; concluye "
                        "al validarse un reporte de 100 % y solo la coordinación nacional "
                        "lo cancela o lo corrige",
                    )
                )
        if row_errors:
            errors.extend(row_errors)
            continue
        planned.append(
            (line, target, {**values, "commitment": commitment},
             (report_value, evidence_url))
        )  # fmt: skip
    if errors:
        raise ImportFailed(errors)

    result = ImportResult()
    touched_plans: dict[int, ActionPlan] = {}
    with transaction.atomic():
        next_number: dict[int, int] = {}
        for index, (_line, target, values, (report_value, evidence_url)) in enumerate(
            planned, start=1
        ):
            if progress and index % 200 == 0:
                progress("guardando", index, len(planned))
            commitment = values.pop("commitment")
            if target is None:
                if "number" not in values:
                    if commitment.pk not in next_number:
                        last = (
                            commitment.milestones.order_by("-number")
                            .values_list("number", flat=True)
                            .first()
                        )
                        next_number[commitment.pk] = last or 0
                    next_number[commitment.pk] += 1
                    values["number"] = next_number[commitment.pk]
                m = Milestone(commitment=commitment, **values)
                m.save()
                _record(
                    actor,
                    "plans.import_create_milestone",
                    m,
                    None,
                    audit.snapshot(m, MILESTONE_FIELDS),
                )
                result.created += 1
                touched_plans[commitment.plan_id] = commitment.plan
                _import_report(m, actor, report_value, evidence_url)
                continue
            before = audit.snapshot(target, MILESTONE_FIELDS)
            for key, value in values.items():
                setattr(target, key, value)
            b, a = _diff(before, audit.snapshot(target, MILESTONE_FIELDS))
            if not a and report_value is None:
                result.unchanged += 1
                continue
            if a:
                target.save()
                _record(actor, "plans.import_change_milestone", target, b, a)
                if set(a) & set(VERSIONED_MILESTONE_FIELDS):
                    touched_plans[commitment.plan_id] = commitment.plan
            _import_report(target, actor, report_value, evidence_url)
            result.updated += 1
        for plan in touched_plans.values():
            refresh_plan_version(plan, actor, summary=_("Cambios por importación de hitos"))
    return result


def _planned_report(line, target, commitment, value, evidence_url, actor):
    """What an import row's `avance` does: (figure to report or None, status after, errors)."""
    errors: list[RowError] = []
    current = target.status if target is not None else MilestoneStatus.NOT_STARTED
    known = {target.progress, target.reported_progress} if target is not None else {None}
    if value is None or value in known:
        return None, current, errors
    # A new milestone is responsible to the default side until someone changes it.
    probe = target if target is not None else Milestone(commitment=commitment)
    if not can(actor, "plans.report_progress", probe):
        errors.append(
            RowError(
                line,
                "avance",
                "solo el sector responsable del hito puede reportar avance "
                "(el avance validado lo fija la contraparte al validar el reporte)",
            )
        )
    if commitment.plan.reports_require_evidence and not evidence_url:
        errors.append(
            RowError(line, "evidencia", "el plan exige evidencia: indique un enlace para el avance")
        )
    after = (
        MilestoneStatus.IN_PROGRESS
        if current == MilestoneStatus.NOT_STARTED and value > 0
        else current
    )
    return value, after, errors


def _import_report(milestone, actor, value, evidence_url) -> None:
    if value is None:
        return
    submit_report(
        milestone,
        actor=actor,
        text=_("Avance reportado por importación masiva de hitos."),
        progress=value,
        links=[(_("Evidencia"), evidence_url)] if evidence_url else [],
    )


def export_to_string(entity=None) -> str:
    buffer = io.StringIO()
    export_milestones(buffer, entity=entity)
    return buffer.getvalue()


def check_actor_role(actor) -> None:
    """Imports by people need a back-office role (the CLI runs as the system)."""
    if actor is not None and not (
        memberships.has_role(actor, Role.NATIONAL_COORDINATOR) or memberships.seats(actor)
    ):
        raise PermissionDenied
