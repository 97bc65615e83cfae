"""Deterministic demo co-creation: a process per joined entity, in different phases.

Phase dates are laid out relative to the day the demo is loaded, so every process is in
some phase "today" (participation opens and closes by date). Everything else derives
from the seed. Rows are written with bulk_create so the loader stays fast on SQLite.
"""

from __future__ import annotations

import datetime
import random

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cocrea.accounts.citizens import PRIVACY_VERSION
from cocrea.accounts.models import CitizenProfile, User
from cocrea.territory.selectors import joined_adhesions

from .markup import render_markdown
from .models import (
    PHASE_DEFAULTS,
    Agreement,
    Comment,
    Phase,
    PhaseKind,
    Process,
    Proposal,
    Registration,
    Response,
    ResponseStatus,
    Sector,
    Standard,
    StandardEvidence,
    Support,
    Theme,
    WorkingTable,
)

PHASE_DAYS = 40
CITIZENS = 60
CYCLE = "2025-2026"

PROBLEMS = [
    ("Falta información sobre el gasto en {t}", "presupuesto"),
    ("Las solicitudes de información tardan meses en {m}", "transparencia"),
    ("No hay contraloría social en las obras de {m}", "integridad"),
    ("Los trámites de {t} no están en línea", "servicios"),
    ("Las mujeres de {m} no participan en las decisiones públicas", "genero"),
    ("Se desconoce el padrón de beneficiarios de programas de {t}", "transparencia"),
    ("No se publican las compras públicas de {m}", "integridad"),
    ("El agua potable llega de forma irregular en {m}", "servicios"),
    ("Faltan datos abiertos sobre la calidad del aire en {m}", "ambiente"),
    ("Las escuelas de {m} no rinden cuentas de sus recursos", "educacion"),
    ("Las clínicas de {m} no publican sus tiempos de espera", "salud"),
    ("No hay seguimiento público de las denuncias en {m}", "seguridad"),
]
PROPOSALS = [
    ("Publicar en datos abiertos el presupuesto de {t}", "presupuesto"),
    ("Crear un comité ciudadano de seguimiento de obra pública en {m}", "participacion"),
    ("Tablero público de solicitudes de información de {t}", "transparencia"),
    ("Presupuesto participativo con enfoque de género en {m}", "genero"),
    ("Mapa abierto de la calidad del agua en {m}", "ambiente"),
    ("Consejo juvenil de gobierno abierto en {m}", "participacion"),
    ("Registro público de contratos de {t}", "integridad"),
    ("Mesas vecinales de seguridad con minutas públicas en {m}", "seguridad"),
]
TOPICS = ["obra pública", "salud", "educación", "seguridad", "agua", "movilidad", "cultura"]
COMMENTS = [
    "Coincido: en mi colonia pasa lo mismo.",
    "¿Hay datos sobre cuántas personas están afectadas?",
    "Propongo que se publique cada trimestre.",
    "Esto ya se intentó en otro municipio y funcionó.",
    "Sería bueno incluir a las organizaciones locales.",
    "**Importante**: que la información sea en formatos abiertos.",
    "Gracias por proponerlo, lo apoyo.",
]
REPLIES = [
    "De acuerdo, y que incluya a las comunidades indígenas.",
    "Hay un informe de la contraloría de 2024 al respecto.",
    "Buena idea; podría empezar como piloto.",
]
MUNICIPALITIES = ["la capital", "la zona norte", "la zona sur", "la región costa", "la sierra"]


def _commitments_by_entity() -> dict[int, list]:
    try:
        Commitment = apps.get_model("plans", "Commitment")
    except LookupError:
        return {}
    found: dict[int, list] = {}
    for c in Commitment.objects.select_related("plan").order_by("plan__sequence", "number"):
        found.setdefault(c.plan.entity_id, []).append(c)
    return found


