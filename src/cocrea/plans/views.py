"""Public tracking pages (/seguimiento/) and the thin write views of the two-key reports."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cocrea.accounts.permissions import can
from cocrea.territory.models import Entity

from . import charts, pdf, rollup, selectors, services
from .forms import EvidenceForm, ReportForm, ReturnForm
from .models import (
    VALUE_FIELDS,
    CommitmentStatus,
    Evidence,
    EvidenceKind,
    Milestone,
    OGValue,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    Secretariat,
)
from .rules import side_of


def _clean_filters(request) -> dict:
    get = request.GET
    entity = get.get("entidad", "").strip()
    plan = get.get("plan", "").strip()
    value = get.get("valor", "").strip()
    status = get.get("estatus", "").strip()
    level = get.get("nivel", "").strip()
    return {
        "level": level if level in selectors.LEVELS else "estatal",
        "entity": entity.zfill(2) if entity.isdigit() and len(entity) <= 2 else None,
        "plan": int(plan) if plan.isdigit() and len(plan) < 3 else None,
        "value": value if value in VALUE_FIELDS else None,
        "status": status if status in CommitmentStatus.values else None,
    }


def board(request):
    filters = _clean_filters(request)
    data = selectors.board(**filters)
    chart = charts.progress_bars(
        [
            (
                r.entity.common_name,
                f"{r.entity.slug}/",
                r.figures.progress,
                r.figures.reported,
                f"{r.figures.overdue}",
            )
            for r in data.rows
        ]
    )
    return render(
        request,
        "plans/board.html",
        {
            "board": data,
            "chart": chart,
            "filters": filters,
            "entities": Entity.objects.filter(action_plans__isnull=False)
            .distinct()
            .order_by("code"),
            "values": OGValue.choices,
            "statuses": CommitmentStatus.choices,
            "plan_numbers": [1, 2, 3],
        },
    )


def methodology(request):
    return render(request, "plans/methodology.html", {"rule": rollup.RULE_TEXT})


def entity_plans(request, slug):
    entity, plan_views, total = selectors.entity_plans(slug)
    return render(
        request, "plans/entity.html", {"entity": entity, "plans": plan_views, "total": total}
    )


def municipality_plans(request, slug, municipality):
    place, plan_views, total = selectors.municipality_plans(slug, municipality)
    return render(
        request,
        "plans/entity.html",
        {"entity": place.entity, "municipality": place, "plans": plan_views, "total": total},
    )


def secretariat(request, slug):
    entity = get_object_or_404(Entity, slug=slug)
    sec = (
        Secretariat.objects.filter(entity=entity)
        .prefetch_related(
            "members__organization", "sessions__agreements__responsible__organization"
        )
        .first()
    )
    sessions = []
    if sec:
        sessions = sorted(sec.sessions.all(), key=lambda s: (s.date, s.number), reverse=True)
    return render(
        request,
        "plans/secretariat.html",
        {"entity": entity, "secretariat": sec, "sessions": sessions},
    )


def plan_detail(request, pk):
    plan, group, items, versions, documents = selectors.plan_detail(pk)
    return render(
        request,
        "plans/plan.html",
        {
            "plan": plan,
            "group": group,
            "items": items,
            "versions": versions,
            "documents": documents,
        },
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def plan_pdf(request, pk):
    plan, group, items, _versions, _documents = selectors.plan_detail(pk)
    base = request.build_absolute_uri("/")
    return _pdf_response(pdf.plan_pdf(plan, items, group, base_url=base), f"plan-{plan.pk}.pdf")


def commitment_pdf(request, pk):
    commitment = get_object_or_404(
        selectors.public_commitments().select_related(
            "plan__entity", "plan__municipality", "responsible_authority"
        ),
        pk=pk,
    )
    base = request.build_absolute_uri("/")
    return _pdf_response(
        pdf.commitment_pdf(commitment, base_url=base), f"compromiso-{commitment.pk}.pdf"
    )


def commitment_detail(request, pk):
    commitment, milestones, figures, timeline = selectors.commitment_detail(pk)
    user = request.user
    side = side_of(user, commitment)
    is_member = side is not None
    for m in milestones:
        m.overdue = m.is_overdue(_today())
        m.can_report = is_member and side == m.responsible_side and m.status != "cancelado"
        m.can_add_evidence = is_member
        for r in m.reports.all():
            # The counterpart sees what backs the figure before validating it.
            r.evidence_items = [e for e in m.evidence.all() if e.report_id == r.pk]
            r.can_review = (
                is_member
                and r.status == ReportStatus.PENDING
                and side == r.validating_side
                and r.reported_by_id != user.pk
            )
    timeline_rows = [
        {
            "when": e.created_at,
            "who": e.actor_label,
            "what": selectors.TIMELINE_ACTIONS.get(e.action, e.action),
            "object": e.object_repr,
            "changes": [
                (label, (e.before or {}).get(key), (e.after or {}).get(key))
                for key, label in selectors.TIMELINE_FIELDS.items()
                if key in (e.after or {}) or key in (e.before or {})
            ],
        }
        for e in timeline
    ]
    chart = charts.progress_bars(
        [
            (
                m.title[:38],
                f"#hito-{m.pk}",
                float(m.progress or 0),
                float(
                    m.reported_progress if m.reported_progress is not None else (m.progress or 0)
                ),
                "",
            )
            for m in milestones
            if m.status != "cancelado"
        ],  # fmt: skip
        label_w=260,
        width=700,
    )
    return render(
        request,
        "plans/commitment.html",
        {
            "commitment": commitment,
            "plan": commitment.plan,
            "entity": commitment.plan.entity,
            "milestones": milestones,
            "figures": figures,
            "timeline": timeline_rows,
            "chart": chart,
            "report_form": ReportForm(),
            "return_form": ReturnForm(),
            "evidence_form": EvidenceForm(),
        },
    )


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _need_login(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _back(obj_commitment_id: int, anchor: str = ""):
    from django.urls import reverse

    return redirect(reverse("plans:commitment", kwargs={"pk": obj_commitment_id}) + anchor)


def report_new(request, pk):
    if response := _need_login(request):
        return response
    milestone = get_object_or_404(
        Milestone.objects.select_related("commitment__plan__entity"), pk=pk
    )
    if not can(request.user, "plans.report_progress", milestone):
        raise PermissionDenied
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        links = (
            [(data["link_title"] or data["link_url"], data["link_url"])] if data["link_url"] else []
        )
        files = [data["file"]] if data.get("file") else []
        try:
            services.submit_report(
                milestone,
                actor=request.user,
                text=data["text"],
                progress=data["progress"],
                report_date=data.get("date"),
                links=links,
                files=files,
            )
        except ValidationError as exc:
            # Service errors name fields of the service (e.g. `evidence`), not of the form.
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Reporte enviado: queda pendiente de validación."))
            return _back(milestone.commitment_id, f"#hito-{milestone.pk}")
    return render(
        request,
        "plans/report_form.html",
        {"form": form, "milestone": milestone},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def report_review(request, pk, decision):
    if decision not in ("validar", "devolver"):
        raise Http404
    if response := _need_login(request):
        return response
    report = get_object_or_404(
        ProgressReport.objects.select_related("milestone__commitment__plan__entity"), pk=pk
    )
    if not can(request.user, "plans.validate_report", report):
        raise PermissionDenied
    try:
        if decision == "validar":
            services.validate_report(report, actor=request.user)
            messages.success(request, _("Reporte validado."))
        else:
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Indique el motivo de la devolución."))
                return _back(report.milestone.commitment_id, f"#hito-{report.milestone_id}")
            services.return_report(report, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Reporte devuelto con su motivo."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(report.milestone.commitment_id, f"#hito-{report.milestone_id}")


@require_POST
def evidence_add(request, pk):
    if response := _need_login(request):
        return response
    milestone = get_object_or_404(
        Milestone.objects.select_related("commitment__plan__entity"), pk=pk
    )
    if not can(request.user, "plans.add_evidence", milestone):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_evidence(
                milestone, actor=request.user, title=data["title"], url=data.get("url") or "",
                upload=data.get("file"),
            )  # fmt: skip
            messages.success(request, _("Evidencia agregada."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponse(" ".join(exc.messages), status=400)
    else:
        return HttpResponse(str(form.errors), status=400)
    return _back(milestone.commitment_id, f"#hito-{milestone.pk}")


def evidence_download(request, pk):
    evidence = get_object_or_404(
        Evidence.objects.exclude(milestone__commitment__plan__status=PlanStatus.DRAFT), pk=pk
    )
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    ext = evidence.file.name.rsplit(".", 1)[-1] if "." in evidence.file.name else "bin"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"evidencia-{evidence.pk}.{ext}",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


DOCUMENTS = {
    # kind in the URL: (model, file field, public queryset filter)
    "acta": ("Secretariat", "installation_act", {}),
    "minuta": ("Session", "minutes", {}),
    "plan": ("ActionPlan", "document", {"status__in": ["publicado", "implementacion", "cerrado"]}),
    "documento": (
        "PlanDocument",
        "file",
        {"plan__status__in": ["publicado", "implementacion", "cerrado"]},
    ),
}


def document_download(request, kind, pk):
    """Uploaded secretariat and plan documents, always as attachments."""
    from django.apps import apps

    if kind not in DOCUMENTS:
        raise Http404
    model_name, field, public = DOCUMENTS[kind]
    obj = get_object_or_404(apps.get_model("plans", model_name).objects.filter(**public), pk=pk)
    file = getattr(obj, field)
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    ext = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else "bin"
    content_type = services.ALLOWED_EVIDENCE.get(f".{ext}", ("application/octet-stream",))[0]
    response = FileResponse(
        handle, as_attachment=True, filename=f"{kind}-{obj.pk}.{ext}", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ----------------------------------------------------------------------------- CSV downloads


def _csv_response(name: str) -> tuple[HttpResponse, csv.writer]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    return response, csv.writer(response, lineterminator="\n")


def _entity_param(request) -> str | None:
    code = request.GET.get("entidad", "").strip()
    return code.zfill(2) if code.isdigit() and len(code) <= 2 else None


def _municipio_param(request) -> str | None:
    code = request.GET.get("municipio", "").strip()
    return code if code.isdigit() and len(code) == 5 else None


def _municipality_cells(plan) -> list[str]:
    """INEGI's five-digit key and name of a municipal plan; empty for an entity's plan."""
    m = plan.municipality if plan.municipality_id else None
    return [m.code, m.name] if m else ["", ""]


def plans_csv(request):
    response, writer = _csv_response("planes.csv")
    writer.writerow(["id", "entidad", "entidad_nombre", "municipio", "municipio_nombre", "plan",
                     "titulo", "estatus", "inicio", "fin", "version", "compromisos",
                     "avance_validado", "avance_reportado", "hitos_vencidos"])  # fmt: skip
    for p, g in selectors.plans_api(_entity_param(request), _municipio_param(request)):
        writer.writerow([p.pk, p.entity.code, p.entity.common_name, *_municipality_cells(p),
                         p.sequence, p.title, p.status,
                         p.period_start or "", p.period_end or "", p.version, g.commitments,
                         f"{g.progress:.2f}", f"{g.reported:.2f}", g.overdue])  # fmt: skip
    return response


def commitments_csv(request):
    response, writer = _csv_response("compromisos.csv")
    writer.writerow(["id", "entidad", "municipio", "municipio_nombre", "plan", "numero", "titulo",
                     "valores", "autoridad_responsable", "corresponsable", "inicio", "fin", "peso",
                     "estatus", "avance_validado", "avance_reportado", "hitos",
                     "hitos_sin_reporte", "hitos_vencidos"])  # fmt: skip
    rows = selectors.commitments_api(_entity_param(request), _municipio_param(request))
    orgs = _org_names(c for c, _ in rows)
    for c, f in rows:
        writer.writerow([c.pk, c.plan.entity.code, *_municipality_cells(c.plan), c.plan.sequence,
                         c.number, c.title,
                         ";".join(c.values), orgs.get(c.responsible_authority_id, ""),
                         orgs.get(c.co_responsible_id, ""), c.start_date or "", c.end_date or "",
                         c.weight, c.status, f"{f.progress:.2f}", f"{f.reported:.2f}",
                         f.milestones, f.no_report, f.overdue])  # fmt: skip
    return response


def _org_names(commitments) -> dict:
    from cocrea.participants.models import Organization

    ids = set()
    for c in commitments:
        ids.update(i for i in (c.responsible_authority_id, c.co_responsible_id) if i)
    return dict(Organization.objects.filter(pk__in=ids).values_list("id", "name"))


def milestones_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hitos.csv"'
    code = _entity_param(request)
    entity = Entity.objects.filter(code=code).first() if code else None
    if code and entity is None:
        raise Http404
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(services.EXPORT_COLUMNS)
    qs = services.milestones_for_export(entity).exclude(commitment__plan__status=PlanStatus.DRAFT)
    for m in qs.iterator(chunk_size=2000):
        c = m.commitment
        writer.writerow([m.pk, c.plan.entity.code, c.plan.sequence, c.pk, c.title, m.number,
                         m.title, services._fmt(m.weight), services._fmt(m.progress),
                         services._fmt(m.reported_progress), m.status,
                         services._fmt(m.start_date), services._fmt(m.end_date)])  # fmt: skip
    return response


def plan_by_sequence(request, slug, sequence):
    plan = get_object_or_404(
        selectors.public_plans(), entity__slug=slug, municipality__isnull=True, sequence=sequence
    )
    return redirect(plan.get_absolute_url())
