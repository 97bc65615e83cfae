"""Public co-creation pages and citizen account pages; the work is done by services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cocrea.accounts.permissions import can

from . import exports, selectors, services
from .forms import (
    AgreementForm,
    CommentForm,
    HideForm,
    PhaseForm,
    ProposalForm,
    RegistrationForm,
    ReportForm,
    ResponseForm,
    StandardForm,
)
from .models import (
    Comment,
    Phase,
    Proposal,
    ProposalStatus,
    Report,
    Sector,
    Theme,
    WorkingTable,
)
from .services import Refused


def _get_process(entity, cycle, municipality=None):
    process = selectors.process_by_slug(entity, cycle, municipality)
    if process is None:
        raise Http404(_("No existe ese proceso de cocreación."))
    return process


def _viewer(request):
    user = request.user
    profile = getattr(user, "citizen_profile", None) if user.is_authenticated else None
    return {
        "verified": bool(profile and profile.email_verified_at),
        "profile": profile,
    }


def _run(request, fn, success: str | None = None):
    """Run a service call, turning refusals into messages; returns (ok, result)."""
    try:
        result = fn()
    except (Refused, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
        return False, None
    if success:
        messages.success(request, success)
    return True, result


# --------------------------------------------------------------------------- processes


def process_list(request):
    items = list(selectors.processes())
    return render(
        request,
        "participation/process_list.html",
        {"processes": [(p, p.current_phase()) for p in items]},
    )


def process_detail(request, entity, cycle, municipality=None):
    process = _get_process(entity, cycle, municipality)
    phase = process.current_phase()
    manages = can(request.user, "participation.change_process", process)
    return render(
        request,
        "participation/process.html",
        {
            "process": process,
            "phase": phase,
            "phases": list(process.phases.all()),
            "stats": selectors.answer_stats(process),
            "status_counts": selectors.status_counts(process),
            "top": selectors.labelled(
                list(
                    selectors.filter_proposals(
                        selectors.proposals(process).filter(hidden_at__isnull=True), sort="apoyos"
                    )[:5]
                )
            ),
            "tables": list(selectors.tables(process)[:5]),
            "manages": manages,
            **_viewer(request),
        },
    )


def proposal_list(request, entity, cycle, municipality=None):
    process = _get_process(entity, cycle, municipality)
    params = {
        "q": request.GET.get("q", "").strip()[:100],
        "theme": request.GET.get("tema", ""),
        "status": request.GET.get("estado", ""),
        "kind": request.GET.get("tipo", ""),
        "sort": request.GET.get("orden", "apoyos"),
    }
    qs = selectors.with_author(selectors.filter_proposals(selectors.proposals(process), **params))
    paginator = Paginator(qs, selectors.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("pagina"))
    items = selectors.labelled(list(page.object_list))
    supported = selectors.supported_ids(request.user, [p.pk for p in items])
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "participation/proposal_list.html",
        {
            "process": process,
            "phase": process.current_phase(),
            "page": page,
            "proposals": items,
            "supported": supported,
            "params": params,
            "themes": [(v, str(label)) for v, label in Theme.choices],
            "statuses": [(v, str(label)) for v, label in ProposalStatus.choices],
            "kinds": [(v, str(label)) for v, label in Proposal.Kind.choices],
            "sorts": [
                ("apoyos", _("Más apoyadas")),
                ("recientes", _("Más recientes")),
                ("comentarios", _("Más comentadas")),
                ("antiguas", _("Más antiguas")),
            ],
            "query": query.urlencode(),
            **_viewer(request),
        },
    )


@login_required
def proposal_new(request, entity, cycle, municipality=None):
    process = _get_process(entity, cycle, municipality)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, proposal = _run(
            request,
            lambda: services.submit_proposal(process, actor=request.user, **form.cleaned_data),
            _("Su propuesta se publicó."),
        )
        if ok:
            return redirect(proposal)
    return render(
        request,
        "participation/proposal_form.html",
        {"process": process, "phase": process.current_phase(), "form": form, **_viewer(request)},
    )


def proposal_detail(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.select_related("process__entity", "author__citizen_profile"), pk=pk
    )
    process = proposal.process
    manages = can(request.user, "participation.answer_proposal", proposal)
    response = selectors.response_of(proposal, include_draft=manages)
    comment_page, comments = selectors.comment_page(proposal, request.GET.get("comentarios"))
    # One reply form and one report form for the whole page; a comment's links select
    # which comment they apply to (?responder=ID, ?reportar=ID), so no JavaScript is needed.
    targets = {}
    for key in ("responder", "reportar", "ocultar"):
        value = request.GET.get(key, "")
        if value.isdigit():
            targets[key] = Comment.objects.filter(pk=int(value), proposal=proposal).first()
    context = {
        "proposal": proposal,
        "process": process,
        "phase": process.current_phase(),
        "response": response,
        "comments": comments,
        "comment_page": comment_page,
        "has_supported": selectors.has_supported(request.user, proposal),
        "tables": list(proposal.tables.order_by("starts_at")),
        "comment_form": CommentForm(
            initial={"parent": targets["responder"].pk} if targets.get("responder") else None
        ),
        "reply_to": targets.get("responder"),
        "report_comment": targets.get("reportar"),
        "hide_comment": targets.get("ocultar") if manages else None,
        "page_query": f"comentarios={comment_page.number}&" if comment_page.number > 1 else "",
        "manages": manages,
        **_viewer(request),
    }
    if manages:
        initial = {}
        if response is not None:
            initial = {
                "status": response.status,
                "reason": response.reason,
                "commitment": response.commitment_id,
            }
        context["response_form"] = ResponseForm(
            initial=initial, commitments=selectors.entity_commitments(process.entity)
        )
    return render(request, "participation/proposal.html", context)


@require_POST
@login_required
def proposal_support(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("process__entity"), pk=pk)
    _run(
        request,
        lambda: services.support_proposal(proposal, actor=request.user),
        _("Gracias: su apoyo quedó registrado."),
    )
    return redirect(proposal)


@require_POST
@login_required
def proposal_comment(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("process__entity"), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], proposal=proposal)
        _run(
            request,
            lambda: services.add_comment(
                proposal, actor=request.user, body=form.cleaned_data["body"], parent=parent
            ),
            _("Comentario publicado."),
        )
    else:
        messages.error(request, _("El comentario está vacío."))
    return redirect(proposal.get_absolute_url() + "#comentarios")


@require_POST
@login_required
def proposal_report(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("process__entity"), pk=pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indique el motivo del reporte."))
        return redirect(proposal)
    comment = None
    if form.cleaned_data["comment"]:
        comment = get_object_or_404(Comment, pk=form.cleaned_data["comment"], proposal=proposal)
    _run(
        request,
        lambda: services.report_content(
            actor=request.user,
            reason=form.cleaned_data["reason"],
            proposal=None if comment else proposal,
            comment=comment,
        ),
        _("Gracias: el secretariado revisará el reporte."),
    )
    return redirect(proposal)


@require_POST
@login_required
def proposal_hide(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("process__entity"), pk=pk)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Para ocultar contenido debe escribir el motivo."))
        return redirect(proposal)
    target = proposal
    if form.cleaned_data["comment"]:
        target = get_object_or_404(
            Comment.objects.select_related("proposal__process"),
            pk=form.cleaned_data["comment"],
            proposal=proposal,
        )
    _run(
        request,
        lambda: services.hide_content(
            target, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("El contenido quedó oculto, con su motivo visible."),
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = proposal.get_absolute_url()
    return redirect(next_url)


@require_POST
@login_required
def proposal_answer(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("process__entity"), pk=pk)
    commitments = selectors.entity_commitments(proposal.process.entity)
    form = ResponseForm(request.POST, commitments=commitments)
    if not form.is_valid():
        messages.error(request, _("Revise la respuesta: %(e)s") % {"e": form.errors.as_text()})
        return redirect(proposal)
    data = form.cleaned_data
    commitment = selectors.commitment_by_id(data["commitment"]) if data["commitment"] else None
    _run(
        request,
        lambda: services.draft_response(
            proposal,
            actor=request.user,
            status=data["status"],
            reason=data["reason"],
            commitment=commitment,
            publish=data["publish"],
        ),
        _("Respuesta publicada y notificada.") if data["publish"] else _("Borrador guardado."),
    )
    return redirect(proposal)


# --------------------------------------------------------------------------- management


@login_required
def process_manage(request, entity, cycle, municipality=None):
    process = _get_process(entity, cycle, municipality)
    if not can(request.user, "participation.change_process", process):
        raise PermissionDenied(_("Solo el secretariado de esta entidad gestiona el proceso."))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "publish":
            ok, count = _run(
                request, lambda: services.publish_responses(process, actor=request.user)
            )
            if ok:
                messages.success(
                    request, _("%(n)d respuestas publicadas y notificadas.") % {"n": count}
                )
        elif action == "phase":
            phase = get_object_or_404(Phase, pk=request.POST.get("phase"), process=process)
            form = PhaseForm(request.POST, instance=phase, prefix=f"phase-{phase.pk}")
            if form.is_valid():
                _run(
                    request,
                    lambda: services.save_phase(form.save(commit=False), actor=request.user),
                    _("Fase actualizada."),
                )
            else:
                messages.error(request, form.errors.as_text())
        elif action == "standard":
            form = StandardForm(request.POST)
            if form.is_valid():
                _run(
                    request,
                    lambda: services.save_standard_evidence(
                        process, actor=request.user, **form.cleaned_data
                    ),
                    _("Evidencia guardada."),
                )
        return redirect(process.url_for("manage"))
    phases = [(p, PhaseForm(instance=p, prefix=f"phase-{p.pk}")) for p in process.phases.all()]
    standards = [
        (
            row,
            StandardForm(
                initial={
                    "standard": row.standard.value,
                    "met": row.record.met if row.record else False,
                    "evidence": row.record.evidence if row.record else "",
                    "url": row.record.url if row.record else "",
                }
            ),
        )
        for row in selectors.standards_record(process)
    ]
    return render(
        request,
        "participation/manage.html",
        {
            "process": process,
            "drafts": list(selectors.drafts(process)),
            "phases": phases,
            "standards": standards,
            "reports": list(selectors.moderation_queue(request.user).filter(process=process)),
        },
    )


@login_required
def moderation(request):
    if not can(request.user, "participation.moderate"):
        raise PermissionDenied(_("La moderación corresponde al secretariado."))
    if request.method == "POST":
        report = get_object_or_404(
            Report.objects.select_related("process__entity"), pk=request.POST.get("report")
        )
        _run(
            request,
            lambda: services.dismiss_report(report, actor=request.user),
            _("Reporte descartado."),
        )
        return redirect("participation:moderation")
    return render(
        request,
        "participation/moderation.html",
        {"reports": list(selectors.moderation_queue(request.user)[:200])},
    )


# --------------------------------------------------------------------------- tables


def table_list(request, entity, cycle, municipality=None):
    process = _get_process(entity, cycle, municipality)
    return render(
        request,
        "participation/table_list.html",
        {"process": process, "tables": list(selectors.tables(process))},
    )


def table_detail(request, pk):
    table = get_object_or_404(WorkingTable.objects.select_related("process__entity"), pk=pk)
    manages = can(request.user, "participation.change_workingtable", table)
    agreements = table.agreements.select_related("commitment__plan")
    context = {
        "table": table,
        "process": table.process,
        "agreements": list(agreements),
        "proposals": list(table.proposals.order_by("id")),
        "registered": table.registrations.count(),
        "attended": table.registrations.filter(attended=True).count(),
        "sectors": sorted(
            {
                str(Sector(code).label)
                for code in table.registrations.filter(attended=True)
                .values_list("sector", flat=True)
                .distinct()
            }
        ),
        "is_registered": request.user.is_authenticated
        and table.registrations.filter(user=request.user).exists(),
        "registration_form": RegistrationForm(),
        "manages": manages,
        **_viewer(request),
    }
    if manages:
        context["registrations"] = list(table.registrations.select_related("user"))
        context["agreement_form"] = AgreementForm(
            commitments=selectors.entity_commitments(table.process.entity)
        )
    return render(request, "participation/table.html", context)


@require_POST
@login_required
def table_register(request, pk):
    table = get_object_or_404(WorkingTable.objects.select_related("process__entity"), pk=pk)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.register_for_table(
                table, actor=request.user, sector=form.cleaned_data["sector"]
            ),
            _("Quedó registrado en la mesa."),
        )
    return redirect(table)


@require_POST
@login_required
def table_manage(request, pk):
    table = get_object_or_404(WorkingTable.objects.select_related("process__entity"), pk=pk)
    action = request.POST.get("action")
    if action == "attendance":
        ids = [int(x) for x in request.POST.getlist("attended") if x.isdigit()]
        _run(
            request,
            lambda: services.record_attendance(table, actor=request.user, attended_ids=ids),
            _("Asistencia registrada."),
        )
    elif action == "minutes":
        table.minutes = request.POST.get("minutes", "")
        _run(request, lambda: services.save_table(table, actor=request.user), _("Minuta guardada."))
    elif action == "agreement":
        form = AgreementForm(
            request.POST, commitments=selectors.entity_commitments(table.process.entity)
        )
        if form.is_valid():
            cid = form.cleaned_data["commitment"]
            commitment = selectors.commitment_by_id(cid) if cid else None
            _run(
                request,
                lambda: services.add_agreement(
                    table, actor=request.user, text=form.cleaned_data["text"], commitment=commitment
                ),
                _("Acuerdo agregado."),
            )
    return redirect(table)


def standards(request, entity, cycle, municipality=None):
    process = _get_process(entity, cycle, municipality)
    return render(
        request,
        "participation/standards.html",
        {"process": process, "rows": selectors.standards_record(process)},
    )


def commitment_origin(request, pk):
    commitment = selectors.commitment_by_id(pk)
    if commitment is None:
        raise Http404(_("No existe ese compromiso."))
    return render(
        request,
        "participation/commitment_origin.html",
        {"commitment": commitment, "origins": selectors.commitment_origins(commitment)},
    )


# --------------------------------------------------------------------------- CSV


def csv_download(request, name):
    dataset = exports.DATASETS.get(name)
    if dataset is None:
        raise Http404(_("No existe ese conjunto de datos."))
    entity = request.GET.get("entidad") or request.GET.get("entity") or None
    response = StreamingHttpResponse(
        exports.stream_csv(dataset, entity), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="cocreacion-{name}.csv"'
    return response
