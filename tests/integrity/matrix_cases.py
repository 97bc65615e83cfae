"""The tables of the permission matrix: every write path, the rule it asks, and its proof.

`test_permission_matrix.py` enumerates the write paths from the running configuration
(URLs, API, back office, CLI) and fails on any path missing here. Each `Case` builds its
target in Morelos (entity 17), names the rule (`perm`, asked with `Target.obj`) and says
how to see that the write happened (`check`). `perm=None` means anyone may (with `why`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core import mail
from participation_helpers import PASSWORD, make_citizen
from plans_helpers import EVIDENCE

from cocrea.accounts import arco, citizens
from cocrea.accounts import selectors as memberships
from cocrea.accounts.models import CitizenProfile
from cocrea.core.models import AuditEntry
from cocrea.events import links
from cocrea.events import services as events_services
from cocrea.events.models import Attendance, RegistrationStatus
from cocrea.events.models import Registration as EventRegistration
from cocrea.participation import services as participation_services
from cocrea.participation.models import (
    Comment,
    Proposal,
    Report,
    Response,
    StandardEvidence,
    Support,
)
from cocrea.participation.models import Registration as TableRegistration
from cocrea.plans import services as plans_services
from cocrea.plans.models import (
    BulkJob,
    Evidence,
    PlanStatus,
    ProgressReport,
    ReportStatus,
)


@dataclass
class Target:
    """One request: the object the rule is asked about, where to send what."""

    obj: Any
    url: str
    data: dict | None = None
    json: dict | None = None
    method: str = "post"
    state: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    name: str  # the URL name, API operationId or back-office path it covers
    perm: str | None  # the rule; None: anyone may (see `why`)
    build: Callable[[Any], Target]  # build(world) -> Target, inside the cell's savepoint
    check: Callable[[Target, Any], bool]  # check(target, response): did the write happen?
    why: str = ""
    variant: str = ""
    soft: bool = False  # a refusal comes back as a message on a redirect (participation)
    audited: bool = True  # an allowed request leaves an AuditEntry
    also: Callable[[Any, Target], bool] | None = None  # a rule besides `perm` (person, target)
    then_login: bool = False  # success may send an anonymous visitor on to the login page

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def audit_since(target: Target, action: str) -> bool:
    return AuditEntry.objects.filter(pk__gt=target.state["audit"], action=action).exists()


# ----------------------------------------------------------------------------- plans


def _pending_report(world, milestone=None) -> ProgressReport:
    return plans_services.submit_report(
        milestone or world.gov_milestone,
        actor=world.gov17,
        text="Avance del trimestre",
        progress="40",
        links=EVIDENCE,
    )


def _report_target(world, milestone):
    return Target(
        milestone,
        f"/seguimiento/hitos/{milestone.pk}/reportar/",
        {"text": "Avance", "progress": "20", "link_url": EVIDENCE[0][1]},
        state={"before": milestone.reports.count()},
    )


def _municipal_milestone(world):
    """A government milestone of Cuernavaca's plan: the municipality's two keys, not Morelos'."""
    from plans_helpers import make_commitment, make_milestone

    from cocrea.plans.models import ActionPlan

    plan = ActionPlan.objects.create(
        entity=world.entity, municipality=world.cuernavaca, sequence=1,
        title="1.er plan de Cuernavaca", status=PlanStatus.IMPLEMENTATION,
    )  # fmt: skip
    return make_milestone(make_commitment(plan), 1, title="Publicar el padrón municipal")


def _municipal_process(world):
    from cocrea.participation.models import Process

    return Process.objects.create(
        entity=world.entity, municipality=world.cuernavaca, cycle="2026-2027",
        title="Cocreación en Cuernavaca",
    )  # fmt: skip


def _review_target(world, decision):
    report = _pending_report(world)
    return Target(
        report,
        f"/seguimiento/reportes/{report.pk}/{decision}/",
        {"reason": "Falta el acta firmada"},
    )


def _report_status(status):
    return lambda t, r: ProgressReport.objects.get(pk=t.obj.pk).status == status


def _notification(user):
    from django.utils import timezone

    from cocrea.notifications.models import Notification

    return Notification.objects.create(user=user, kind="plans.report_validated", title="Aviso",
                                       created_at=timezone.now())  # fmt: skip


def _unsubscribe_target(world):
    from cocrea.notifications import services as notify

    person = make_citizen("con-correo")
    return Target(
        person,
        f"/avisos/baja/{notify.unsubscribe_token(person.pk, ['plans.report_validated'])}/",
        {},
    )


def _owner(world):
    """The person whose own notices and preferences a cell touches (another one for the
    anonymous visitor, who must change nothing)."""
    return (
        world.person if getattr(world.person, "is_authenticated", False) else make_citizen("otra")
    )


def _told(world):
    from cocrea.notifications.models import Told

    return Told.objects.create(key="hito-1-vencido")


def _preference(user, kind="plans.report_validated"):
    from cocrea.notifications.models import Preference

    return Preference.objects.filter(user=user, kind=kind).values_list("mode", flat=True).first()


NOTIFICATIONS = [
    Case(
        "notifications:follow",
        "notifications.follow",
        lambda w: Target(w.commitment, f"/avisos/seguir/compromiso/{w.commitment.pk}/", {}),
        lambda t, r: (
            __import__("cocrea.notifications.models", fromlist=["Follow"])
            .Follow.objects.filter(kind="compromiso", target=str(t.obj.pk), user_id=t.state["pk"])
            .exists()
        ),
        audited=False,
        why="following is a reader's preference, not public data: not audited",
    ),
    Case(
        "notifications:mark_all_read",
        "notifications.read",
        lambda w: (lambda n: Target(n.user, "/avisos/leidos/", {}, state={"n": n.pk}))(
            _notification(_owner(w))
        ),
        lambda t, r: (
            __import__("cocrea.notifications.models", fromlist=["Notification"])
            .Notification.objects.get(pk=t.state["n"])
            .read_at
            is not None
        ),
        audited=False,
        why="a person marks their own notices read (no public state)",
    ),
    Case(
        "notifications:preferences",
        "notifications.set_preferences",
        lambda w: Target(_owner(w), "/avisos/preferencias/", {"plans.report_validated": "ninguno"}),
        lambda t, r: _preference(t.obj) == "ninguno",
        why="a person chooses how they are told",
    ),
    Case(
        "notifications:unsubscribe",
        None,
        _unsubscribe_target,
        lambda t, r: _preference(t.obj) == "ninguno",
        why="the holder of the signed link in an e-mail unsubscribes that account (RFC 8058)",
    ),
]

