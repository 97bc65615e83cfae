"""A plan and a commitment as PDF documents in Spanish (reportlab): the commitments, their
milestones with the validated progress, and the list of evidence behind it.

Built from the same selectors as the pages, in a bounded number of queries; the texts are
Spanish whatever the request's language, dates as es-MX writes them ("5 de marzo de 2026")
and figures with the Mexican decimal point.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Prefetch
from django.utils import formats, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import rollup
from .models import Evidence, Milestone, ProgressReport, ReportStatus

LONG_DATE = "j \\d\\e F \\d\\e Y"
# The standard PDF fonts (WinAnsi) have no arrows.
_GLYPHS = str.maketrans({"→": "->", "≥": ">=", "≤": "<="})


def _date(value) -> str:
    return formats.date_format(value, LONG_DATE) if value else "—"


def _percent(value) -> str:
    return f"{float(value or 0):,.1f} %"


def _p(text, style) -> Paragraph:
    text = str(text if text not in (None, "") else "—").translate(_GLYPHS)
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _styles():
    styles = getSampleStyleSheet()
    return styles, ParagraphStyle("small", parent=styles["BodyText"], fontSize=8.5, leading=10.5)


def milestones_of(commitment_ids: list[int]) -> dict[int, list[Milestone]]:
    """The milestones of these commitments with their validated reports and evidence
    (three queries whatever their number)."""
    validated = ProgressReport.objects.filter(status=ReportStatus.VALIDATED).order_by(
        "-date", "-id"
    )
    milestones = (
        Milestone.objects.filter(commitment_id__in=commitment_ids)
        .select_related("responsible_organization")
        .prefetch_related(
            Prefetch("reports", queryset=validated, to_attr="validated_reports"),
            Prefetch("evidence", queryset=Evidence.objects.order_by("id")),
        )
        .order_by("commitment_id", "number", "id")
    )
    grouped: dict[int, list[Milestone]] = {}
    for m in milestones:
        grouped.setdefault(m.commitment_id, []).append(m)
    return grouped


def _milestone_story(milestones, base_url: str, styles, small) -> list:
    story = []
    if not milestones:
        return [_p("Sin hitos registrados.", small)]
    header = ["Hito", "Responsable", "Periodo", "Avance validado", "Estado"]
    data = [[_p(h, small) for h in header]]
    for m in milestones:
        who = m.get_responsible_side_display()
        if m.responsible_organization_id:
            who = f"{who}: {m.responsible_organization}"
        data.append(
            [
                _p(f"{m.number}. {m.title}", small),
                _p(who, small),
                _p(f"{_date(m.start_date)} – {_date(m.end_date)}", small),
                _p(_percent(m.progress), small),
                _p(m.get_status_display(), small),
            ]
        )
    table = Table(data, colWidths=[5.6 * cm, 3.6 * cm, 3.8 * cm, 2.2 * cm, 2.2 * cm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    evidence = [
        (m, e)
        for m in milestones
        for e in m.evidence.all()
        if e.report_id is None or any(r.pk == e.report_id for r in m.validated_reports)
    ]
    if evidence:
        story += [Spacer(1, 4), _p("Evidencias", styles["Heading4"])]
        for m, e in evidence:
            link = e.url or base_url.rstrip("/") + e.get_absolute_url()
            story.append(_p(f"Hito {m.number}: {e.title} — {link}", small))
    return story


def _document(title: str, story: list, *, compress: bool) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=letter, leftMargin=2 * cm, rightMargin=2 * cm, title=title,
        author="Cocrea", lang="es-MX", pageCompression=1 if compress else 0,
    )  # fmt: skip
    doc.build(story)
    return buffer.getvalue()


def _place(plan) -> str:
    if plan.municipality_id:
        return f"{plan.municipality.name} ({plan.entity.common_name})"
    return plan.entity.common_name


def plan_pdf(plan, items, group, *, base_url: str = "", compress: bool = True) -> bytes:
    """`items`: (commitment, its rollup Figures) as `selectors.plan_detail` gives them."""
    with translation.override(settings.LANGUAGE_CODE):
        styles, small = _styles()
        milestones = milestones_of([c.pk for c, _figures in items])
        story = [
            _p(plan.title, styles["Title"]),
            _p(
                f"Plan de acción local de {_place(plan)} · {plan.get_status_display()} · "
                f"periodo {_date(plan.period_start)} – {_date(plan.period_end)}",
                styles["BodyText"],
            ),
            _p(
                f"Avance validado del plan: {_percent(group.progress)} (reportado, con lo "
                f"pendiente de validar: {_percent(group.reported)}) · {len(items)} compromisos.",
                styles["BodyText"],
            ),
        ]
        for commitment, figures in items:
            story += _commitment_story(commitment, figures, milestones.get(commitment.pk, []),
                                       base_url, styles, small)  # fmt: skip
        story += [Spacer(1, 10), _p(_source(plan.get_absolute_url(), base_url), small)]
        return _document(plan.title, story, compress=compress)


def commitment_pdf(commitment, *, base_url: str = "", compress: bool = True) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        styles, small = _styles()
        milestones = milestones_of([commitment.pk]).get(commitment.pk, [])
        figures = rollup.compute_milestones(milestones)
        plan = commitment.plan
        story = [
            _p(f"{commitment.number}. {commitment.title}", styles["Title"]),
            _p(f"{plan.title} · {_place(plan)}", styles["BodyText"]),
        ]
        story += _commitment_story(commitment, figures, milestones, base_url, styles, small,
                                   heading=False)  # fmt: skip
        story += [Spacer(1, 10), _p(_source(commitment.get_absolute_url(), base_url), small)]
        return _document(str(commitment), story, compress=compress)


def _commitment_story(commitment, figures, milestones, base_url, styles, small, *, heading=True):
    story = [Spacer(1, 8)]
    if heading:
        story.append(_p(f"{commitment.number}. {commitment.title}", styles["Heading3"]))
    responsible = commitment.responsible_authority or "—"
    story.append(
        _p(
            f"Responsable: {responsible} · estado: {commitment.get_status_display()} · avance "
            f"validado: {_percent(figures.progress)} · {figures.milestones} hitos, "
            f"{figures.reports_validated} reportes validados.",
            small,
        )
    )
    if commitment.problem:
        story.append(_p(f"Problema público: {commitment.problem}", small))
    if commitment.objective:
        story.append(_p(f"Objetivo: {commitment.objective}", small))
    story.append(Spacer(1, 4))
    return story + _milestone_story(milestones, base_url, styles, small)


def _source(path: str, base_url: str) -> str:
    return (
        f"Fuente: Cocrea, {base_url.rstrip('/')}{path}. Solo cuenta el avance validado por "
        "ambas partes del secretariado técnico local."
    )
