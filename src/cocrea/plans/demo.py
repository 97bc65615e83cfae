"""Deterministic demo secretariats, plans, commitments, milestones, reports and evidence.

Every joined entity gets a secretariat, one or two plans with commitments (one of them on
«Sigue el Dinero»), milestones and two-key reports (some pending, some returned).
Dates are fixed, so the same seed always gives the same data. Rows are bulk-created.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from cocrea.core.models import AuditEntry
from cocrea.participants.models import Organization, OrganizationType
from cocrea.territory.selectors import joined_adhesions

from .models import (
    ActionPlan,
    Agreement,
    AgreementStatus,
    Commitment,
    CommitmentStatus,
    Evidence,
    EvidenceKind,
    MemberRole,
    Milestone,
    MilestoneStatus,
    PlanStatus,
    PlanVersion,
    ProgressReport,
    ReportStatus,
    Secretariat,
    SecretariatMember,
    Session,
    Side,
)

THEMES = [
    ("Sigue el Dinero: seguimiento ciudadano del gasto público en {e}",
     "La ciudadanía no puede seguir el destino de los recursos públicos ni detectar desvíos.",
     "Publicar en datos abiertos las contrataciones y su ejecución, y acompañarlas con contraloría social.",
     ("access", "accountability", "technology")),
    ("Presupuesto participativo municipal",
     "Las prioridades de inversión se deciden sin escuchar a las colonias.",
     "Abrir una parte del presupuesto municipal a propuestas y votación vecinal.",
     ("participation", "accountability")),
    ("Agua potable con información abierta",
     "Las colonias desconocen los cortes, tarifas y obras del organismo operador.",
     "Publicar un tablero de cortes, obras y tarifas con reportes ciudadanos.",
     ("access", "technology")),
    ("Transparencia en obra pública escolar",
     "Las escuelas no saben qué obras se contrataron para ellas ni cuándo terminan.",
     "Fichas públicas por escuela con avance físico y financiero verificadas por comités.",
     ("access", "accountability")),
    ("Protocolo de atención a mujeres víctimas de violencia",
     "Las rutas de atención son confusas y no se mide su cumplimiento.",
     "Co-diseñar el protocolo con colectivos y publicar indicadores trimestrales.",
     ("participation", "accountability")),
    ("Datos abiertos de seguridad pública",
     "La información delictiva se publica tarde y sin desagregar.",
     "Publicar incidencia mensual por municipio en formatos abiertos.",
     ("access", "technology")),
    ("Contraloría social en programas sociales",
     "Los padrones de beneficiarios no se verifican desde la comunidad.",
     "Formar comités de contraloría social y publicar sus hallazgos.",
     ("participation", "accountability")),
    ("Gestión de residuos con participación vecinal",
     "Rutas de recolección irregulares y sin información pública.",
     "Publicar rutas y horarios y recibir reportes vecinales con respuesta pública.",
     ("participation", "technology")),
    ("Justicia abierta: sentencias en versión pública",
     "Las sentencias no se publican o se publican sin criterios claros.",
     "Publicar versiones públicas de sentencias con un buscador accesible.",
     ("access",)),
    ("Parlamento abierto en el Congreso local",
     "Las iniciativas se dictaminan sin consulta pública.",
     "Consultas abiertas y minutas públicas en comisiones legislativas.",
     ("participation", "access")),
]  # fmt: skip
MILESTONE_TITLES = [
    "Diagnóstico participativo con organizaciones",
    "Mesa de cocreación y acuerdos de diseño",
    "Publicación de la primera versión en datos abiertos",
    "Capacitación a servidores públicos y comités",
    "Piloto en municipios seleccionados",
    "Informe público de resultados",
    "Evaluación ciudadana del compromiso",
]
VALUE_FIELD = {
    "access": "value_access",
    "participation": "value_participation",
    "accountability": "value_accountability",
    "technology": "value_technology",
}
PLAN_PERIODS = [
    (date(2024, 1, 15), date(2025, 12, 15)),
    (date(2026, 2, 1), date(2027, 11, 30)),
]
CSO_DEMO_USERS = {"17": "osc-morelos", "14": "osc-jalisco"}


def _demo_users(entities: dict) -> None:
    """Civil-society members so both keys can be tried in the demo (Morelos, Jalisco)."""
    from cocrea.accounts import services as accounts
    from cocrea.accounts.demo import demo_user
    from cocrea.accounts.models import Role

    for code, username in CSO_DEMO_USERS.items():
        entity = entities.get(code)
        if entity is None:
            continue
        org = Organization.objects.filter(
            entity=entity, type=OrganizationType.CIVIL_SOCIETY
        ).first()
        user, created = demo_user(username, staff=True, name=f"Sociedad civil {entity.common_name}")
        if created:
            accounts.grant(
                user, Role.SECRETARIAT_MEMBER, actor=None, entity=entity, organization=org,
                side=Side.CIVIL_SOCIETY, seat_role="enlace",
            )  # fmt: skip


def load(seed: int) -> None:
    from cocrea.accounts.models import Membership

    rng = random.Random(seed * 7 + 3)
    adhesions = list(joined_adhesions())
    entities = {a.entity.code: a.entity for a in adhesions}
    _demo_users(entities)
    orgs: dict[int, dict[str, list[Organization]]] = {}
    for org in Organization.objects.filter(entity__in=entities.values()).order_by("id"):
        orgs.setdefault(org.entity_id, {}).setdefault(org.type, []).append(org)
    users_by_entity: dict[int, list] = {}
    for seat in Membership.objects.filter(
        entity__in=entities.values(), kind="secretariado", ended_on__isnull=True
    ).select_related("user"):
        seat.user.organization_id = seat.organization_id
        users_by_entity.setdefault(seat.entity_id, []).append(seat.user)

    # Secretariats, members, sessions and agreements.
    secretariats = Secretariat.objects.bulk_create(
        [
            Secretariat(
                entity=a.entity,
                installed_on=(a.date or date(a.year, 6, 1)) + timedelta(days=rng.randint(20, 120)),
                installation_act_url=f"https://documentos.example.org/{a.entity.slug}/acta-instalacion.pdf",
                description=(
                    f"Espacio de cocreación de {a.entity.common_name} integrado por autoridades, "
                    "el organismo garante y organizaciones de la sociedad civil."
                ),
            )
            for a in adhesions
        ]
    )
    members: list[SecretariatMember] = []
    for sec in secretariats:
        by_type = orgs.get(sec.entity_id, {})
        seated_users = {u.organization_id: u for u in users_by_entity.get(sec.entity_id, [])}
        for org_type, side in (
            (OrganizationType.GUARANTOR, Side.GOVERNMENT),
            (OrganizationType.AUTHORITY, Side.GOVERNMENT),
            (OrganizationType.CIVIL_SOCIETY, Side.CIVIL_SOCIETY),
            (OrganizationType.ACADEMIA, Side.CIVIL_SOCIETY),
        ):
            for i, org in enumerate(by_type.get(org_type, [])[:4]):
                role = MemberRole.MEMBER
                if org_type == OrganizationType.GUARANTOR and i == 0:
                    role = MemberRole.COORDINATOR
                elif i == 0:
                    role = MemberRole.LIAISON
                members.append(
                    SecretariatMember(
                        secretariat=sec,
                        organization=org,
                        user=seated_users.get(org.pk),
                        position=rng.choice(
                            ["Titular", "Enlace de gobierno abierto", "Dirección", "Coordinación"]
                        ),
                        role=role,
                        side=side,
                        email=f"contacto{org.pk}@demo.cocrea.local",
                    )
                )
    members = SecretariatMember.objects.bulk_create(members)
    members_by_sec: dict[int, list[SecretariatMember]] = {}
    for m in members:
        members_by_sec.setdefault(m.secretariat_id, []).append(m)
    sessions = []
    for sec in secretariats:
        start = sec.installed_on
        for n in range(1, rng.randint(3, 5) + 1):
            sessions.append(
                Session(
                    secretariat=sec,
                    number=n,
                    date=start + timedelta(days=90 * (n - 1)),
                    kind="instalación"
                    if n == 1
                    else rng.choice(["ordinaria", "ordinaria", "extraordinaria"]),
                    minutes_url=f"https://documentos.example.org/{sec.entity.slug}/minuta-{n}.pdf",
                )
            )
    sessions = Session.objects.bulk_create(sessions)
    agreements, attendance = [], []
    through = Session.attendees.through
    for s in sessions:
        seat = members_by_sec.get(s.secretariat_id, [])
        for m in seat:
            if rng.random() < 0.8:
                attendance.append(through(session_id=s.pk, secretariatmember_id=m.pk))
        for k in range(1, rng.randint(1, 3) + 1):
            agreements.append(
                Agreement(
                    session=s,
                    number=k,
                    text=rng.choice(
                        [
                            "Revisar la propuesta de hitos del compromiso y enviar observaciones.",
                            "Publicar la minuta de la sesión en el micrositio de gobierno abierto.",
                            "Convocar a mesas de cocreación con organizaciones de la región.",
                            "Entregar el informe trimestral de avance de los compromisos.",
                        ]
                    ),  # fmt: skip
                    responsible=rng.choice(seat) if seat else None,
                    due_date=s.date + timedelta(days=rng.randint(15, 60)),
                    status=rng.choice(list(AgreementStatus.values)),
                )
            )
    Agreement.objects.bulk_create(agreements)
    through.objects.bulk_create(attendance)

    # Plans, commitments, milestones.
    plans = []
    for a in adhesions:
        count = 2 if rng.random() < 0.45 else 1
        for seq in range(1, count + 1):
            start, end = PLAN_PERIODS[seq - 1]
            plans.append(
                ActionPlan(
                    entity=a.entity,
                    sequence=seq,
                    title=f"{seq}.º Plan de Acción Local de Gobierno Abierto de {a.entity.common_name}",
                    period_start=start,
                    period_end=end,
                    status=PlanStatus.CLOSED
                    if count == 2 and seq == 1
                    else PlanStatus.IMPLEMENTATION,
                    published_at=datetime.combine(start, datetime.min.time(), tzinfo=UTC),
                    document_url=f"https://documentos.example.org/{a.entity.slug}/plan-{seq}.pdf",
                    version=1,
                )
            )
    plans = ActionPlan.objects.bulk_create(plans)
    commitments = []
    for p in plans:
        by_type = orgs.get(p.entity_id, {})
        authorities = by_type.get(OrganizationType.AUTHORITY, []) + by_type.get(
            OrganizationType.GUARANTOR, []
        )
        csos = by_type.get(OrganizationType.CIVIL_SOCIETY, []) + by_type.get(
            OrganizationType.ACADEMIA, []
        )
        themes = [THEMES[0]] + rng.sample(THEMES[1:], rng.randint(3, 5))
        for n, (title, problem, objective, values) in enumerate(themes, start=1):
            c = Commitment(
                plan=p,
                number=n,
                title=title.format(e=p.entity.common_name),
                problem=problem,
                objective=objective,
                description=f"{objective} Compromiso cocreado en el secretariado técnico local.",
                responsible_authority=rng.choice(authorities) if authorities else None,
                co_responsible=rng.choice(csos) if csos else None,
                start_date=p.period_start,
                end_date=p.period_end,
                weight=Decimal(rng.choice([1, 1, 1, 2])),
                status=CommitmentStatus.IN_PROGRESS,
            )
            for v in values:
                setattr(c, VALUE_FIELD[v], True)
            commitments.append(c)
    commitments = Commitment.objects.bulk_create(commitments)
    plan_by_id = {p.pk: p for p in plans}
    milestones = []
    for c in commitments:
        p = plan_by_id[c.plan_id]
        span = (p.period_end - p.period_start).days
        titles = MILESTONE_TITLES[: rng.randint(3, 5)]
        step = span // len(titles)
        for k, title in enumerate(titles, start=1):
            side = Side.CIVIL_SOCIETY if k == 1 or rng.random() < 0.2 else Side.GOVERNMENT
            milestones.append(
                Milestone(
                    commitment=c,
                    number=k,
                    title=title,
                    responsible_organization=(
                        c.co_responsible if side == Side.CIVIL_SOCIETY else c.responsible_authority
                    ),
                    responsible_side=side,
                    start_date=p.period_start + timedelta(days=step * (k - 1)),
                    end_date=p.period_start + timedelta(days=step * k),
                    weight=Decimal(rng.choice([1, 1, 2, 3])),
                )
            )
    milestones = Milestone.objects.bulk_create(milestones)

    # Reports: a rising series; the last one may be pending or returned.
    commitment_by_id = {c.pk: c for c in commitments}
    reports, evidence = [], []
    demo_today = date(2026, 11, 1)
    for m in milestones:
        c = commitment_by_id[m.commitment_id]
        p = plan_by_id[c.plan_id]
        if m.start_date > demo_today:
            continue
        elapsed = min(
            1.0, (demo_today - m.start_date).days / max(1, (m.end_date - m.start_date).days)
        )
        n_reports = rng.randint(1, 3) if elapsed > 0.1 else 0
        level = 0
        org = m.responsible_organization
        label = f"{org.name} (Integrante de secretariado técnico local)" if org else "Secretariado"
        for r in range(n_reports):
            target = min(100, int(100 * elapsed * (r + 1) / n_reports) + rng.randint(-10, 10))
            level = max(level, max(5, target))
            if elapsed >= 1 and r == n_reports - 1 and rng.random() < 0.7:
                level = 100
            last = r == n_reports - 1
            roll = rng.random()
            status = ReportStatus.VALIDATED
            if last and roll < 0.25:
                status = ReportStatus.PENDING
            elif last and roll < 0.35:
                status = ReportStatus.RETURNED
            rdate = min(
                demo_today,
                m.start_date
                + timedelta(
                    days=int((m.end_date - m.start_date).days * (r + 1) / (n_reports + 0.5))
                ),
            )
            reports.append(
                ProgressReport(
                    milestone=m,
                    date=rdate,
                    text=rng.choice(
                        [
                            "Se realizaron las reuniones previstas y se publicó la minuta.",
                            "Se publicó el conjunto de datos y se documentó la metodología.",
                            "Se capacitó a personal de las dependencias participantes.",
                            "Se entregó el informe con observaciones de las organizaciones.",
                        ]
                    ),  # fmt: skip
                    progress=Decimal(level),
                    side=m.responsible_side,
                    reporter_label=label,
                    status=status,
                    reviewer_label=""
                    if status == ReportStatus.PENDING
                    else "Contraparte del secretariado",
                    return_reason=(
                        "La evidencia no permite verificar el avance reportado; adjunte la minuta firmada."
                        if status == ReportStatus.RETURNED
                        else ""
                    ),
                )
            )
        if n_reports:
            for e in range(rng.randint(1, 2)):
                evidence.append(
                    Evidence(
                        milestone=m,
                        kind=EvidenceKind.LINK,
                        title=rng.choice(
                            [
                                "Minuta de la sesión",
                                "Conjunto de datos publicado",
                                "Informe de avance",
                                "Lista de asistencia",
                            ]
                        ),
                        url=f"https://evidencias.example.org/{p.entity.slug}/compromiso-{c.number}/hito-{m.number}-{e + 1}.pdf",
                    )
                )
    reports = ProgressReport.objects.bulk_create(reports)
    Evidence.objects.bulk_create(evidence)

    # Milestone figures follow the reports (validated → progress; latest non-returned → reported).
    by_milestone: dict[int, list[ProgressReport]] = {}
    for r in reports:
        by_milestone.setdefault(r.milestone_id, []).append(r)
    for m in milestones:
        rs = by_milestone.get(m.pk, [])
        validated = [r for r in rs if r.status == ReportStatus.VALIDATED]
        kept = [r for r in rs if r.status != ReportStatus.RETURNED]
        m.progress = validated[-1].progress if validated else None
        m.reported_progress = kept[-1].progress if kept else m.progress
        if m.progress is not None and m.progress >= 100:
            m.status = MilestoneStatus.COMPLETE
        elif rs:
            m.status = (
                MilestoneStatus.DELAYED if m.end_date < demo_today else MilestoneStatus.IN_PROGRESS
            )
        m.reports_total = len(rs)
        m.reports_validated = len(validated)
        m.reports_pending = sum(1 for r in rs if r.status == ReportStatus.PENDING)
        m.reports_returned = len(rs) - len(kept)
    Milestone.objects.bulk_update(
        milestones,
        ["progress", "reported_progress", "status", "reports_total", "reports_validated",
         "reports_pending", "reports_returned"],
        batch_size=1000,
    )  # fmt: skip
    _commitment_status(commitments, milestones, demo_today)
    _minutes_files(commitments, milestones, plan_by_id)

    # The public timeline of each commitment starts with its report history.
    entries = []
    milestone_by_id = {m.pk: m for m in milestones}
    for r in reports:
        m = milestone_by_id[r.milestone_id]
        code = plan_by_id[commitment_by_id[m.commitment_id].plan_id].entity.code
        entries.append(
            AuditEntry(actor_label=r.reporter_label, action="plans.report", object_type="plans.progressreport",
                       object_id=str(r.pk), object_repr=str(m.title)[:255], entity_code=code,
                       after={"date": str(r.date), "progress": str(r.progress), "status": "pendiente"})
        )  # fmt: skip
        if r.status != ReportStatus.PENDING:
            action = "plans.validate" if r.status == ReportStatus.VALIDATED else "plans.return"
            after = {"status": r.status}
            if r.return_reason:
                after["return_reason"] = r.return_reason
            entries.append(
                AuditEntry(actor_label=r.reviewer_label, action=action, object_type="plans.progressreport",
                           object_id=str(r.pk), object_repr=str(m.title)[:255], entity_code=code,
                           before={"status": "pendiente"}, after=after)
            )  # fmt: skip
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    from .services import plan_snapshot

    PlanVersion.objects.bulk_create(
        [
            PlanVersion(plan=p, number=1, summary="Versión publicada", snapshot=plan_snapshot(p))
            for p in plans
        ]
    )


def _commitment_status(commitments, milestones, today) -> None:
    """Concluded when every milestone is; delayed when one is overdue; otherwise in progress."""
    by_commitment: dict[int, list[Milestone]] = {}
    for m in milestones:
        by_commitment.setdefault(m.commitment_id, []).append(m)
    for c in commitments:
        ms = by_commitment.get(c.pk, [])
        if ms and all(m.status == MilestoneStatus.COMPLETE for m in ms):
            c.status = CommitmentStatus.COMPLETE
        elif any(m.is_overdue(today) for m in ms):
            c.status = CommitmentStatus.DELAYED
        elif not any(m.reports_total for m in ms):
            c.status = CommitmentStatus.NOT_STARTED
    Commitment.objects.bulk_update(commitments, ["status"], batch_size=1000)


def _minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text (ASCII), enough to open in any viewer."""
    safe = text.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 72 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _minutes_files(commitments, milestones, plan_by_id) -> None:
    """Each «Sigue el Dinero» commitment gets a small PDF (stored under a random name)."""
    from django.core.files.base import ContentFile

    first_milestone = {}
    for m in milestones:
        if m.number == 1:
            first_milestone[m.commitment_id] = m
    for c in commitments:
        m = first_milestone.get(c.pk)
        if c.number != 1 or m is None:
            continue
        entity = plan_by_id[c.plan_id].entity
        pdf = _minimal_pdf(
            f"Minuta de la mesa de cocreacion - Sigue el Dinero - {entity.slug} (demo)"
        )
        evidence = Evidence(
            milestone=m,
            kind=EvidenceKind.FILE,
            title="Minuta de la mesa de cocreación (PDF)",
            content_type="application/pdf",
            size=len(pdf),
        )
        evidence.file.save("minuta.pdf", ContentFile(pdf), save=False)
        evidence.save()


def money_commitments() -> dict:
    """The «Sigue el Dinero» commitment of each entity (of its latest plan, the first by
    number), which money's demo links its programmes to (see core.registry)."""
    commitments = {}
    for c in (
        Commitment.objects.filter(title__icontains="Sigue el Dinero")
        .select_related("plan__entity")
        .order_by("plan__entity__code", "-plan__sequence", "number")
    ):
        commitments.setdefault(c.plan.entity.code, c)
    return commitments