PLANS = [
    Case(
        "plans:report_new",
        "plans.report_progress",
        lambda w: _report_target(w, w.gov_milestone),
        lambda t, r: t.obj.reports.count() > t.state["before"],
        variant="government milestone",
    ),
    Case(
        "plans:report_new",
        "plans.report_progress",
        lambda w: _report_target(w, w.cso_milestone),
        lambda t, r: t.obj.reports.count() > t.state["before"],
        variant="civil-society milestone",
    ),
    Case(
        "plans:report_new",
        "plans.report_progress",
        lambda w: _report_target(w, _municipal_milestone(w)),
        lambda t, r: t.obj.reports.count() > t.state["before"],
        variant="municipal milestone",
    ),
    Case(
        "plans:evidence_add",
        "plans.add_evidence",
        lambda w: Target(
            w.gov_milestone,
            f"/seguimiento/hitos/{w.gov_milestone.pk}/evidencias/",
            {"title": "Contratos", "url": "https://documentos.example.org/contratos.pdf"},
        ),
        lambda t, r: Evidence.objects.filter(milestone=t.obj, title="Contratos").exists(),
    ),
    Case(
        "plans:report_review",
        "plans.validate_report",
        lambda w: _review_target(w, "validar"),
        _report_status(ReportStatus.VALIDATED),
        variant="validar",
    ),
    Case(
        "plans:report_review",
        "plans.validate_report",
        lambda w: _review_target(w, "devolver"),
        _report_status(ReportStatus.RETURNED),
        variant="devolver",
    ),
]

# ----------------------------------------------------------------------------- participation


def _proposal_target(world, suffix, data=None):
    p = world.proposal
    return Target(p, f"/cocreacion/propuestas/{p.pk}/{suffix}/", data or {})


def _moderation_report(world) -> Report:
    return participation_services.report_content(
        actor=world.author, reason="Contenido ofensivo", proposal=world.proposal
    )


def _process_url(world, tail=""):
    return f"/cocreacion/{world.entity.slug}/{world.process.cycle}/{tail}"


def _is_citizen(person, target) -> bool:
    return memberships.holds_nothing(person)


