"""Demo evaluations: published reviews in three entities (one corrected), one in its reply period.

Runs after the plans and co-creation loaders. Everything goes through the services (with
the system as actor, or the demo seat holders for the replies); only the publication dates
are set afterwards so that the national page shows figures over time.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from cocrea.accounts.models import Membership, Role
from cocrea.participants.models import Organization, OrganizationType
from cocrea.plans.models import ActionPlan

from . import services
from .models import (
    STAGE_VARIABLES,
    Completion,
    Impact,
    OpenedGovernment,
    Potential,
    Review,
    Specificity,
    Stage,
    Variable,
)

PUBLISHED = ("17", "14", "20")  # Morelos (corrected), Jalisco, Oaxaca
IN_REPLY = "10"  # Durango
PUBLISHED_ON = {"17": datetime.date(2024, 11, 20), "14": datetime.date(2025, 6, 12),
                "20": datetime.date(2025, 10, 3)}  # fmt: skip

WHY = {
    "verifiable": "Los hitos tienen entregables y fechas que se pueden comprobar con documentos públicos.",
    "relevance": "Abre información y crea un espacio en el que la ciudadanía pide cuentas a la autoridad.",
    "potential": "Si se cumple, cambia la forma en que la autoridad publica y responde.",
    "promising": "Tiene un problema público claro, responsables y una contraparte de sociedad civil.",
    "specificity": "Objetivo, actividades y resultados esperados están descritos con precisión.",
    "impact": "Atiende una práctica de gobierno cerrada y la sustituye por una abierta.",
    "completion": "Las evidencias validadas por la contraparte respaldan el nivel de avance.",
    "opened": "Las personas usuarias consultan la información y la usan en sus solicitudes.",
}  # fmt: skip


def _design_values(rng: random.Random, commitment) -> dict:
    return {
        "verifiable": rng.choice(["si", "si", "si", "no"]),
        "verifiable_why": WHY["verifiable"],
        "relevant_access": commitment.value_access or rng.random() < 0.3,
        "relevant_participation": commitment.value_participation,
        "relevant_accountability": commitment.value_accountability,
        "relevant_technology": commitment.value_technology,
        "relevance_why": WHY["relevance"],
        "potential": rng.choice(Potential.values),
        "potential_why": WHY["potential"],
        "promising": rng.choice(["si", "no"]),
        "promising_why": WHY["promising"],
        "specificity": rng.choice([Specificity.LOW, Specificity.MEDIUM, Specificity.HIGH]),
        "specificity_why": WHY["specificity"],
        "impact": rng.choice(
            [Impact.MINOR, Impact.MODERATE, Impact.MODERATE, Impact.TRANSFORMATIVE]
        ),
        "impact_why": WHY["impact"],
        "evidence_links": [f"https://documentos.example.org/compromisos/{commitment.pk}.pdf"],
    }


def _results_values(rng: random.Random, a) -> dict:
    values = {
        "completion": a.completion_proposed,
        "completion_why": WHY["completion"],
        "opened": rng.choice(OpenedGovernment.values[1:]),
        "opened_why": WHY["opened"],
    }
    if a.completion_proposed == Completion.LIMITED and rng.random() < 0.4:
        values["completion"] = Completion.SUBSTANTIAL
        values["completion_override_reason"] = (
            "El avance reportado con evidencia pendiente de validar muestra más avance."
        )
    return values


def _seat_user(entity):
    seat = (
        Membership.objects.filter(
            entity=entity, kind=Role.SECRETARIAT_MEMBER, ended_on__isnull=True
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    return seat.user if seat else None


def _rate(review, rng):
    for a in review.assessments.select_related("commitment"):
        values = (
            _design_values(rng, a.commitment)
            if review.stage == Stage.DESIGN
            else (_results_values(rng, a))
        )
        services.save_assessment(a, actor=None, **values)
    if review.stage == Stage.DESIGN and review.process_id:
        from cocrea.participation.models import Standard

        for i, standard in enumerate(Standard.values):
            services.save_standard(
                review, standard, actor=None, met=i % 4 != 3,
                justification="Valoración con base en las cifras calculadas y las minutas publicadas.",
            )  # fmt: skip


def _reply_all(review, replier, share=1.0):
    for a in review.assessments.all():
        for v in STAGE_VARIABLES[review.stage]:
            if share < 1.0 and (a.pk + len(v)) % 3 == 0:
                continue
            services.reply(
                a, v, f"El secretariado toma nota de la valoración sobre «{Variable(v).label}».",
                actor=replier,
            )  # fmt: skip


def _review(plan, stage, rng, *, publish_on=None, replier=None, full_replies=True):
    process = (
        plan.entity.cocreation_processes.filter(municipality=plan.municipality)
        .order_by("-cycle")
        .first()
    )
    review = services.start_review(
        plan, stage, actor=None, process=process if stage == Stage.DESIGN else None,
        summary=f"{Stage(stage).label} del {plan.sequence}.º plan de {plan.entity.common_name}.",
    )  # fmt: skip
    _rate(review, rng)
    if publish_on is None:  # in its reply period now
        services.send_for_comments(
            review, actor=None, reply_due=timezone.localdate() + datetime.timedelta(days=20)
        )
        return review
    sent = publish_on - datetime.timedelta(days=35)
    services.send_for_comments(
        review, actor=None, reply_due=sent + datetime.timedelta(days=30), today=sent
    )
    _reply_all(review, replier, share=1.0 if full_replies else 0.6)
    services.publish(review, actor=None, today=publish_on)
    Review.objects.filter(pk=review.pk).update(
        published_at=timezone.make_aware(datetime.datetime.combine(publish_on, datetime.time(12)))
    )
    return review


def _evaluator_org(plan):
    """An academic organisation of another entity with no seat in this secretariat."""
    others = Organization.objects.filter(type=OrganizationType.ACADEMIA).exclude(entity=plan.entity)
    for org in others.order_by("id")[:20]:
        if not services.conflicts_of_interest(plan, organization=org):
            return org
    return None


def load(seed: int) -> None:
    from cocrea.accounts import services as accounts
    from cocrea.accounts.demo import demo_user

    if Review.objects.exists():
        return
    rng = random.Random(seed + 55)
    person, created = demo_user("evaluadora", staff=True, name="Evaluadora independiente")
    if created:
        accounts.grant(person, Role.EVALUATOR, actor=None)
    team, _ = demo_user("evaluacion", staff=True, name="Equipo evaluador")
    plans = {
        p.entity.code: p
        for p in ActionPlan.objects.filter(
            sequence=1, entity__code__in=(*PUBLISHED, IN_REPLY), municipality__isnull=True
        )
        .exclude(status="borrador")
        .select_related("entity")
    }
    for code in (*PUBLISHED, IN_REPLY):
        plan = plans.get(code)
        if plan is None:
            continue
        for stage in Stage.values:
            services.appoint(
                plan, stage, actor=None, user=person, public_name="Evaluadora independiente"
            )
        org = _evaluator_org(plan)
        if org is not None:
            services.appoint(plan, Stage.DESIGN, actor=None, user=team, organization=org)
        replier = _seat_user(plan.entity)
        if code == IN_REPLY:
            _review(plan, Stage.DESIGN, rng)
            continue
        day = PUBLISHED_ON[code]
        design = _review(plan, Stage.DESIGN, rng, publish_on=day - datetime.timedelta(days=200),
                         replier=replier, full_replies=code != "20")  # fmt: skip
        _review(plan, Stage.RESULTS, rng, publish_on=day, replier=replier)
        if code == "17":
            correction = services.start_correction(
                design, actor=None,
                note="Se corrige la especificidad del compromiso 1 tras la réplica del secretariado.",
            )  # fmt: skip
            first = correction.assessments.order_by("commitment__number").first()
            services.save_assessment(first, actor=None, specificity=Specificity.HIGH,
                                     specificity_why="Tras la réplica: las metas trimestrales son precisas.")  # fmt: skip
            sent = day - datetime.timedelta(days=20)
            services.send_for_comments(
                correction, actor=None, reply_due=sent + datetime.timedelta(days=10), today=sent
            )
            _reply_all(correction, replier)
            services.publish(correction, actor=None, today=day)
            Review.objects.filter(pk=correction.pk).update(
                published_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(13)))
            )
