"""The printable report of a published review: the same content as HTML and as PDF (reportlab)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import scoring, selectors, standards
from .models import Stage


def _date(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "astimezone"):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


def _ratings(review, a) -> list[tuple[str, str, str]]:
    """(rating, value, justification) of one assessment."""
    if review.stage == Stage.DESIGN:
        lens = a.lens_labels()
        return [
            ("Verificable", a.get_verifiable_display(), a.verifiable_why),
            ("Lente de gobierno abierto", ", ".join(lens) or "No relevante", a.relevance_why),
            ("Potencial de resultados", a.get_potential_display(), a.potential_why),
            ("Prometedor", a.get_promising_display(), a.promising_why),
            ("Especificidad", a.get_specificity_display(), a.specificity_why),
            ("Impacto potencial", a.get_impact_display(), a.impact_why),
        ]
    completion = str(a.get_completion_display())
    if a.completion != a.completion_proposed:
        completion += (
            f" (propuesto por la plataforma: {a.get_completion_proposed_display()}; motivo: "
            f"{a.completion_override_reason})"
        )
    return [
        ("Nivel de cumplimiento", completion, a.completion_why),
        ("¿Abrió el gobierno?", a.get_opened_display(), a.opened_why),
    ]


def report_context(review) -> dict:
    assessments = selectors.assessments_of(review)
    evaluation = selectors.plan_evaluation(review.plan)
    stars = {row.commitment.pk: row.starred for row in evaluation.rows}
    items = []
    for a in assessments:
        replies = {r.variable: r for r in a.replies.all()}
        variables = selectors.variables_for(review)
        ratings = [
            (*rating, replies.get(v))
            for rating, v in zip(_ratings(review, a), variables, strict=True)
        ]
        items.append({"a": a, "ratings": ratings, "starred": stars.get(a.commitment_id, False)})
    return {
        "review": review,
        "items": items,
        "standards": list(review.standards.all()),
        "figures": standards.process_figures(review.process, review.plan)
        if review.process_id
        else [],
        "star_rule": scoring.STAR_RULE,
        "completion_rule": scoring.COMPLETION_RULE,
        "published": _date(review.published_at),
        "reply_due": _date(review.reply_due),
    }


# The standard PDF fonts (WinAnsi) have no arrows or stars.
_GLYPHS = str.maketrans({"→": "->", "★": "*", "≥": ">=", "≤": "<="})


def _p(text, style) -> Paragraph:
    text = str(text or "—").translate(_GLYPHS)
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def report_pdf(review, *, compress: bool = True) -> bytes:
    """The report in Spanish (its fixed texts are Spanish), whatever the request's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _report_pdf(review, compress=compress)


def _report_pdf(review, *, compress: bool) -> bytes:
    ctx = report_context(review)
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["BodyText"], fontSize=8.5, leading=10.5)
    buffer = io.BytesIO()
    plan = review.plan
    doc = SimpleDocTemplate(
        buffer, pagesize=letter, leftMargin=2 * cm, rightMargin=2 * cm,
        title=f"{review.get_stage_display()} · {plan}", author="Cocrea",
        pageCompression=1 if compress else 0,
    )  # fmt: skip
    story = [
        _p(f"{review.get_stage_display()} — {plan.title}", styles["Title"]),
        _p(
            f"{plan.entity.common_name} · versión {review.version} · publicada el "
            f"{ctx['published']} · evaluación: {review.appointment.label()}",
            styles["BodyText"],
        ),
        _p(
            f"Periodo de réplica del secretariado: hasta el {ctx['reply_due']}.", styles["BodyText"]
        ),
    ]
    if review.correction_note:
        story.append(_p(f"Corrección: {review.correction_note}", styles["BodyText"]))
    if review.summary:
        story.append(_p(review.summary, styles["BodyText"]))
    for item in ctx["items"]:
        a = item["a"]
        title = f"{a.commitment.number}. {a.commitment.title}"
        if item["starred"]:
            title += " (compromiso estelar)"
        story += [Spacer(1, 8), _p(title, styles["Heading3"])]
        data = [[_p("Calificación", small), _p("Valor", small), _p("Justificación", small),
                 _p("Réplica del secretariado", small)]]  # fmt: skip
        for label, value, why, rep in item["ratings"]:
            answer = f"{rep.text} — {rep.author_label}" if rep else "Sin réplica"
            data.append([_p(label, small), _p(value, small), _p(why, small), _p(answer, small)])
        table = Table(data, colWidths=[3.2 * cm, 3.3 * cm, 5.3 * cm, 5.2 * cm], repeatRows=1)
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
        if a.evidence_links:
            story.append(_p("Evidencia: " + " · ".join(a.evidence_links), small))
    if ctx["figures"] or ctx["standards"]:
        story += [Spacer(1, 10), _p("Estándares de participación y cocreación", styles["Heading2"])]
        for f in ctx["figures"]:
            value = "sin datos" if f.value is None else f"{f.value:,.1f} {f.unit}"
            story.append(_p(f"{f.label}: {value}. Fórmula: {f.formula}", small))
        for s in ctx["standards"]:
            story.append(
                _p(f"{s.get_standard_display()}: {'se cumple' if s.met else 'no se cumple'}. "
                   f"{s.justification}", small)
            )  # fmt: skip
    story += [Spacer(1, 10), _p(ctx["star_rule"], small)]
    if review.stage == Stage.RESULTS:
        story.append(_p(ctx["completion_rule"], small))
    doc.build(story)
    return buffer.getvalue()