PARTICIPATION = [
    Case(
        "participation:propose",
        "participation.add_proposal",
        lambda w: Target(
            w.process,
            _process_url(w, "propuestas/nueva/"),
            {
                "kind": "propuesta",
                "title": "Mercados con datos abiertos",
                "body": "Publicar los padrones.",
                "affected_population": "Locatarios",
                "municipality": "Cuernavaca",
                "theme": "transparencia",
            },
        ),
        lambda t, r: Proposal.objects.filter(title="Mercados con datos abiertos").exists(),
        soft=True,
    ),
    Case(
        "participation:support",
        "participation.add_support",
        lambda w: _proposal_target(w, "apoyar"),
        lambda t, r: Support.objects.filter(proposal=t.obj, user_id=t.state["pk"]).exists(),
        soft=True,
    ),
    Case(
        "participation:comment",
        "participation.add_comment",
        lambda w: _proposal_target(w, "comentar", {"body": "Me parece bien."}),
        lambda t, r: Comment.objects.filter(proposal=t.obj, author_id=t.state["pk"]).exists(),
        soft=True,
    ),
    Case(
        "participation:report",
        "participation.add_report",
        lambda w: _proposal_target(w, "reportar", {"reason": "Datos personales"}),
        lambda t, r: Report.objects.filter(proposal=t.obj, reporter_id=t.state["pk"]).exists(),
        soft=True,
    ),
    Case(
        "participation:hide",
        "participation.moderate",
        lambda w: _proposal_target(w, "ocultar", {"reason": "Contiene datos personales"}),
        lambda t, r: Proposal.objects.get(pk=t.obj.pk).hidden_at is not None,
        soft=True,
    ),
    Case(
        "participation:answer",
        "participation.answer_proposal",
        lambda w: _proposal_target(
            w, "responder", {"status": "evaluacion", "reason": "La revisamos", "commitment": ""}
        ),
        lambda t, r: Response.objects.filter(proposal=t.obj).exists(),
        soft=True,
    ),
    Case(
        "participation:moderation",
        "participation.moderate",
        lambda w: (lambda report: Target(report, "/cocreacion/moderacion/", {"report": report.pk}))(
            _moderation_report(w)
        ),
        lambda t, r: Report.objects.get(pk=t.obj.pk).decision == Report.Decision.DISMISSED,
        soft=True,
    ),
    Case(
        "participation:table_register",
        "participation.register_workingtable",
        lambda w: Target(
            w.table, f"/cocreacion/mesas/{w.table.pk}/registro/", {"sector": "academia"}
        ),
        lambda t, r: TableRegistration.objects.filter(table=t.obj, user_id=t.state["pk"]).exists(),
        soft=True,
    ),
    Case(
        "participation:table_manage",
        "participation.change_workingtable",
        lambda w: Target(
            w.table,
            f"/cocreacion/mesas/{w.table.pk}/gestion/",
            {"action": "minutes", "minutes": "Acuerdos de la mesa"},
        ),
        lambda t, r: type(t.obj).objects.get(pk=t.obj.pk).minutes == "Acuerdos de la mesa",
        soft=True,
    ),
    Case(
        "participation:manage",
        "participation.change_standardevidence",
        lambda w: Target(
            w.process,
            _process_url(w, "gestion/"),
            {"action": "standard", "standard": "dialogo", "met": "on", "evidence": "Actas"},
        ),
        lambda t, r: StandardEvidence.objects.filter(process=t.obj, standard="dialogo").exists(),
    ),
    Case(
        "participation:manage",
        "participation.change_standardevidence",
        lambda w: (
            lambda process: Target(
                process,
                f"/cocreacion/morelos/municipios/cuernavaca/{process.cycle}/gestion/",
                {"action": "standard", "standard": "dialogo", "met": "on", "evidence": "Actas"},
            )
        )(_municipal_process(w)),
        lambda t, r: StandardEvidence.objects.filter(process=t.obj, standard="dialogo").exists(),
        variant="municipal process",
    ),
    Case(
        "accounts:signup",
        None,
        lambda w: Target(
            None,
            "/cuenta/registro/",
            {
                "email": "nueva-cuenta@example.org",
                "display_name": "Nueva",
                "kind": "persona",
                "password": "una-contrasena-larga-1",
                "accept_privacy": "on",
            },
        ),
        lambda t, r: CitizenProfile.objects.filter(user__email="nueva-cuenta@example.org").exists(),
        why="anyone may open a citizen account",
    ),
    Case(
        "accounts:verify",
        None,
        lambda w: (lambda u: Target(u, f"/cuenta/verificar/{citizens.verification_token(u)}/"))(
            make_citizen("sin-verificar", verified=False)
        ),
        lambda t, r: CitizenProfile.objects.get(user=t.obj).email_verified_at is not None,
        then_login=True,
        why="the holder of the e-mailed link verifies that account, whoever is signed in",
    ),
    Case(
        "accounts:privacy",
        "accounts.manage_account",
        lambda w: Target(w.person, "/cuenta/aviso-de-privacidad/", {}),
        lambda t, r: audit_since(t, "participation.account.privacy"),
        why="a person accepts the privacy notice for their own account",
    ),
    Case(
        "accounts:login",
        None,
        lambda w: Target(
            w.citizen,
            "/cuenta/entrar/",
            {"username": w.citizen.username, "password": PASSWORD},
            state={"last": w.citizen.last_login},
        ),
        lambda t, r: type(t.obj).objects.get(pk=t.obj.pk).last_login != t.state["last"],
        audited=False,
        why="anyone may sign in with valid credentials",
    ),
    Case(
        "accounts:logout",
        None,
        lambda w: Target(None, "/cuenta/salir/", {}),
        lambda t, r: not r.wsgi_request.user.is_authenticated,
        audited=False,
        why="anyone may end their own session",
    ),
    Case(
        "accounts:account",
        "accounts.manage_account",
        lambda w: Target(w.person, "/cuenta/", {"action": "resend"}),
        lambda t, r: len(mail.outbox) > 0,
        audited=False,
        why="re-sends one's own verification e-mail (no stored state)",
    ),
    Case(
        "accounts:account",
        "accounts.manage_account",
        lambda w: Target(
            w.person,
            "/cuenta/",
            {
                "action": "rectify",
                "display_name": "Nombre corregido",
                "email": getattr(w.person, "email", "") or "x@example.org",
            },
        ),  # fmt: skip
        lambda t, r: (
            t.obj.is_authenticated
            and type(t.obj).objects.get(pk=t.obj.pk).display_name == "Nombre corregido"
        ),
        variant="rectify",
        why="ARCO rectification of one's own name and e-mail",
    ),
    Case(
        "accounts:account",
        "accounts.manage_account",
        lambda w: Target(w.person, "/cuenta/", {"action": "oppose", "emails": "on"}),
        lambda t, r: (
            t.obj.is_authenticated
            and type(t.obj).objects.get(pk=t.obj.pk).emails_opposed_at is not None
        ),
        variant="oppose",
        why="ARCO opposition: one's own consent to e-mails withdrawn",
    ),
    Case(
        "accounts:account",
        "accounts.manage_account",
        lambda w: Target(
            w.person,
            "/cuenta/",
            {
                "action": "request",
                "right": "rectificacion",
                "text": "Corregir mi nombre en una minuta",
            },
        ),  # fmt: skip
        lambda t, r: t.obj.is_authenticated and t.obj.arco_requests.exists(),
        variant="request",
        why="an ARCO request on one's own data, answered by coordination",
    ),
    Case(
        "accounts:my_data",
        "accounts.manage_account",
        lambda w: Target(w.person, "/cuenta/mis-datos.json", method="get"),
        lambda t, r: audit_since(t, "participation.account.export"),
        why="the download of one's own data is audited",
    ),
    Case(
        "accounts:delete_account",
        "accounts.manage_account",
        lambda w: Target(w.person, "/cuenta/eliminar/", {"confirm": "eliminar"}),
        lambda t, r: (
            t.state["pk"] is not None
            and not type(t.obj).objects.filter(pk=t.state["pk"], email=t.obj.email).exists()
        ),
        soft=True,
        also=_is_citizen,
        why="institutional accounts (any membership) are closed by national coordination",
    ),
]

# ----------------------------------------------------------------------------- events

REGISTRANT = {
    "name": "Persona Registrada",
    "organization": "Colectivo",
    "sector": "civil_society",
    "entity_code": "17",
    "accept_privacy_notice": "on",
}


def _registration(world, email="registrada@example.org") -> EventRegistration:
    return events_services.register(
        world.event,
        name="Persona Registrada",
        email=email,
        sector="civil_society",
        accept_privacy_notice=True,
    )


def _token_target(world, tail, data):
    reg = _registration(world)
    token = links.make_token(reg)
    return Target(reg, f"/eventos/{world.event.slug}/mi-registro/{token}/{tail}", data)


def _event_url(world, tail):
    return f"/eventos/{world.event.slug}/{tail}"


