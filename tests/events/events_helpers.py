"""Helpers shared by the events tests (imported by name: tests/events is on sys.path)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cocrea.events import demo


def make_open_event(slug="cumbre-prueba", capacity=50, entity=None, days_ahead=20):
    today = timezone.localdate()
    now = timezone.now()
    return demo.create_event(
        slug=slug,
        title="I Cumbre de Gobierno Abierto (prueba)",
        description="Evento de prueba",
        first_day=today + timedelta(days=days_ahead),
        programme=demo.SUMMIT_PROGRAMME,
        capacity=capacity,
        registration_opens=now - timedelta(days=1),
        registration_closes=now + timedelta(days=days_ahead - 1),
        entity=entity,
        venue_name="Sede de prueba",
        address="Ciudad de México",
    )


def person(n: int, **extra) -> dict:
    data = {
        "name": f"Persona {n}",
        "email": f"persona{n}@example.org",
        "organization": "Colectivo de prueba",
        "sector": "civil_society",
        "entity": None,
        "accept_privacy_notice": True,
    }
    data.update(extra)
    return data
