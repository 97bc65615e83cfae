"""Public evaluation pages (/evaluacion/) and the thin write views of evaluators and secretariats."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cocrea.accounts import selectors as memberships
from cocrea.accounts.permissions import can
from cocrea.plans import selectors as plan_selectors
from cocrea.plans.models import ActionPlan, Evidence, EvidenceKind, Milestone, ProgressReport
from cocrea.territory.models import Entity

from . import charts, pdf, scoring, selectors, services, standards
from .forms import AssessmentForm, CorrectionForm, ReplyForm, SendForm, StandardForm
from .models import Appointment, Assessment, Review, ReviewStatus, Stage

INDICATOR_LABELS = dict(selectors.INDICATORS)


def _int(value, digits=4):
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= digits else None


def national(request):
    get = request.GET
    value = get.get("valor", "").strip()
    filters = {
        "plan": _int(get.get("plan"), 2),
        "value": value if value in ("access", "participation", "accountability") else None,
        "year": _int(get.get("anio")),
    }
    indicator = get.get("indicador", "starred")
    if indicator not in INDICATOR_LABELS:
        indicator = "starred"
    data = selectors.national(**filters)
    chart = charts.share_bars(
        [(r.entity.common_name, f"{r.entity.slug}/", r.shares.pct(indicator)) for r in data.rows]
    )
    line = charts.share_line([(y, s.pct(indicator)) for y, s in data.by_year])
    return render(
        request,
        "evaluation/national.html",
        {
            "data": data,
            "indicators": selectors.INDICATORS,
            "indicator": indicator,
            "indicator_label": INDICATOR_LABELS[indicator],
            "chart": chart,
            "line": line,
            "mga": selectors.metrica_gobierno_abierto(),
            "star_rule": scoring.STAR_RULE,
            "filters": {
                "plan": filters["plan"] or "",
                "valor": filters["value"] or "",
                "anio": filters["year"] or "",
            },  # fmt: skip
        },
    )


def entity(request, slug):
    ent = get_object_or_404(Entity, slug=slug)
    return render(
        request,
        "evaluation/entity.html",
        {
            "entity": ent,
            "plans": selectors.entity_reviews(ent),
            "data": selectors.national(entity=ent),
            "indicators": selectors.INDICATORS,
        },
    )


def plan(request, pk):
    obj = get_object_or_404(plan_selectors.public_plans().select_related("entity"), pk=pk)
    return render(
        request,
        "evaluation/plan.html",
        {"plan": obj, "ev": selectors.plan_evaluation(obj), "star_rule": scoring.STAR_RULE},
    )


def _visible_review(request, pk):
    review = selectors.review_with_rows(pk)
    if review.is_public:
        return review
    user = request.user
    if not user.is_authenticated:
        raise Http404
    if can(user, "evaluation.view_plan_private", review.plan) or (
        review.status == ReviewStatus.COMMENTS and can(user, "evaluation.reply_review", review)
    ):
        return review
    raise Http404


def review(request, pk):
    obj = _visible_review(request, pk)
    user = request.user
    editable = user.is_authenticated and can(user, "evaluation.edit_review", obj)
    replying = user.is_authenticated and can(user, "evaluation.reply_review", obj)
    assessments = selectors.assessments_of(obj)
    variables = selectors.variables_for(obj)
    items = []
    for a in assessments:
        replies = {r.variable: r for r in a.replies.all()}
        items.append(
            {
                "a": a,
                "form": AssessmentForm(instance=a, stage=obj.stage) if editable else None,
                "replies": [(v, replies.get(v)) for v in variables],
            }
        )
    context = {
        "review": obj,
        "items": items,
        "editable": editable,
        "replying": replying,
        "can_send": user.is_authenticated and can(user, "evaluation.send_review", obj),
        "can_publish": user.is_authenticated and can(user, "evaluation.publish_review", obj),
        "can_correct": user.is_authenticated and can(user, "evaluation.correct_review", obj),
        "send_form": SendForm(),
        "correction_form": CorrectionForm(),
        "standard_form": StandardForm(),
        "standards": list(obj.standards.all()),
        "figures": standards.process_figures(obj.process, obj.plan) if obj.process_id else [],
        "unanswered": services.unanswered(obj) if obj.status == ReviewStatus.COMMENTS else 0,
        "completion_rule": scoring.COMPLETION_RULE,
        "versions": list(
            obj.plan.reviews.filter(stage=obj.stage, status__in=["publicada", "sustituida"])
        ),
    }
    return render(request, "evaluation/review.html", context)


def report(request, pk):
    obj = selectors.review_with_rows(pk)
    if not obj.is_public:
        raise Http404
    return render(request, "evaluation/report.html", pdf.report_context(obj))


def report_pdf(request, pk):
    obj = selectors.review_with_rows(pk)
    if not obj.is_public:
        raise Http404
    response = HttpResponse(pdf.report_pdf(obj), content_type="application/pdf")
    name = f"evaluacion-{obj.plan.entity.slug}-plan{obj.plan.sequence}-{obj.stage}-v{obj.version}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


# ------------------------------------------------------------------------ evaluator workspace


def _need_login(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def workspace(request):
    if response := _need_login(request):
        return response
    appointments = list(
        Appointment.objects.filter(user=request.user, ended_at__isnull=True)
        .select_related("plan__entity", "organization")
        .order_by("plan__entity__code", "plan__sequence", "stage")
    )
    reviews = {
        (r.plan_id, r.stage): r
        for a in appointments
        for r in a.plan.reviews.filter(stage=a.stage).order_by("version")
    }
    items = [(a, reviews.get((a.plan_id, a.stage))) for a in appointments]
    seat_reviews = []
    entity_ids = memberships.member_entity_ids(request.user)
    if entity_ids:
        seat_reviews = [  # the reviews of the plans of the person's own level
            r
            for r in Review.objects.filter(
                plan__entity_id__in=entity_ids, status=ReviewStatus.COMMENTS
            ).select_related("plan__entity", "plan__municipality")
            if can(request.user, "evaluation.reply_review", r)
        ]
    return render(
        request, "evaluation/workspace.html", {"items": items, "seat_reviews": seat_reviews}
    )


def workspace_plan(request, pk):
    """Everything of the plan, public or not, for its evaluators (read only)."""
    if response := _need_login(request):
        return response
    obj = get_object_or_404(ActionPlan.objects.select_related("entity"), pk=pk)
    if not can(request.user, "evaluation.view_plan_private", obj):
        raise PermissionDenied
    commitments = list(obj.commitments.select_related("responsible_authority"))
    progress = services.commitment_progress(commitments)
    milestones = list(
        Milestone.objects.filter(commitment__plan=obj).order_by("commitment", "number")
    )
    reports = list(
        ProgressReport.objects.filter(milestone__commitment__plan=obj).order_by("-date", "-id")
    )
    evidence = list(Evidence.objects.filter(milestone__commitment__plan=obj).order_by("id"))
    by_c: dict[int, list] = {}
    for m in milestones:
        m.all_reports = [r for r in reports if r.milestone_id == m.pk]
        m.all_evidence = [e for e in evidence if e.milestone_id == m.pk]
        by_c.setdefault(m.commitment_id, []).append(m)
    rows = [(c, progress[c.pk], by_c.get(c.pk, [])) for c in commitments]
    return render(request, "evaluation/workspace_plan.html", {"plan": obj, "rows": rows})


def evidence_file(request, pk):
    """An evidence file of any plan, published or not, for the plan's evaluators."""
    if response := _need_login(request):
        return response
    evidence = get_object_or_404(
        Evidence.objects.select_related("milestone__commitment__plan__entity"), pk=pk
    )
    if not can(request.user, "evaluation.view_plan_private", evidence.milestone.commitment.plan):
        raise PermissionDenied
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    ext = evidence.file.name.rsplit(".", 1)[-1] if "." in evidence.file.name else "bin"
    response = FileResponse(
        handle, as_attachment=True, filename=f"evidencia-{evidence.pk}.{ext}",
        content_type=evidence.content_type or "application/octet-stream",
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _act(request, obj, action, ok_message, *args, **kwargs):
    try:
        action(*args, actor=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    except PermissionDenied:
        raise
    messages.success(request, ok_message)
    return True


@require_POST
def start(request, pk, stage):
    if response := _need_login(request):
        return response
    obj = get_object_or_404(ActionPlan, pk=pk)
    if stage not in Stage.values:
        raise Http404
    process = None
    if stage == Stage.DESIGN:  # the co-creation process of the plan's own level
        process = (
            obj.entity.cocreation_processes.filter(municipality=obj.municipality)
            .order_by("-cycle")
            .first()
        )
    try:
        created = services.start_review(obj, stage, actor=request.user, process=process)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evaluation:workspace")
    return redirect(created.get_absolute_url())


@require_POST
def rate(request, pk):
    if response := _need_login(request):
        return response
    a = get_object_or_404(Assessment.objects.select_related("review__plan__entity"), pk=pk)
    form = AssessmentForm(
        request.POST, instance=Assessment.objects.get(pk=pk), stage=a.review.stage
    )
    if form.is_valid():
        _act(request, a, services.save_assessment, _("Valoración guardada."), a, **form.values())
    else:
        messages.error(request, _("Revise los campos de la valoración."))
    return redirect(a.review.get_absolute_url() + f"#c{a.commitment_id}")


@require_POST
def standard(request, pk):
    if response := _need_login(request):
        return response
    obj = selectors.review_with_rows(pk)
    form = StandardForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _act(request, obj, services.save_standard, _("Estándar valorado."), obj, d["standard"],
             met=d["met"], justification=d["justification"])  # fmt: skip
    else:
        messages.error(request, _("Justifique la valoración del estándar."))
    return redirect(obj.get_absolute_url() + "#estandares")


@require_POST
def send(request, pk):
    if response := _need_login(request):
        return response
    obj = selectors.review_with_rows(pk)
    form = SendForm(request.POST)
    if form.is_valid():
        _act(request, obj, services.send_for_comments,
             _("Enviada al secretariado para su réplica."), obj,
             reply_due=form.cleaned_data["reply_due"])  # fmt: skip
    else:
        messages.error(request, _("Indique la fecha límite de réplica."))
    return redirect(obj.get_absolute_url())


@require_POST
def publish(request, pk):
    if response := _need_login(request):
        return response
    obj = selectors.review_with_rows(pk)
    _act(request, obj, services.publish, _("Revisión publicada."), obj)
    return redirect(obj.get_absolute_url())


@require_POST
def correct(request, pk):
    if response := _need_login(request):
        return response
    obj = selectors.review_with_rows(pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Explique qué se corrige."))
        return redirect(obj.get_absolute_url())
    try:
        new = services.start_correction(obj, actor=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(obj.get_absolute_url())
    return redirect(new.get_absolute_url())


@require_POST
def reply(request, pk):
    if response := _need_login(request):
        return response
    a = get_object_or_404(Assessment.objects.select_related("review__plan__entity"), pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        _act(request, a, services.reply, _("Réplica registrada."), a,
             form.cleaned_data["variable"], form.cleaned_data["text"])  # fmt: skip
    else:
        messages.error(request, _("Escriba la réplica."))
    return redirect(a.review.get_absolute_url() + f"#c{a.commitment_id}")