EVENTS = [
    Case(
        "events:register",
        None,
        lambda w: Target(
            w.event,
            _event_url(w, "registro/"),
            {**REGISTRANT, "email": "nueva@example.org"},
        ),
        lambda t, r: EventRegistration.objects.filter(email="nueva@example.org").exists(),
        why="registration is open to the public",
    ),
    Case(
        "events:manage",
        None,
        lambda w: _token_target(w, "", {**REGISTRANT, "name": "Nombre Corregido"}),
        lambda t, r: EventRegistration.objects.get(pk=t.obj.pk).name == "Nombre Corregido",
        why="the holder of the registration's signed link",
    ),
    Case(
        "events:cancel",
        None,
        lambda w: _token_target(w, "cancelar/", {}),
        lambda t, r: (
            EventRegistration.objects.get(pk=t.obj.pk).status == RegistrationStatus.CANCELLED
        ),
        why="the holder of the registration's signed link",
    ),
    Case(
        "events:staff_checkin",
        "events.check_in",
        lambda w: (
            lambda reg: Target(
                w.event, _event_url(w, "staff/asistencia/"), {"code": reg.code}, state={"reg": reg}
            )
        )(_registration(w)),
        lambda t, r: Attendance.objects.filter(registration=t.state["reg"]).exists(),
    ),
    Case(
        "events:staff_export",
        "events.export_registrations",
        lambda w: Target(w.event, _event_url(w, "staff/registros.csv"), method="get"),
        lambda t, r: AuditEntry.objects.filter(pk__gt=t.state["audit"]).exists(),
        why="a download of personal data, audited",
    ),
    Case(
        "events:staff_email",
        "events.email_registrants",
        lambda w: (
            lambda reg: Target(
                w.event, _event_url(w, "staff/correo/"), {"subject": "Aviso", "body": "Hola"}
            )
        )(_registration(w)),
        lambda t, r: AuditEntry.objects.filter(
            pk__gt=t.state["audit"], action__contains="email"
        ).exists(),
    ),
]

# ----------------------------------------------------------------------------- evaluation

EVALUATION_RATINGS = {
    "verifiable": "si", "verifiable_why": "Tiene entregables comprobables.",
    "relevant_access": True, "relevance_why": "Publica información del gasto.",
    "potential": "sustancial", "potential_why": "Cambia la práctica de publicación.",
    "promising": "si", "promising_why": "Problema claro y contraparte activa.",
    "specificity": "alta", "specificity_why": "Metas con fechas.",
    "impact": "transformador", "impact_why": "Sustituye una práctica cerrada.",
}  # fmt: skip


def _appointment(world, stage="diseno", plan=None):
    """The `evaluator` principal appointed (by national coordination) to Morelos' plan."""
    from cocrea.evaluation import services as evaluation_services

    return evaluation_services.appoint(
        plan or world.plan, stage, actor=world.people["coordinator"],
        user=world.people["evaluator"],
    )  # fmt: skip


def _review(world, status="borrador", *, reply_over=False, plan=None):
    """A design review of Morelos' plan by the appointed evaluator, taken up to `status`.

    "valorada" is a draft with every rating justified (ready to send); `reply_over` ends
    the reply period of a sent review (so its evaluator may publish it, answered or not).
    """
    import datetime

    from django.utils import timezone

    from cocrea.evaluation import services as evaluation_services
    from cocrea.evaluation.models import Review

    plan = plan or world.plan
    evaluator = _appointment(world, plan=plan).user
    review = evaluation_services.start_review(
        plan, "diseno", actor=evaluator, process=world.process if plan == world.plan else None
    )
    if status == "borrador":
        return review
    for a in review.assessments.all():
        evaluation_services.save_assessment(a, actor=evaluator, **EVALUATION_RATINGS)
    if status == "valorada":
        return Review.objects.get(pk=review.pk)
    today = timezone.localdate()
    evaluation_services.send_for_comments(
        review, actor=evaluator, reply_due=today + datetime.timedelta(days=15)
    )
    if reply_over or status == "publicada":
        Review.objects.filter(pk=review.pk).update(reply_due=today - datetime.timedelta(days=1))
    review = Review.objects.get(pk=review.pk)
    if status == "publicada":
        evaluation_services.publish(review, actor=evaluator)
    return Review.objects.get(pk=review.pk)


def _assessment_target(world, status, tail, data, **kw):
    review = _review(world, status, **kw)
    a = review.assessments.order_by("commitment__number").first()
    return Target(
        review,
        f"/evaluacion/valoraciones/{a.pk}/{tail}",
        {k.format(p=f"a{a.pk}-"): v for k, v in data.items()},
        state={"assessment": a},
    )


def _start_target(world):
    from cocrea.evaluation.models import Review

    _appointment(world)
    return Target(
        Review(plan=world.plan, stage="diseno"),
        f"/evaluacion/trabajo/planes/{world.plan.pk}/diseno/iniciar/",
        {},
    )


def _review_url_target(world, status, tail, data, **kw):
    review = _review(world, status, **kw)
    return Target(review, f"/evaluacion/revisiones/{review.pk}/{tail}", data)


def _review_status(t):
    from cocrea.evaluation.models import Review

    return Review.objects.get(pk=t.obj.pk).status