def _citizens(rng: random.Random) -> list[User]:
    password = make_password(None)  # unusable: demo citizens do not log in
    now = timezone.now()
    wanted = [f"ciudadania-demo-{i:02d}" for i in range(1, CITIZENS + 1)]
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    first = ["Ana", "Luis", "María", "José", "Rosa", "Pedro", "Lucía", "Jorge", "Elena", "Raúl"]
    User.objects.bulk_create(
        [
            User(
                username=name,
                email=f"{name}@demo.cocrea.local",
                password=password,
                display_name=(
                    f"Colectivo Vecinal {i + 1}"
                    if i % 9 == 0
                    else f"{first[i % len(first)]} {chr(65 + (i * 7) % 26)}."
                ),
            )
            for i, name in enumerate(wanted)
            if name not in existing
        ]
    )
    users = list(User.objects.filter(username__in=wanted + ["ciudadana"]).order_by("username"))
    have = set(CitizenProfile.objects.filter(user__in=users).values_list("user_id", flat=True))
    CitizenProfile.objects.bulk_create(
        [
            CitizenProfile(
                user=u,
                kind=(
                    CitizenProfile.Kind.ORGANIZATION
                    if u.display_name.startswith("Colectivo")
                    else CitizenProfile.Kind.PERSON
                ),
                privacy_accepted_at=now,
                privacy_version=PRIVACY_VERSION,
                email_verified_at=now,
            )
            for u in users
            if u.pk not in have
        ]
    )
    return [u for u in users if u.username != "ciudadana"]


