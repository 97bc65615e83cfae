"""Certificates of attendance (constancias) as PDF, one page per person, with reportlab."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import formats
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas

from .models import Registration
from .selectors import MEXICO_CITY

ACCENT = HexColor("#5b3a8c")


FULL = "j \\d\\e F \\d\\e Y"
DAY_MONTH = "j \\d\\e F"


def _date_range(event) -> str:
    start = event.start.astimezone(MEXICO_CITY).date()
    end = event.end.astimezone(MEXICO_CITY).date()
    if start == end:
        return formats.date_format(start, FULL)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} al {formats.date_format(end, FULL)}"
    return f"{formats.date_format(start, DAY_MONTH)} al {formats.date_format(end, FULL)}"


def _centered(pdf, text: str, y: float, font: str, size: int, width: float) -> None:
    pdf.setFont(font, size)
    # Shrink long names until they fit within the margins.
    while size > 10 and pdf.stringWidth(text, font, size) > width - 120:
        size -= 1
        pdf.setFont(font, size)
    pdf.drawCentredString(width / 2, y, text)


def certificates_pdf(registrations: Iterable[Registration]) -> bytes:
    buffer = io.BytesIO()
    width, height = landscape(letter)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle("Constancias de asistencia")
    pdf.setAuthor("Cocrea")
    count = 0
    for registration in registrations:
        event = registration.event
        pdf.setStrokeColor(ACCENT)
        pdf.setLineWidth(3)
        pdf.rect(30, 30, width - 60, height - 60)
        pdf.setFillColor(ACCENT)
        _centered(pdf, "CONSTANCIA DE ASISTENCIA", height - 120, "Helvetica-Bold", 28, width)
        pdf.setFillColor(HexColor("#222222"))
        _centered(pdf, "Se hace constar que", height - 180, "Helvetica", 14, width)
        _centered(pdf, registration.name, height - 230, "Helvetica-Bold", 30, width)
        if registration.organization:
            _centered(pdf, registration.organization, height - 260, "Helvetica", 13, width)
        _centered(pdf, "asistió a", height - 300, "Helvetica", 14, width)
        _centered(pdf, event.title, height - 340, "Helvetica-Bold", 22, width)
        place = event.venue_name or ("en línea" if event.online_url else "")
        line = _date_range(event) + (f" · {place}" if place else "")
        _centered(pdf, line, height - 370, "Helvetica", 13, width)
        _centered(pdf, f"Organiza: {event.organizer_label}", height - 420, "Helvetica", 12, width)
        pdf.setFont("Helvetica", 9)
        pdf.setFillColor(HexColor("#666666"))
        pdf.drawString(
            50, 50, f"Folio {event.pk}-{registration.sequence} · código {registration.code}"
        )
        if event.is_demo:
            pdf.drawRightString(width - 50, 50, "Datos de demostración: documento sin validez.")
        pdf.showPage()
        count += 1
    if count == 0:
        pdf.setFont("Helvetica", 14)
        pdf.drawString(60, height - 80, "No hay asistencias registradas.")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