EVALUATION = [
    Case(
        "evaluation:start",
        "evaluation.start_review",
        _start_target,
        lambda t, r: type(t.obj).objects.filter(plan=t.obj.plan, stage=t.obj.stage).exists(),
        why="the evaluator appointed to the plan and stage opens its first draft",
    ),
    Case(
        "evaluation:rate",
        "evaluation.edit_review",
        lambda w: _assessment_target(
            w, "borrador", "", {"{p}verifiable": "si", "{p}verifiable_why": "Entregables claros"}
        ),
        lambda t, r: (
            type(t.state["assessment"]).objects.get(pk=t.state["assessment"].pk).verifiable_why
            == "Entregables claros"
        ),
    ),
    Case(
        "evaluation:standard",
        "evaluation.edit_review",
        lambda w: _review_url_target(
            w,
            "borrador",
            "estandares/",
            {"standard": "dialogo", "met": "on", "justification": "Actas públicas del foro"},
        ),  # fmt: skip
        lambda t, r: t.obj.standards.filter(standard="dialogo", met=True).exists(),
    ),
    Case(
        "evaluation:send",
        "evaluation.send_review",
        lambda w: _review_url_target(w, "valorada", "enviar/", {"reply_due": "2099-12-31"}),
        lambda t, r: _review_status(t) == "comentarios",
    ),
    Case(
        "evaluation:publish",
        "evaluation.publish_review",
        lambda w: _review_url_target(w, "comentarios", "publicar/", {}, reply_over=True),
        lambda t, r: _review_status(t) == "publicada",
        why="a sent review whose reply period is over",
    ),
    Case(
        "evaluation:correct",
        "evaluation.correct_review",
        lambda w: _review_url_target(w, "publicada", "corregir/", {"note": "Una cifra errónea"}),
        lambda t, r: type(t.obj).objects.filter(previous=t.obj, version=2).exists(),
    ),
    Case(
        "evaluation:reply",
        "evaluation.reply_review",
        lambda w: _assessment_target(
            w, "comentarios", "replica/", {"variable": "verificable", "text": "De acuerdo."}
        ),
        lambda t, r: t.state["assessment"].replies.filter(variable="verificable").exists(),
        why="a seat in the plan's secretariat answers a rating during the reply period",
    ),
    Case(
        "evaluation:reply",
        "evaluation.reply_review",
        lambda w: _assessment_target(
            w,
            "comentarios",
            "replica/",
            {"variable": "verificable", "text": "De acuerdo."},
            plan=_municipal_milestone(w).commitment.plan,
        ),  # fmt: skip
        lambda t, r: t.state["assessment"].replies.filter(variable="verificable").exists(),
        variant="municipal plan",
        why="Cuernavaca's plan: its municipal secretariat replies, not Morelos'",
    ),
]

API = [
    Case(
        "cocrea_events_api_create_registration",
        None,
        lambda w: Target(
            w.event,
            f"/api/v1/events/{w.event.slug}/registrations",
            json={
                "name": "Persona API",
                "email": "api@example.org",
                "sector": "academia",
                "accept_privacy_notice": True,
            },
        ),
        lambda t, r: EventRegistration.objects.filter(email="api@example.org").exists(),
        why="registration is open to the public",
    ),
]

WRITES = PLANS + PARTICIPATION + EVENTS + EVALUATION + NOTIFICATIONS

# URL names that change nothing: a POST by the coordinator must leave no AuditEntry.
# The value gives the example URL (None: needs an object that is not worth building).
READS: dict[str, Callable[[Any], str] | None] = {
    "set_language": lambda w: "/i18n/setlang/",
    "accounts:workspace": lambda w: "/mi-espacio/",
    # Django's own password reset: the only write (the new password) needs the e-mailed
    # token of that account (tests/accounts/test_accounts_pages.py).
    "accounts:password_reset": lambda w: "/cuenta/contrasena/",
    "accounts:password_reset_done": lambda w: "/cuenta/contrasena/enviada/",
    "accounts:password_reset_confirm": lambda w: "/cuenta/contrasena/MQ/no-es-un-token/",
    "accounts:password_reset_complete": lambda w: "/cuenta/contrasena/lista/",
    "notifications:centre": lambda w: "/avisos/",
    "notifications:following": lambda w: "/avisos/siguiendo/",
    "search:results": lambda w: "/buscar/?q=presupuesto",
    "plans:board": lambda w: "/seguimiento/",
    "plans:methodology": lambda w: "/seguimiento/metodologia/",
    "plans:plans_csv": lambda w: "/seguimiento/descargas/planes.csv",
    "plans:commitments_csv": lambda w: "/seguimiento/descargas/compromisos.csv",
    "plans:milestones_csv": lambda w: "/seguimiento/descargas/hitos.csv",
    "plans:plan": lambda w: f"/seguimiento/planes/{w.plan.pk}/",
    "plans:commitment": lambda w: f"/seguimiento/compromisos/{w.commitment.pk}/",
    "plans:plan_pdf": lambda w: f"/seguimiento/planes/{w.plan.pk}/plan.pdf",
    "plans:commitment_pdf": lambda w: f"/seguimiento/compromisos/{w.commitment.pk}/compromiso.pdf",
    "plans:evidence_download": lambda w: (
        f"/seguimiento/evidencias/{_evidence_file(w).pk}/descargar/"
    ),
    "plans:document_download": lambda w: f"/seguimiento/documentos/acta/{_act(w).pk}/",
    "plans:entity": lambda w: "/seguimiento/morelos/",
    "plans:secretariat": lambda w: "/seguimiento/morelos/secretariado/",
    "plans:plan_seq": lambda w: "/seguimiento/morelos/plan-1/",
    "plans:municipality": lambda w: "/seguimiento/morelos/municipios/cuernavaca/",
    "participation:processes": lambda w: "/cocreacion/",
    "participation:csv": lambda w: "/cocreacion/datos/propuestas.csv",
    "participation:proposal": lambda w: f"/cocreacion/propuestas/{w.proposal.pk}/",
    "participation:table": lambda w: f"/cocreacion/mesas/{w.table.pk}/",
    "participation:commitment_origin": lambda w: (
        f"/cocreacion/compromisos/{w.commitment.pk}/origen/"
    ),
    "participation:process": lambda w: _process_url(w),
    "participation:proposals": lambda w: _process_url(w, "propuestas/"),
    "participation:tables": lambda w: _process_url(w, "mesas/"),
    "participation:standards": lambda w: _process_url(w, "estandares/"),
    "money:index": lambda w: "/sigue-el-dinero/",
    "money:search": lambda w: "/sigue-el-dinero/buscar/",
    "money:downloads": lambda w: "/sigue-el-dinero/descargas/",
    "money:download": lambda w: "/sigue-el-dinero/descargas/programas.csv",
    "money:program": lambda w: f"/sigue-el-dinero/programas/{_program(w).pk}/",
    "money:process_ocds": lambda w: "/sigue-el-dinero/procesos/ocds-x-1/ocds.json",
    "money:process": lambda w: "/sigue-el-dinero/procesos/ocds-x-1/",
    "money:buyer": lambda w: "/sigue-el-dinero/compradores/MX-X-1/",
    "money:supplier": lambda w: "/sigue-el-dinero/proveedores/MX-X-1/",
    "money:entity": lambda w: "/sigue-el-dinero/morelos/",
    "money:municipality": lambda w: "/sigue-el-dinero/morelos/municipios/cuernavaca/",
    "events:list": lambda w: "/eventos/",
    "events:privacy": lambda w: "/eventos/aviso-de-privacidad/",
    "events:detail": lambda w: _event_url(w, ""),
    "events:programme": lambda w: _event_url(w, "programa/"),
    "events:event_ics": lambda w: _event_url(w, "calendario.ics"),
    "events:session_ics": lambda w: _event_url(
        w, f"sesiones/{w.event.sessions.first().pk}/calendario.ics"
    ),
    "events:registered": lambda w: _event_url(w, "registro/enviado/"),
    "events:my_certificate": lambda w: (
        lambda reg: _event_url(w, f"mi-registro/{links.make_token(reg)}/constancia.pdf")
    )(_attendance(w).registration),
    "events:staff_dashboard": lambda w: _event_url(w, "staff/"),
    "events:staff_certificates": lambda w: _event_url(w, "staff/constancias.pdf"),
    "events:staff_certificates_job": lambda w: _event_url(w, f"staff/constancias/{'0' * 32}/"),
    "events:staff_certificates_file": lambda w: _event_url(
        w, f"staff/constancias/{'0' * 32}/constancias.pdf"
    ),
    "operations:health": None,
    "opendata:catalogue": lambda w: "/datos/",
    "opendata:dataset": lambda w: "/datos/conjuntos/planes/",
    "opendata:dataset_entity": lambda w: "/datos/conjuntos/planes/17/",
    "opendata:data_json": lambda w: "/data.json",
    "opendata:dcat_jsonld": lambda w: "/catalogo.jsonld",
    "opendata:dcat_turtle": lambda w: "/catalogo.ttl",
    "opendata:ckan_help": lambda w: "/api/3/action/",
    "opendata:ckan_action": lambda w: "/api/3/action/package_list",
    **{
        f"opendata:feed_{kind}{tail}": (
            lambda w, slug=slug, code=code: f"/datos/avisos/{slug}{code}.atom"
        )
        for kind, slug in (
            ("commitments", "compromisos"),
            ("reports", "reportes"),
            ("responses", "respuestas"),
            ("flags", "banderas"),
        )
        for tail, code in (("", ""), ("_entity", "/17"))
    },  # fmt: skip
    "web:dashboard": lambda w: "/",
    "web:entity": lambda w: "/entidades/morelos/",
    "web:municipality": lambda w: "/entidades/morelos/municipios/cuernavaca/",
    "web:dataset_csv": lambda w: "/datos/planes.csv",
    "evaluation:national": lambda w: "/evaluacion/",
    "evaluation:entity": lambda w: "/evaluacion/morelos/",
    "evaluation:plan": lambda w: f"/evaluacion/planes/{w.plan.pk}/",
    "evaluation:review": None,
    "evaluation:report": None,
    "evaluation:report_pdf": None,
    "evaluation:workspace": lambda w: "/evaluacion/trabajo/",
    "evaluation:workspace_plan": None,
    "evaluation:evidence_file": None,
}