def load(seed: int) -> None:
    rng = random.Random(seed + 50)
    entities = [a.entity for a in joined_adhesions()]
    if not entities or Process.objects.filter(cycle=CYCLE).exists():
        return
    citizens = _citizens(rng)
    commitments = _commitments_by_entity()
    today = timezone.localdate()
    now = timezone.now()
    kinds = list(PhaseKind)
    processes = []
    for i, entity in enumerate(entities):
        # Entity i is in one of the phases from diagnosis to evaluation today, a different
        # day into it; Morelos (the demo secretariat's entity) receives proposals today.
        current = 2 if entity.code == "17" else 2 + i % 6
        day_into = 25 if entity.code == "17" else (i * 11) % PHASE_DAYS
        start = today - datetime.timedelta(days=current * PHASE_DAYS + day_into)
        processes.append(
            Process(
                entity=entity,
                cycle=CYCLE,
                title=f"Cocreación del Plan de Acción Local de {entity.common_name} {CYCLE}",
                description=(
                    "Proceso abierto para identificar problemas públicos y construir, con la "
                    "ciudadanía, los compromisos del plan de acción local."
                ),
            )
        )
        processes[-1]._start = start
        processes[-1]._current = current
    Process.objects.bulk_create(processes)
    phases = []
    for p in processes:
        for k, kind in enumerate(kinds):
            starts = p._start + datetime.timedelta(days=k * PHASE_DAYS)
            phases.append(
                Phase(
                    process=p,
                    kind=kind,
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(days=PHASE_DAYS - 1),
                    **PHASE_DEFAULTS[kind],
                )
            )
    Phase.objects.bulk_create(phases)

    proposals = []
    for p in processes:
        diag_start = p._start + datetime.timedelta(days=2 * PHASE_DAYS)
        elapsed = max(1, min((today - diag_start).days, PHASE_DAYS))
        count = rng.randint(14, 28)
        if p._current == 2:
            count = max(6, count * elapsed // PHASE_DAYS)
        for n in range(count):
            title_t, theme = rng.choice(PROBLEMS if n % 3 == 0 else PROPOSALS)
            town = rng.choice(MUNICIPALITIES)
            title = title_t.format(t=rng.choice(TOPICS), m=town)
            body = (
                f"**{title}.**\n\nHoy la información no es pública ni está actualizada. "
                f"Proponemos:\n\n- publicarla en formatos abiertos\n- revisarla con la "
                f"ciudadanía cada trimestre\n\nAfecta a personas de {town}."
            )
            created = datetime.datetime.combine(
                diag_start + datetime.timedelta(days=rng.randrange(elapsed)),
                datetime.time(9 + rng.randrange(10), rng.randrange(60)),
                tzinfo=datetime.UTC,
            )
            proposals.append(
                Proposal(
                    process=p,
                    kind=Proposal.Kind.PROBLEM if n % 3 == 0 else Proposal.Kind.PROPOSAL,
                    title=title[:200],
                    body=body,
                    body_html=render_markdown(body),
                    affected_population=rng.choice(
                        [
                            "Juventudes",
                            "Mujeres",
                            "Personas mayores",
                            "Comunidades indígenas",
                            "Población general",
                            "Personas con discapacidad",
                        ]
                    ),  # fmt: skip
                    municipality=town.replace("la ", "").capitalize(),
                    theme=theme if theme in Theme.values else Theme.TRANSPARENCY,
                    author=citizens[rng.randrange(len(citizens))],
                    created_at=min(created, now - datetime.timedelta(hours=1)),
                )
            )
    Proposal.objects.bulk_create(proposals)

    supports, comments = [], []
    for prop in proposals:
        backers = rng.sample(citizens, rng.randint(0, 25))
        for u in backers:
            supports.append(Support(proposal=prop, user=u, created_at=prop.created_at))
        prop.support_count = len(backers)
    Support.objects.bulk_create(supports)
    roots = []
    for prop in proposals:
        for c in range(rng.randint(0, 4)):
            body = rng.choice(COMMENTS)
            roots.append(
                Comment(
                    proposal=prop,
                    author=rng.choice(citizens),
                    body=body,
                    body_html=render_markdown(body),
                    created_at=prop.created_at + datetime.timedelta(hours=2 + c),
                )
            )
    Comment.objects.bulk_create(roots)
    for root in roots:
        if rng.random() < 0.35:
            body = rng.choice(REPLIES)
            comments.append(
                Comment(
                    proposal=root.proposal,
                    parent=root,
                    root=root,
                    author=rng.choice(citizens),
                    body=body,
                    body_html=render_markdown(body),
                    created_at=root.created_at + datetime.timedelta(hours=5),
                )
            )
    Comment.objects.bulk_create(comments)
    per_prop: dict[int, int] = {}
    for c in roots + comments:
        per_prop[c.proposal_id] = per_prop.get(c.proposal_id, 0) + 1

    responses = []
    for prop in proposals:
        prop.comment_count = per_prop.get(prop.pk, 0)
        proc = prop.process
        if proc._current < 3 and rng.random() < 0.7:
            continue
        roll = rng.random()
        linked = commitments.get(proc.entity_id, [])
        if roll < 0.3 and linked:
            status, commitment = ResponseStatus.INCORPORATED, rng.choice(linked)
            reason = f"Se incorporó al compromiso {commitment.number} del plan."
        elif roll < 0.5:
            status, commitment = ResponseStatus.ACCEPTED, None
            reason = "La propuesta es viable y se atenderá en las mesas de trabajo."
        elif roll < 0.7:
            status, commitment = ResponseStatus.REJECTED, None
            reason = "No corresponde a las atribuciones de las autoridades participantes."
        else:
            status, commitment = ResponseStatus.EVALUATING, None
            reason = "La mesa técnica revisa su viabilidad."
        answered = prop.created_at + datetime.timedelta(days=rng.randint(3, 45))
        published = None if rng.random() < 0.15 else min(answered, now)
        responses.append(
            Response(
                proposal=prop,
                status=status,
                reason=reason,
                reason_html=render_markdown(reason),
                commitment=commitment,
                published_at=published,
            )
        )
        if published:
            prop.status = status
            if status != ResponseStatus.EVALUATING:
                prop.answered_at = published
    Response.objects.bulk_create(responses)
    Proposal.objects.bulk_update(
        proposals, ["support_count", "comment_count", "status", "answered_at"], batch_size=500
    )

    tables, registrations, agreements = [], [], []
    for p in processes:
        design_start = p._start + datetime.timedelta(days=4 * PHASE_DAYS)
        for t in range(3):
            starts = datetime.datetime.combine(
                design_start + datetime.timedelta(days=7 + t * 10),
                datetime.time(16, 0),
                tzinfo=datetime.UTC,
            )
            past = starts < now
            table = WorkingTable(
                process=p,
                title=f"Mesa {t + 1}: {['Transparencia presupuestaria', 'Participación', 'Integridad'][t]}",
                agenda="1. Bienvenida\n2. Presentación de propuestas priorizadas\n3. Diseño de compromisos\n4. Acuerdos",
                starts_at=starts,
                place="Sala de cabildo del ayuntamiento" if t != 1 else "",
                online_url="https://reunion.example.org/mesa" if t == 1 else "",
                capacity=30,
                documents_published_at=starts - datetime.timedelta(days=rng.choice([-1, 2, 5]))
                if past or t == 0
                else None,
                minutes="Se revisaron las propuestas más apoyadas y se acordaron compromisos."
                if past
                else "",
            )
            table.minutes_html = render_markdown(table.minutes)
            tables.append(table)
    WorkingTable.objects.bulk_create(tables)
    through = []
    by_process: dict[int, list[Proposal]] = {}
    for prop in proposals:
        by_process.setdefault(prop.process_id, []).append(prop)
    sectors = list(Sector)
    for table in tables:
        past = table.starts_at < now
        for k, u in enumerate(rng.sample(citizens, rng.randint(8, 20))):
            registrations.append(
                Registration(
                    table=table,
                    user=u,
                    sector=sectors[k % len(sectors)],
                    attended=past and rng.random() < 0.8,
                )
            )
        if past:
            linked = commitments.get(table.process.entity_id, [])
            for k in range(rng.randint(1, 3)):
                agreements.append(
                    Agreement(
                        table=table,
                        text=f"Acuerdo {k + 1}: integrar las propuestas discutidas al plan.",
                        commitment=linked[k % len(linked)] if linked else None,
                        order=k + 1,
                    )
                )
            for prop in by_process.get(table.process_id, [])[:4]:
                through.append(
                    WorkingTable.proposals.through(workingtable_id=table.pk, proposal_id=prop.pk)
                )
    Registration.objects.bulk_create(registrations)
    Agreement.objects.bulk_create(agreements)
    WorkingTable.proposals.through.objects.bulk_create(through)
    StandardEvidence.objects.bulk_create(
        [
            StandardEvidence(
                process=p,
                standard=s,
                met=p._current >= 4 and s != Standard.MONITORING,
                evidence="Calendario y convocatorias publicados en el sitio del secretariado."
                if s == Standard.INFORMATION
                else "",
            )
            for p in processes
            for s in (Standard.INFORMATION, Standard.DIALOGUE)
        ]
    )


MUNICIPAL_PROPOSALS = [
    ("Publicar en datos abiertos el padrón de obras de {m}", Theme.TRANSPARENCY),
    ("Mesas vecinales para vigilar el presupuesto participativo de {m}", Theme.BUDGET),
]


def load_municipal(seed: int) -> None:
    """Cuernavaca's co-creation process, receiving proposals today (demo data)."""
    from cocrea.territory.models import Municipality

    municipality = Municipality.objects.filter(code="17007", adhesion__isnull=False).first()
    if municipality is None or Process.objects.filter(municipality=municipality).exists():
        return
    today = timezone.localdate()
    start = today - datetime.timedelta(days=2 * PHASE_DAYS + 10)
    process = Process.objects.create(
        entity=municipality.entity,
        municipality=municipality,
        cycle=CYCLE,
        title=f"Cocreación del Plan de Acción Local de {municipality.name} {CYCLE}",
        description="Proceso municipal para construir, con la ciudadanía, el plan de acción local.",
    )
    Phase.objects.bulk_create(
        Phase(
            process=process,
            kind=kind,
            starts_on=start + datetime.timedelta(days=k * PHASE_DAYS),
            ends_on=start + datetime.timedelta(days=(k + 1) * PHASE_DAYS - 1),
            **PHASE_DEFAULTS[kind],
        )
        for k, kind in enumerate(PhaseKind)
    )
    for title, theme in MUNICIPAL_PROPOSALS:
        text = f"Propuesta ciudadana para {municipality.name}."
        Proposal.objects.create(
            process=process, kind=Proposal.Kind.PROPOSAL, title=title.format(m=municipality.name),
            body=text, body_html=render_markdown(text), municipality=municipality.name,
            theme=theme,
        )  # fmt: skip
