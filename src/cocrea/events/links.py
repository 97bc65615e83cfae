"""Signed links to a registration (sent by email) and the QR code for check-in."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.core import signing
from django.urls import reverse

from .models import Registration

SALT = "cocrea.events.registration"
QR_PREFIX = "COCREA:"


def make_token(registration: Registration) -> str:
    # The code changes when a cancelled email registers again, so old links stop working.
    return signing.dumps({"r": registration.pk, "c": registration.code}, salt=SALT)


def read_token(token: str) -> Registration | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        Registration.objects.select_related("event", "entity", "event__entity")
        .filter(pk=data.get("r"), code=data.get("c"))
        .first()
    )


def manage_path(registration: Registration) -> str:
    return reverse("events:manage", args=[registration.event.slug, make_token(registration)])


def absolute(base_url: str, path: str) -> str:
    return (base_url or "http://localhost:8000").rstrip("/") + path


def qr_payload(registration: Registration) -> str:
    return f"{QR_PREFIX}{registration.code}"


def qr_svg(text: str) -> str:
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    return image.to_string(encoding="unicode")


def qr_png(text: str) -> bytes:
    """PNG for email attachments (Pillow comes with reportlab)."""
    image = qrcode.make(text, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