# ----------------------------------------------------------------------------- back office

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _evidence_file(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("acta.pdf", PDF, content_type="application/pdf")
    return plans_services.add_evidence(
        world.gov_milestone, actor=world.gov17, title="Acta", upload=upload
    )


def _act(world):
    from django.core.files.base import ContentFile

    secretariat = _secretariat(world)
    secretariat.installation_act.save("acta.pdf", ContentFile(PDF))
    return secretariat


MILESTONES_CSV = ",".join(plans_services.EXPORT_COLUMNS) + "\n"


def _admin_changelist_action(model, action):
    def build(world):
        obj = ADMIN_TARGETS[model](world)
        app, name = model.split(".")
        return Target(
            obj,
            f"/admin/{app}/{name}/",
            {"action": action, "_selected_action": [obj.pk], "index": "0", "select_across": "0"},
        )

    return build


def _upload(name, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _event_session(world):
    return world.event.sessions.order_by("start").first()


def _adhesion(world):
    from cocrea.territory.models import Adhesion

    return Adhesion.objects.get_or_create(entity=world.entity, defaults={"year": 2016})[0]


def _secretariat(world):
    from cocrea.plans.models import Secretariat

    return Secretariat.objects.get_or_create(entity=world.entity)[0]


def _plans_session(world):
    from cocrea.plans.models import Session

    return Session.objects.create(secretariat=_secretariat(world), number=1, date="2025-03-01")


def _plan_version(world):
    plans_services.publish_plan(world.plan, actor=None)
    return world.plan.versions.order_by("-number").first()


def _program(world):
    from cocrea.money.models import Program

    return Program.objects.create(
        entity=world.entity, name="Salud para todos", clave_programa="E001", year_start=2025
    )


def _buyer_territory(world):
    from cocrea.money.models import BuyerTerritory

    return BuyerTerritory.objects.create(
        buyer_id="MX-GOB-17-0001", name="Secretaría de Obras", entity=world.entity
    )


def _attendance(world):
    return Attendance.objects.create(registration=_registration(world))


def _demo_dataset(world):
    from cocrea.core.models import DemoDataset

    return DemoDataset.objects.create()


def _group(world):
    from django.contrib.auth.models import Group

    return Group.objects.create(name="Grupo de prueba")


def _organization(world):
    return type(world.guarantor).objects.create(
        entity=world.entity, name="Colectivo nuevo", type="sociedad_civil"
    )


def _plan(world):
    from plans_helpers import make_plan

    return make_plan(world.entity, sequence=2, status=PlanStatus.DRAFT)


def _commitment(world):
    from plans_helpers import make_commitment

    return make_commitment(world.plan, number=7)


def _milestone(world):
    from plans_helpers import make_milestone

    return make_milestone(world.commitment, 9)


def _process(world):
    from participation_helpers import make_process

    return make_process(world.entity, cycle="2027-2028")


def _table(world):
    from cocrea.participation.models import WorkingTable

    return WorkingTable.objects.create(
        process=world.process, title="Mesa nueva", starts_at="2030-01-01T10:00:00Z"
    )


def _municipality(world):
    from cocrea.territory.models import Municipality

    return Municipality.objects.get_or_create(
        code="17099", defaults={"entity": world.entity, "name": "Municipio de prueba",
                                "slug": "municipio-de-prueba"},
    )[0]  # fmt: skip


def _municipal_adhesion(world):
    from cocrea.territory.models import MunicipalAdhesion

    return MunicipalAdhesion.objects.get_or_create(
        municipality=_municipality(world), defaults={"year": 2020}
    )[0]


def _audit_entry(world):
    return AuditEntry.objects.create(
        action="prueba", object_type="plans.actionplan", entity_code="17"
    )


def _task_result(world):
    from django_tasks_db.models import DBTaskResult, get_date_max

    return DBTaskResult.objects.create(
        task_path="cocrea.events.tasks.build_certificates",
        args_kwargs={"args": [world.event.pk, "0" * 32], "kwargs": {}},
        backend_name="default", run_after=get_date_max(), exception_class_path="", traceback="",
    )  # fmt: skip


# One fresh object in Morelos per registered model: the back office's add, change and
# delete are asked of it (a new registered model without a builder fails the matrix).
ADMIN_TARGETS: dict[str, Callable[[Any], Any]] = {
    "auth.group": _group,
    "core.auditentry": _audit_entry,
    "core.demodataset": _demo_dataset,
    "accounts.user": lambda w: make_citizen("objetivo"),
    "territory.entity": lambda w: w.entity,
    "territory.adhesion": _adhesion,
    "participants.organization": _organization,
    "plans.secretariat": _secretariat,
    "plans.session": _plans_session,
    "plans.actionplan": _plan,
    "plans.commitment": _commitment,
    "plans.milestone": _milestone,
    "plans.progressreport": _pending_report,
    "plans.planversion": _plan_version,
    "participation.process": _process,
    "participation.workingtable": _table,
    "money.program": _program,
    "money.buyerterritory": _buyer_territory,
    "notifications.told": _told,
    "events.event": lambda w: w.event,
    "events.session": _event_session,
    "events.registration": _registration,
    "events.attendance": _attendance,
    "territory.municipality": _municipality,
    "territory.municipaladhesion": _municipal_adhesion,
    "evaluation.appointment": _appointment,
    "evaluation.review": _review,
    "django_tasks_database.dbtaskresult": _task_result,  # read only: the queue's own admin
    "accounts.arcorequest": lambda w: arco.file_request(
        w.citizen, actor=w.citizen, right="rectificacion", text="Corregir mi nombre en un acta"
    ),
}

# The back office stays shut where the rule would allow: the data has another way in.
ADMIN_CLOSED = {
    "territory.municipality:change": "registered once with its INEGI key; the loader updates it",
    "territory.municipality:delete": "municipalities are never deleted (adhesions refer to them)",
    "territory.municipaladhesion:delete": "an adhesion is history: it is re-recorded, not deleted",
    "accounts.arcorequest:add": "filed by the person, from their account page",
    "accounts.arcorequest:delete": "the record of a legal request stays",
}

ADMIN_UNAUDITED: dict[str, str] = {
    # Every back-office delete leaves an audit entry (through a service, or the generic
    # `core.admin.audit_delete`); a delete listed here would be a known gap, with why.
}

ADMIN_WRITES = [
    Case(
        "plans.actionplan:action:publish",
        "plans.publish_plan",
        _admin_changelist_action("plans.actionplan", "publish"),
        lambda t, r: type(t.obj).objects.get(pk=t.obj.pk).status != PlanStatus.DRAFT,
    ),
    Case(
        "events.registration:action:cancel_selected",
        "events.change_registration",
        _admin_changelist_action("events.registration", "cancel_selected"),
        lambda t, r: (
            EventRegistration.objects.get(pk=t.obj.pk).status == RegistrationStatus.CANCELLED
        ),
    ),
    Case(
        "plans.milestone:url:plans_milestone_correct",
        "plans.correct_milestone",
        lambda w: Target(
            w.gov_milestone,
            f"/admin/plans/milestone/{w.gov_milestone.pk}/corregir/",
            {"progress": "55", "status": w.gov_milestone.status, "reason": "Error de captura"},
        ),
        lambda t, r: type(t.obj).objects.get(pk=t.obj.pk).progress == Decimal("55"),
    ),
    Case(
        "plans.milestone:url:plans_milestone_import",
        "plans.import_milestones",
        lambda w: Target(
            None, "/admin/plans/milestone/importar/", {"file": _upload("h.csv", MILESTONES_CSV)}
        ),
        lambda t, r: BulkJob.objects.filter(kind=BulkJob.KIND_IMPORT).exists(),
        audited=False,
        why="files a background job; each row it writes is audited by the service",
    ),
    Case(
        "plans.milestone:url:plans_milestone_export",
        "plans.export_milestones",
        lambda w: Target(None, "/admin/plans/milestone/exportar/", {"entity": ""}),
        lambda t, r: BulkJob.objects.filter(kind=BulkJob.KIND_EXPORT).exists(),
        audited=False,
        why="files a background export job (a read of the entity's data)",
    ),
    Case(
        "participants.organization:url:participants_organization_import",
        "participants.import_organizations",
        lambda w: Target(
            w.guarantor,
            "/admin/participants/organization/importar/",
            {
                "file": _upload(
                    "o.csv", "entidad,organizacion,tipo,poder\n17,Red Morelense,sociedad_civil,\n"
                )
            },
        ),
        lambda t, r: type(t.obj).objects.filter(name="Red Morelense").exists(),
        also=lambda person, t: person.has_perm(
            "participants.change_organization", type(t.obj)(entity=t.obj.entity)
        ),
        why="each row is an organisation of its entity: the entity's rule applies to it",
    ),
    Case(
        "accounts.user:url:auth_user_password_change",
        "accounts.change_user",
        lambda w: (
            lambda u: Target(
                u,
                f"/admin/accounts/user/{u.pk}/password/",
                {
                    "password1": "otra-clave-larga-77",
                    "password2": "otra-clave-larga-77",
                    "usable_password": "true",
                },  # fmt: skip
            )
        )(make_citizen("cambio-de-clave")),
        lambda t, r: type(t.obj).objects.get(pk=t.obj.pk).check_password("otra-clave-larga-77"),
        audited=False,
        why="Django's own password form (the back office logs it in its history)",
    ),
]

ADMIN_WRITES += [
    Case(
        "evaluation.appointment:action:end_appointments",
        "evaluation.change_appointment",
        _admin_changelist_action("evaluation.appointment", "end_appointments"),
        lambda t, r: type(t.obj).objects.get(pk=t.obj.pk).ended_at is not None,
        why="ends an appointment through the service (national coordination)",
    ),
]

ADMIN_READS = {
    "plans.milestone:url:plans_bulkjob_status": "a job's progress, for its author",
    "plans.milestone:url:plans_bulkjob_download": "a finished export, for its author",
}

# ----------------------------------------------------------------------------- CLI


@dataclass(frozen=True)
class CliCase:
    """A command's write, run through its service with each person as the actor."""

    name: str
    perm: str
    run: Callable[[Any, Any], Any]  # run(world, actor)
    check: Callable[[Any], bool]  # check(world): the write happened
    row_perm: Callable[[Any], tuple[str, Any]] | None = None  # the rule for the rows written


PARTICIPANTS_CSV = "entidad,organizacion,tipo,poder\n17,Observatorio Morelense,sociedad_civil,\n"
MUNICIPALITIES_CSV = (
    "CVEGEO,CVE_ENT,NOM_ENT,NOM_ABR,CVE_MUN,NOM_MUN\n17098,17,Morelos,Mor.,098,Villa de Prueba\n"
)
BUDGET_CSV = (
    "ciclo,entidad,ramo,unidad_responsable,programa,clave_programa,partida,"
    "fuente_financiamiento,aprobado,modificado,comprometido,devengado,ejercido,pagado\n"
    "2025,17,Salud,SSM,Atención médica,E001,21101,Estatal,1000,1000,900,800,700,600\n"
)


def _milestones_row(world):
    m = world.gov_milestone
    return MILESTONES_CSV + (
        f"{m.pk},17,1,{m.commitment_id},,1,Título importado,1,,,{m.status},2025-01-01,2027-06-30,\n"
    )


def _budget(world, actor):
    from cocrea.money import services as money_services

    return money_services.import_budget(actor, io.StringIO(BUDGET_CSV), "prueba")


def _budget_done(world):
    return AuditEntry.objects.filter(action="money.budget.import").exists()


CLI_WRITES = {
    "import:participants": CliCase(
        "import:participants",
        "participants.import_organizations",
        lambda w, actor: __import__(
            "cocrea.participants.services", fromlist=["x"]
        ).import_participants(io.StringIO(PARTICIPANTS_CSV), actor=actor),
        lambda w: type(w.guarantor).objects.filter(name="Observatorio Morelense").exists(),
        row_perm=lambda w: (
            "participants.change_organization",
            type(w.guarantor)(entity=w.entity, name="Observatorio Morelense"),
        ),
    ),
    "import:milestones": CliCase(
        "import:milestones",
        "plans.import_milestones",
        lambda w, actor: plans_services.import_milestones(
            io.StringIO(_milestones_row(w)), actor=actor
        ),
        lambda w: (
            type(w.gov_milestone).objects.get(pk=w.gov_milestone.pk).title == "Título importado"
        ),
        row_perm=lambda w: ("plans.change_milestone", w.gov_milestone),
    ),
    "import:budget": CliCase("import:budget", "money.import_budget", _budget, _budget_done),
    "load_municipalities": CliCase(
        "load_municipalities",
        "territory.add_municipality",
        lambda w, actor: __import__(
            "cocrea.territory.municipalities", fromlist=["x"]
        ).load_municipalities(io.StringIO(MUNICIPALITIES_CSV), actor=actor),
        lambda w: (
            __import__("cocrea.territory.models", fromlist=["x"])
            .Municipality.objects.filter(code="17098")
            .exists()
        ),
    ),
    "money_import_budget": CliCase(
        "money_import_budget", "money.import_budget", _budget, _budget_done
    ),
}

# Commands whose writes only the machine's operator runs (actor None): no web path or
# person reaches their services.
CLI_SYSTEM = {
    "notify_sweep": "the periodic sweep and digests (cron or the worker): the system tells",
    "demo": "sets up the demo database (migrate, reference and demo data)",
    "load_reference": "reference data (the 32 entities, adhesions) from versioned files",
    "load-reference": "the `cocrea` spelling of load_reference",
    "manage": "any Django management command: the operator's own shell",
    "money": "OCDS import into the analytical store (no actor: the operator's files)",
    "money_sync_flows": "rebuilds derived tables from the store",
    "events": "`promote` fills free seats from the waitlists (the same service that "
    "cancellations call); the other sub-commands read",
    "import": "dispatches to the importers, each listed here as import:<kind>",
    "restore": "replaces the database, money store and media from a checksummed backup",
    "worker": "runs the queued tasks, each filed by a service that asked its rule",
}

CLI_READS = {
    "export": "CSV to standard output",
    "money_export_budget": "writes a Fiscal Data Package to a directory",
    "ocds": "compiles and validates OCDS files, no database",
    "redflags": "computes red flags from a file, no database",
    "serve": "runs the web server",
    "backup": "copies the database, money store and media to a new directory",
}
