"""Public events API: events, programme and registration. No personal data ever leaves.

Registration errors: 400 with field errors (invalid input or no consent), 409 when the
email already holds a registration for the event, 410 when registration is closed,
429 when one address sends too many attempts.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from cocrea.api.pagination import PAGINATION, page_headers

from . import selectors, services
from .forms import RegistrationForm
from .limits import registration_limited
from .models import Sector, SessionKind

router = Router(tags=["Eventos"])
router_prefix = ""


class EventOut(Schema):
    slug: str
    title: str
    start: datetime
    end: datetime
    capacity: int
    registered_count: int = Field(description="Registros confirmados")
    waitlist_count: int = Field(description="Personas en lista de espera")
    status: str
    registration_open: bool
    registration_opens: datetime
    registration_closes: datetime
    venue: str
    address: str
    map_url: str
    online_url: str
    organizer: str
    organizer_entity_code: str | None
    url: str


class SpeakerOut(Schema):
    name: str
    position: str
    organization: str
    bio: str
    is_demo: bool


class SessionOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    track: str | None
    room: str
    start: datetime
    end: datetime
    capacity: int | None = Field(description="Cupo propio; null si no requiere inscripción")
    registered_count: int
    waitlist_count: int
    description: str
    speakers: list[SpeakerOut]
    ics_url: str


class ProgrammeSpeakerOut(Schema):
    name: str
    position: str
    organization: str
    is_demo: bool = Field(description="Persona ficticia de la demostración")


class ProgrammeSessionOut(Schema):
    """One session of the open-data programme: the columns of eventos-programa.csv."""

    event: str = Field(description="Slug del evento (columna `evento`)")
    id: int = Field(description="Columna `sesion_id`")
    title: str
    kind: str = Field(description=", ".join(SessionKind.values))
    kind_label: str
    track: str | None = Field(description="Nombre del eje temático (columna `eje_tematico`)")
    track_slug: str | None
    room: str
    start: datetime
    end: datetime
    capacity: int | None = Field(description="Cupo propio; null si no requiere inscripción")
    speakers: list[ProgrammeSpeakerOut] = Field(description="Ponentes, por nombre")
    url: str = Field(description="Programa del evento")
    ics_url: str


class ProgrammeFilters(Schema):
    event: str | None = Field(None, description="Slug del evento, p. ej. `cumbre-2025`")
    track: str | None = Field(None, description="Slug del eje temático")
    kind: SessionKind | None = Field(None, description="Tipo de sesión")


class TrackOut(Schema):
    slug: str
    name: str


class DayOut(Schema):
    number: int
    date: str
    sessions: list[SessionOut]


class EventDetailOut(EventOut):
    description: str
    tracks: list[TrackOut]
    programme: list[DayOut]
    ics_url: str


class RegistrationIn(Schema):
    name: str
    email: str
    organization: str = ""
    sector: str = Field(description=", ".join(c.value for c in Sector))
    entity_code: str | None = Field(None, description="Clave INEGI de la entidad, p. ej. «17»")
    accept_privacy_notice: bool = Field(description="Debe ser true")
    sessions: list[int] = Field([], description="Sesiones con cupo propio (ids)")


class RegistrationOut(Schema):
    id: int
    status: str = Field(description="confirmed | waitlisted")


class FieldErrorsOut(Schema):
    errors: dict[str, list[str]]


class MessageOut(Schema):
    detail: str


def _event_out(event) -> dict:
    return {
        "slug": event.slug,
        "title": event.title,
        "start": event.start,
        "end": event.end,
        "capacity": event.capacity,
        "registered_count": event.registered_count,
        "waitlist_count": event.waitlist_count,
        "status": event.status,
        "registration_open": event.registration_is_open(),
        "registration_opens": event.registration_opens,
        "registration_closes": event.registration_closes,
        "venue": event.venue_name,
        "address": event.address,
        "map_url": event.map_url,
        "online_url": event.online_url,
        "organizer": event.organizer_label,
        "organizer_entity_code": event.entity.code if event.entity_id else None,
        "url": event.get_absolute_url(),
    }


def _session_out(event, s) -> dict:
    return {
        "id": s.pk,
        "title": s.title,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "track": s.track.slug if s.track_id else None,
        "room": s.room,
        "start": s.start,
        "end": s.end,
        "capacity": s.capacity,
        "registered_count": s.seats_taken,
        "waitlist_count": s.seats_waitlisted,
        "description": s.description,
        "speakers": [
            {
                "name": p.name,
                "position": p.position,
                "organization": p.organization,
                "bio": p.bio,
                "is_demo": p.is_demo,
            }
            for p in s.speakers.all()
        ],
        "ics_url": reverse("events:session_ics", args=[event.slug, s.pk]),
    }


def _get_event(slug: str):
    event = selectors.public_event(slug)
    if event is None:
        raise Http404
    return event


@router.get("/events", response=list[EventOut], summary="Eventos publicados")
def list_events(request):
    return [_event_out(e) for e in selectors.public_events()]


@router.get("/events/{slug}", response=EventDetailOut, summary="Un evento con su programa")
def get_event(request, slug: str):
    event = _get_event(slug)
    days = selectors.programme_by_day(event)
    return {
        **_event_out(event),
        "description": event.description,
        "tracks": [{"slug": t.slug, "name": t.name} for t in event.tracks.all()],
        "programme": [
            {
                "number": d["number"],
                "date": d["date"].isoformat(),
                "sessions": [_session_out(event, s) for s in d["sessions"]],
            }
            for d in days
        ],
        "ics_url": reverse("events:event_ics", args=[event.slug]),
    }


PROGRAMME_MAX_LIMIT = 5000


@router.get(
    "/programme",
    response=list[ProgrammeSessionOut],
    summary="Programa de los eventos publicados (los datos de eventos-programa.csv)",
    description=(
        "Las sesiones de todos los eventos publicados, con las columnas y el orden de "
        "`eventos-programa.csv`. Filtros: `event` (slug), `track` (slug del eje) y `kind`. "
        + PAGINATION
        + " Sin datos de quienes se registran ni del personal."
    ),
)
def list_programme(
    request,
    response: HttpResponse,
    filters: Query[ProgrammeFilters],
    limit: int = Query(1000, ge=1, le=PROGRAMME_MAX_LIMIT, description="Sesiones por página"),
    offset: int = Query(0, ge=0, description="Sesiones que se saltan"),
):
    qs = selectors.public_sessions(
        event=filters.event,
        track=filters.track,
        kind=filters.kind.value if filters.kind else None,
    )
    total = qs.count()
    page_headers(request, response, total, limit, offset)
    sessions = list(qs[offset : offset + limit]) if offset < total else []
    return [_programme_row(s) for s in sessions]


def _programme_row(s) -> dict:
    slug = s.event.slug
    return {
        "event": slug,
        "id": s.pk,
        "title": s.title,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "track": s.track.name if s.track_id else None,
        "track_slug": s.track.slug if s.track_id else None,
        "room": s.room,
        "start": s.start,
        "end": s.end,
        "capacity": s.capacity,
        "speakers": [
            {
                "name": p.name,
                "position": p.position,
                "organization": p.organization,
                "is_demo": p.is_demo,
            }
            for p in s.speakers.all()
        ],
        "url": reverse("events:programme", args=[slug]),
        "ics_url": reverse("events:session_ics", args=[slug, s.pk]),
    }


@router.post(
    "/events/{slug}/registrations",
    response={
        201: RegistrationOut,
        400: FieldErrorsOut,
        404: MessageOut,
        409: MessageOut,
        410: MessageOut,
        429: MessageOut,
    },
    summary="Registrarse a un evento",
    description=(
        "Cuerpo JSON `{name, email, organization, sector, entity_code, "
        "accept_privacy_notice, sessions}`. Responde `201` con `confirmed` o `waitlisted`; "
        "`400` con errores por campo; `409` si el correo ya está registrado; `410` si el "
        "registro está cerrado; `429` si hay demasiados intentos."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": RegistrationIn.model_json_schema()}},
        }
    },
)
def create_registration(request, slug: str):
    event = _get_event(slug)
    try:
        payload, invalid = json.loads(request.body or b"null"), False
    except (ValueError, UnicodeDecodeError):
        payload, invalid = None, True
    email = str(payload.get("email") or "") if isinstance(payload, dict) else ""
    if registration_limited(request, email):
        return Status(429, {"detail": "Demasiados intentos; espere unos minutos."})
    if not event.registration_is_open():
        return Status(410, {"detail": "El registro para este evento está cerrado."})
    if invalid:
        return Status(400, {"errors": {"__all__": ["El cuerpo debe ser JSON válido."]}})
    if not isinstance(payload, dict):
        return Status(400, {"errors": {"__all__": ["El cuerpo debe ser un objeto JSON."]}})
    sessions = payload.get("sessions") or []
    data = {
        key: "" if payload.get(key) is None else str(payload.get(key))
        for key in ("name", "email", "organization", "sector", "entity_code")
    }
    data["accept_privacy_notice"] = "on" if payload.get("accept_privacy_notice") is True else ""
    if isinstance(sessions, list):
        data["sessions"] = [str(s) for s in sessions]
    form = RegistrationForm(data, event=event)
    if not isinstance(sessions, list):
        form.add_error(None, "«sessions» debe ser una lista de ids.")
    if not form.is_valid():
        return Status(400, {"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}})
    cleaned = form.cleaned_data
    try:
        registration = services.register(
            event,
            name=cleaned["name"],
            email=cleaned["email"],
            organization=cleaned["organization"],
            sector=cleaned["sector"],
            entity=cleaned["entity_code"],
            sessions=cleaned.get("sessions") or [],
            accept_privacy_notice=cleaned["accept_privacy_notice"],
            base_url=request.build_absolute_uri("/"),
        )
    except services.AlreadyRegistered:
        return Status(409, {"detail": "Este correo ya tiene un registro para este evento."})
    except services.RegistrationClosed:
        return Status(410, {"detail": "El registro para este evento está cerrado."})
    except ValidationError as exc:
        return Status(
            400, {"errors": {k: [str(m) for m in v] for k, v in exc.message_dict.items()}}
        )
    return Status(201, {"id": registration.pk, "status": registration.status})
