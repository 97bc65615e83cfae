"""Demo events: the I Cumbre de Gobierno Abierto (11–13 April 2018, from press release
INAI/083/18) with an invented three-day programme, and an upcoming regional meeting whose
registration is open relative to the day the demo is loaded.

Every speaker and registrant here is fictitious and marked as demo data.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cocrea.territory.models import Entity

from .models import (
    Attendance,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Sector,
    Session,
    SessionKind,
    SessionRegistration,
    Speaker,
    Track,
)
from .selectors import MEXICO_CITY

SUMMIT_SLUG = "i-cumbre-gobierno-abierto-2018"
UPCOMING_SLUG = "encuentro-regional-cocreacion-local"

TRACKS = [
    ("cocreacion-local", "Cocreación local", "#7a1d3d"),
    ("sigue-el-dinero", "Sigue el Dinero", "#1d6b7a"),
    ("transparencia-proactiva", "Transparencia proactiva", "#7a5b1d"),
    ("estado-abierto", "Estado abierto", "#3d1d7a"),
]

SPEAKERS = [
    ("Mariana Quintero Salas", "Comisionada", "Organismo garante nacional (demo)"),
    ("Ernesto Villaseñor Ruiz", "Secretario Ejecutivo", "Sistema Nacional de Transparencia (demo)"),
    ("Lucía Arriaga Fonseca", "Directora", "Observatorio Ciudadano de Datos Abiertos (demo)"),
    (
        "Tomás Ibarra Cienfuegos",
        "Investigador",
        "Centro de Estudios en Rendición de Cuentas (demo)",
    ),
    ("Regina Montalvo Peña", "Coordinadora", "Red de Secretariados Técnicos Locales (demo)"),
    ("Héctor Navarrete Olmos", "Contralor", "Gobierno del Estado (demo)"),
    ("Paulina Escárcega Luna", "Diputada local", "Congreso del Estado (demo)"),
    ("Joaquín Treviño Garza", "Magistrado", "Tribunal Superior de Justicia (demo)"),
    ("Valeria Sandoval Ortiz", "Periodista de datos", "Medio digital independiente (demo)"),
    ("Andrés Lezama Cortés", "Tesorero municipal", "Ayuntamiento (demo)"),
    ("Ximena Ocampo Durán", "Profesora", "Universidad pública estatal (demo)"),
    ("Rodrigo Benavides Pliego", "Especialista en presupuesto", "Colectivo Sigue el Dinero (demo)"),
]

# (day index, start, end, kind, title, room, track slug, capacity, speaker indexes, description)
SUMMIT_PROGRAMME = [
    (
        0,
        "08:30",
        "09:30",
        "other",
        "Registro de participantes y entrega de materiales",
        "Vestíbulo",
        None,
        None,
        [],
        "",
    ),
    (
        0,
        "09:30",
        "10:30",
        "other",
        "Inauguración de la I Cumbre de Gobierno Abierto",
        "Auditorio principal",
        None,
        None,
        [0, 1],
        "Mensajes de bienvenida del organismo garante nacional y del Sistema Nacional de Transparencia.",
    ),
    (
        0,
        "10:30",
        "11:30",
        "keynote",
        "Gobierno abierto desde lo local: balance 2015–2018",
        "Auditorio principal",
        "cocreacion-local",
        None,
        [0],
        "26 de las 32 entidades se sumaron a la iniciativa; ¿qué cambió en la solución de problemas públicos?",
    ),
    (
        0,
        "11:45",
        "13:30",
        "panel",
        "Secretariados Técnicos Locales: lo que aprendimos",
        "Auditorio principal",
        "cocreacion-local",
        None,
        [4, 5, 2],
        "Autoridades, organismos garantes y sociedad civil comparten su experiencia en los espacios permanentes de diálogo.",
    ),
    (0, "13:30", "15:00", "other", "Comida", "Terraza", None, None, [], ""),
    (
        0,
        "15:00",
        "17:00",
        "workshop",
        "Taller: cocrear compromisos que resuelvan problemas públicos",
        "Sala A",
        "cocreacion-local",
        40,
        [4],
        "Metodología para pasar de un problema público a un compromiso verificable.",
    ),
    (
        0,
        "15:00",
        "17:00",
        "workshop",
        "Taller: rastrear la ruta de los recursos públicos",
        "Sala B",
        "sigue-el-dinero",
        40,
        [11],
        "Introducción práctica a la metodología Sigue el Dinero.",
    ),
    (
        0,
        "17:15",
        "18:30",
        "panel",
        "Organismos garantes y sociedad civil: una alianza necesaria",
        "Auditorio principal",
        "estado-abierto",
        None,
        [1, 2, 8],
        "",
    ),
    (
        1,
        "09:30",
        "10:30",
        "keynote",
        "Transparencia proactiva en el ámbito federal",
        "Auditorio principal",
        "transparencia-proactiva",
        None,
        [1],
        "Prácticas de publicación de información útil más allá de las obligaciones.",
    ),
    (
        1,
        "10:45",
        "12:45",
        "working_table",
        "Mesa de trabajo: planes de acción locales de segunda generación",
        "Sala A",
        "cocreacion-local",
        30,
        [4, 5],
        "",
    ),
    (
        1,
        "10:45",
        "12:45",
        "working_table",
        "Mesa de trabajo: poderes legislativo y judicial abiertos",
        "Sala B",
        "estado-abierto",
        30,
        [6, 7],
        "La incorporación de los poderes Legislativo y Judicial a los planes de acción.",
    ),
    (
        1,
        "10:45",
        "12:45",
        "working_table",
        "Mesa de trabajo: municipios abiertos",
        "Sala C",
        "cocreacion-local",
        30,
        [9],
        "",
    ),
    (
        1,
        "13:00",
        "14:30",
        "panel",
        "Sigue el Dinero: hacia una gobernanza fiscal abierta",
        "Auditorio principal",
        "sigue-el-dinero",
        None,
        [11, 9, 3],
        "Metodologías para evaluar y transparentar el uso de los recursos públicos.",
    ),
    (1, "14:30", "16:00", "other", "Comida", "Terraza", None, None, [], ""),
    (
        1,
        "16:00",
        "18:00",
        "workshop",
        "Taller: datos abiertos para la rendición de cuentas",
        "Sala A",
        "transparencia-proactiva",
        35,
        [2, 8],
        "",
    ),
    (
        1,
        "16:00",
        "18:00",
        "workshop",
        "Taller: evaluar la implementación de los planes de acción",
        "Sala B",
        "cocreacion-local",
        35,
        [3, 10],
        "",
    ),
    (
        2,
        "09:30",
        "10:30",
        "keynote",
        "Hacia un Estado abierto: la agenda de los próximos años",
        "Auditorio principal",
        "estado-abierto",
        None,
        [10],
        "",
    ),
    (
        2,
        "10:45",
        "12:15",
        "panel",
        "Transparencia proactiva y participación ciudadana",
        "Auditorio principal",
        "transparencia-proactiva",
        None,
        [8, 2, 6],
        "",
    ),
    (
        2,
        "12:30",
        "14:00",
        "working_table",
        "Mesa de trabajo: conclusiones y compromisos por eje",
        "Sala A",
        "estado-abierto",
        60,
        [4, 11],
        "Síntesis de las mesas y los talleres para la agenda 2018–2020.",
    ),
    (
        2,
        "14:00",
        "15:00",
        "other",
        "Clausura y lectura de conclusiones",
        "Auditorio principal",
        None,
        None,
        [0, 1],
        "",
    ),
]

UPCOMING_PROGRAMME = [
    (0, "09:00", "09:45", "other", "Registro y bienvenida", "Vestíbulo", None, None, [], ""),
    (
        0,
        "09:45",
        "10:45",
        "keynote",
        "Cocreación local: del problema público al compromiso",
        "Auditorio",
        "cocreacion-local",
        None,
        [4],
        "",
    ),
    (
        0,
        "11:00",
        "13:00",
        "workshop",
        "Taller: mapear actores y problemas públicos",
        "Sala 1",
        "cocreacion-local",
        20,
        [2],
        "",
    ),
    (
        0,
        "11:00",
        "13:00",
        "workshop",
        "Taller: seguir el dinero de un programa estatal",
        "Sala 2",
        "sigue-el-dinero",
        20,
        [11],
        "",
    ),
    (
        0,
        "13:15",
        "14:30",
        "panel",
        "Experiencias de los Secretariados Técnicos Locales de la región",
        "Auditorio",
        "estado-abierto",
        None,
        [5, 9],
        "",
    ),
    (
        1,
        "09:30",
        "11:30",
        "working_table",
        "Mesa de trabajo: compromisos del próximo plan de acción",
        "Sala 1",
        "cocreacion-local",
        30,
        [4, 3],
        "",
    ),
    (1, "11:45", "12:45", "other", "Conclusiones y cierre", "Auditorio", None, None, [], ""),
]


HOLIDAYS = {(1, 1), (5, 1), (9, 16), (12, 24), (12, 25), (12, 31)}


def _working_day(day: date) -> date:
    """The first weekday on or after `day` that is neither a holiday nor its eve."""
    while (
        day.weekday() >= 4  # a two-day meeting starts Monday to Thursday
        or (day.month, day.day) in HOLIDAYS
        or ((day + timedelta(days=1)).month, (day + timedelta(days=1)).day) in HOLIDAYS
    ):
        day += timedelta(days=1)
    return day


def _at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=MEXICO_CITY)


def create_event(
    *,
    slug: str,
    title: str,
    description: str,
    first_day: date,
    programme: list,
    capacity: int,
    registration_opens: datetime,
    registration_closes: datetime,
    entity: Entity | None = None,
    venue_name: str = "",
    address: str = "",
    map_url: str = "",
    status: str = EventStatus.PUBLISHED,
    is_demo: bool = True,
) -> Event:
    """An event with its tracks, speakers and programme (also used by the tests)."""
    days = {item[0] for item in programme}
    starts = [_at(first_day + timedelta(days=i[0]), i[1]) for i in programme]
    ends = [_at(first_day + timedelta(days=i[0]), i[2]) for i in programme]
    event = Event.objects.create(
        slug=slug,
        title=title,
        description=description,
        venue_name=venue_name,
        address=address,
        map_url=map_url,
        start=min(starts),
        end=max(ends),
        capacity=capacity,
        registration_opens=registration_opens,
        registration_closes=registration_closes,
        status=status,
        entity=entity,
        is_demo=is_demo,
    )
    tracks = {
        slug_: Track.objects.create(event=event, slug=slug_, name=name, color=color)
        for slug_, name, color in TRACKS
    }
    speakers = [
        Speaker.objects.create(
            event=event,
            name=name,
            position=position,
            organization=org,
            bio=f"{position} en {org}. Persona ficticia creada para la demostración.",
            is_demo=True,
        )
        for name, position, org in SPEAKERS
    ]
    assert len(days) <= 3
    for day, start, end, kind, session_title, room, track, seats, who, text in programme:
        session = Session.objects.create(
            event=event,
            title=session_title,
            kind=SessionKind(kind),
            room=room,
            start=_at(first_day + timedelta(days=day), start),
            end=_at(first_day + timedelta(days=day), end),
            track=tracks.get(track),
            capacity=seats,
            description=text,
        )
        session.speakers.set([speakers[i] for i in who])
    return event


def create_summit(
    *,
    first_day: date = date(2018, 4, 11),
    slug: str = SUMMIT_SLUG,
    capacity: int = 220,
    registration_opens: datetime | None = None,
    registration_closes: datetime | None = None,
) -> Event:
    """The I Cumbre de Gobierno Abierto; tests pass their own dates to keep it open."""
    return create_event(
        slug=slug,
        title="I Cumbre de Gobierno Abierto",
        description=(
            "Convocada por el INAI para hacer un balance de la iniciativa «Gobierno Abierto: "
            "Cocreación desde lo local» y definir la agenda de los próximos años. Participan "
            "expertos, académicos, autoridades y representantes de la sociedad civil "
            "organizada, que analizarán las prácticas de gobierno abierto desarrolladas a nivel "
            "local y de transparencia proactiva en el ámbito federal (comunicado INAI/083/18). "
            "El programa, la sede y las personas ponentes de esta página son de demostración."
        ),
        first_day=first_day,
        programme=SUMMIT_PROGRAMME,
        capacity=capacity,
        registration_opens=registration_opens or _at(first_day - timedelta(days=15), "09:00"),
        registration_closes=registration_closes or _at(first_day - timedelta(days=1), "18:00"),
        venue_name="Sede de demostración en la Ciudad de México",
        address="Ciudad de México",
    )


def _demo_registrants(event: Event, count: int, rng: random.Random, attend_share: float) -> None:
    """Fictitious registrants with seats and check-ins, created directly (no emails)."""
    entities = list(Entity.objects.order_by("code"))
    sectors = [s.value for s in Sector]
    weights = [30, 20, 30, 10, 5, 5]
    given = ["Ana", "Luis", "María", "José", "Carmen", "Jorge", "Rosa", "Miguel", "Elena", "Raúl"]
    family = ["García", "Hernández", "López", "Martínez", "Pérez", "Sánchez", "Ramírez", "Torres"]
    sessions = list(event.sessions.filter(capacity__isnull=False).order_by("start"))
    plenaries = list(
        event.sessions.filter(capacity__isnull=True)
        .exclude(kind=SessionKind.OTHER)
        .order_by("start")
    )
    checkins: list[Attendance] = []
    confirmed = 0
    for n in range(1, count + 1):
        status = RegistrationStatus.CONFIRMED if confirmed < event.capacity else None
        waitlist_position = None
        if status is None:
            event.waitlist_seq += 1
            status = RegistrationStatus.WAITLISTED
            waitlist_position = event.waitlist_seq
        else:
            confirmed += 1
        registration = Registration.objects.create(
            event=event,
            name=f"{rng.choice(given)} {rng.choice(family)} (demo {n:03d})",
            email=f"registro-{n:03d}@{event.slug}.demo.cocrea.local",
            organization="Organización de demostración",
            sector=rng.choices(sectors, weights)[0],
            entity=rng.choice(entities) if entities else None,
            privacy_accepted_at=event.registration_opens,
            created_at=event.registration_opens + timedelta(minutes=37 * n),
            status=status,
            sequence=n,
            waitlist_position=waitlist_position,
            is_demo=True,
        )
        if status != RegistrationStatus.CONFIRMED:
            continue
        for session in rng.sample(sessions, k=min(2, len(sessions))):
            taken = session.seats.filter(status=SessionRegistration.Status.CONFIRMED).count()
            if taken < session.capacity:
                SessionRegistration.objects.create(
                    registration=registration,
                    session=session,
                    status=SessionRegistration.Status.CONFIRMED,
                )
        if rng.random() < attend_share:
            checkins.append(Attendance(registration=registration, checked_in_at=event.start))
            for seat in registration.session_choices.select_related("session"):
                if rng.random() < 0.85:
                    checkins.append(
                        Attendance(
                            registration=registration,
                            session_id=seat.session_id,
                            checked_in_at=seat.session.start,
                        )
                    )
            for session in plenaries:
                if rng.random() < 0.6:
                    checkins.append(
                        Attendance(
                            registration=registration,
                            session_id=session.pk,
                            checked_in_at=session.start,
                        )
                    )
    Attendance.objects.bulk_create(checkins)
    event.registration_seq = count
    event.save(update_fields=["registration_seq", "waitlist_seq"])


def load(seed: int) -> None:
    rng = random.Random(seed + 60)
    if not Event.objects.filter(slug=SUMMIT_SLUG).exists():
        summit = create_summit()
        _demo_registrants(summit, 240, rng, attend_share=0.8)
    if not Event.objects.filter(slug=UPCOMING_SLUG).exists():
        today = timezone.localdate()
        first_day = _working_day(today + timedelta(days=30))
        morelos = Entity.objects.filter(code="17").first()
        upcoming = create_event(
            slug=UPCOMING_SLUG,
            title="Encuentro regional de cocreación local",
            description=(
                "Encuentro de los Secretariados Técnicos Locales de la región centro para "
                "preparar el siguiente plan de acción. Registro abierto: pruebe registrarse "
                "(evento de demostración)."
            ),
            first_day=first_day,
            programme=UPCOMING_PROGRAMME,
            capacity=60,
            registration_opens=_at(today - timedelta(days=7), "09:00"),
            registration_closes=_at(first_day - timedelta(days=1), "23:59"),
            entity=morelos,
            venue_name="Sede de demostración en Cuernavaca",
            address="Cuernavaca, Morelos",
        )
        _demo_registrants(upcoming, 24, rng, attend_share=0)
