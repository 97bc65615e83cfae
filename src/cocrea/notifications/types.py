"""The notification types: what each tells, to whom, and who may see it.

Each type has its own template (`notifications/types/<kind>.txt`: the first line is the
title, the rest the body, in Spanish) and a builder that, from the object it is about,
says which follows are told (`targets`), which people besides (`people`), and whether the
object is only visible inside an entity's secretariat (`private_entity_id`): then only
members of that secretariat and the national coordination hear of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import EmailMode, TargetKind


@dataclass
class Audience:
    targets: list[tuple[str, str]] = field(default_factory=list)
    people: list[int] = field(default_factory=list)
    # People chosen by a query (e.g. a secretariat's side): a Q over the user model.
    people_query: object | None = None
    private_entity_id: int | None = None
    context: dict = field(default_factory=dict)
    url: str = ""


@dataclass(frozen=True)
class Type:
    kind: str
    label: str
    build: Callable  # (obj, data) -> Audience | None (None: tell nobody)
    default_mode: str = EmailMode.DAILY

    @property
    def template(self) -> str:
        return f"notifications/types/{self.kind.replace('.', '_')}.txt"


TYPES: dict[str, Type] = {}


def register(kind: str, label, default_mode: str = EmailMode.DAILY):
    def wrap(build):
        TYPES[kind] = Type(kind, label, build, default_mode)
        return build

    return wrap


# ----------------------------------------------------------------------------- helpers


def _plan_targets(plan) -> list[tuple[str, str]]:
    return [(TargetKind.PLAN, str(plan.pk)), (TargetKind.ENTITY, plan.entity.code)]


def _plan_private(plan) -> int | None:
    from cocrea.plans.models import PlanStatus

    return plan.entity_id if plan.status == PlanStatus.DRAFT else None


ANY_LEVEL = object()


def seat_query(
    entity_id: int,
    side: str | None = None,
    organization_id: int | None = None,
    municipality_id=ANY_LEVEL,
):
    """People holding an active seat in the entity's secretariat (of a side / organisation).

    `municipality_id` narrows to one level: None for the entity's own secretariat, a
    municipality's id for that municipality's; left out, every seat within the entity.
    """
    from django.db.models import Q

    from cocrea.accounts.models import Membership, Role

    seats = Membership.objects.filter(
        kind=Role.SECRETARIAT_MEMBER, entity_id=entity_id, ended_on__isnull=True
    )
    if municipality_id is None:
        seats = seats.filter(municipality__isnull=True)
    elif municipality_id is not ANY_LEVEL:
        seats = seats.filter(municipality_id=municipality_id)
    if side:
        seats = seats.filter(side=side)
    if organization_id:
        seats = seats.filter(organization_id=organization_id)
    return Q(id__in=seats.values("user_id"))


def plan_seat_query(plan, side: str | None = None):
    """The seats of the secretariat at the plan's own level (entity or municipality)."""
    return seat_query(plan.entity_id, side, municipality_id=plan.municipality_id)


# ----------------------------------------------------------------------------- plans


def _report_audience(report, data) -> Audience:
    commitment = report.milestone.commitment
    plan = commitment.plan
    return Audience(
        targets=[(TargetKind.COMMITMENT, str(commitment.pk)), *_plan_targets(plan)],
        private_entity_id=_plan_private(plan),
        context={
            "report": report,
            "milestone": report.milestone,
            "commitment": commitment,
            "plan": plan,
            "entity": plan.entity,
        },  # fmt: skip
        url=report.milestone.get_absolute_url(),
    )


@register("plans.report_validated", _("Avance validado"), EmailMode.IMMEDIATE)
def report_validated(report, data):
    return _report_audience(report, data)


@register("plans.report_returned", _("Reporte devuelto"), EmailMode.IMMEDIATE)
def report_returned(report, data):
    audience = _report_audience(report, data)
    if report.reported_by_id:
        audience.people.append(report.reported_by_id)
    return audience


def _milestone_audience(milestone, data) -> Audience:
    commitment = milestone.commitment
    plan = commitment.plan
    return Audience(
        people_query=plan_seat_query(plan, milestone.responsible_side),
        private_entity_id=plan.entity_id,
        context={
            "milestone": milestone,
            "commitment": commitment,
            "plan": plan,
            "entity": plan.entity,
            **data,
        },  # fmt: skip
        url=milestone.get_absolute_url(),
    )


@register("plans.milestone_due", _("Hito por vencer (7 días)"), EmailMode.IMMEDIATE)
def milestone_due(milestone, data):
    return _milestone_audience(milestone, data)


@register("plans.milestone_overdue", _("Hito vencido"), EmailMode.IMMEDIATE)
def milestone_overdue(milestone, data):
    return _milestone_audience(milestone, data)


@register("plans.agreement_overdue", _("Acuerdo del secretariado vencido"), EmailMode.IMMEDIATE)
def agreement_overdue(agreement, data):
    secretariat = agreement.session.secretariat
    entity = secretariat.entity
    responsible = agreement.responsible
    query = seat_query(entity.pk, municipality_id=secretariat.municipality_id)
    if responsible is not None and responsible.user_id:
        from django.db.models import Q

        query = Q(id=responsible.user_id)
    return Audience(
        people_query=query,
        private_entity_id=entity.pk,
        context={"agreement": agreement, "entity": entity, **data},
        url=agreement.session.secretariat.get_absolute_url(),
    )


@register("plans.plan_version", _("Plan modificado"))
def plan_version(version, data):
    plan = version.plan
    return Audience(
        targets=_plan_targets(plan),
        private_entity_id=_plan_private(plan),
        context={"version": version, "plan": plan, "entity": plan.entity},
        url=plan.get_absolute_url(),
    )


# ----------------------------------------------------------------------------- participation


@register("participation.proposal_answered", _("Propuesta respondida"), EmailMode.IMMEDIATE)
def proposal_answered(response, data):
    proposal = response.proposal
    process = proposal.process
    audience = Audience(
        targets=[(TargetKind.PROPOSAL, str(proposal.pk)), (TargetKind.PROCESS, str(process.pk))],
        context={
            "response": response,
            "proposal": proposal,
            "process": process,
            "entity": process.entity,
        },  # fmt: skip
        url=proposal.get_absolute_url(),
    )
    if proposal.is_hidden:  # a hidden proposal: only its author hears of the answer
        audience.targets = []
        audience.people = [proposal.author_id] if proposal.author_id else []
    return audience


@register("participation.proposal_incorporated", _("Propuesta incorporada a un compromiso"))
def proposal_incorporated(response, data):
    audience = proposal_answered(response, data)
    commitment = response.commitment
    if commitment is None:
        return None
    audience.context["commitment"] = commitment
    if _plan_private(commitment.plan) is not None:
        audience.private_entity_id = commitment.plan.entity_id
    if audience.targets:
        audience.targets.append((TargetKind.COMMITMENT, str(commitment.pk)))
    return audience


def _table_audience(table, data) -> Audience:
    process = table.process
    targets = [(TargetKind.PROCESS, str(process.pk)), (TargetKind.ENTITY, process.entity.code)]
    targets += [
        (TargetKind.PROPOSAL, str(pk)) for pk in table.proposals.values_list("pk", flat=True)
    ]
    return Audience(
        targets=targets,
        context={"table": table, "process": process, "entity": process.entity, **data},
        url=table.get_absolute_url(),
    )


@register("participation.table_scheduled", _("Mesa de trabajo convocada"))
def table_scheduled(table, data):
    return _table_audience(table, data)


@register("participation.agreements_published", _("Acuerdos de mesa publicados"))
def agreements_published(table, data):
    return _table_audience(table, data)


# ----------------------------------------------------------------------------- evaluation
# The evaluation app announces these when it exists; the object has `plan` and
# `get_absolute_url()`, and "sent" names the secretariat (entity) asked to reply.


@register("evaluation.published", _("Evaluación publicada"))
def evaluation_published(evaluation, data):
    plan = evaluation.plan
    return Audience(
        targets=_plan_targets(plan),
        private_entity_id=_plan_private(plan),
        context={"evaluation": evaluation, "plan": plan, "entity": plan.entity},
        url=evaluation.get_absolute_url(),
    )


@register("evaluation.sent", _("Evaluación enviada al secretariado"), EmailMode.IMMEDIATE)
def evaluation_sent(evaluation, data):
    plan = evaluation.plan
    return Audience(
        people_query=plan_seat_query(plan),
        private_entity_id=plan.entity_id,
        context={"evaluation": evaluation, "plan": plan, "entity": plan.entity},
        url=evaluation.get_absolute_url(),
    )


# ----------------------------------------------------------------------------- money
# Red flags live in the Parquet store, not in rows: `obj` is None and `data` carries the
# party (`role`: "supplier" or "buyer", `party_id`, `name`) and the flag (`flag`, `ocid`).


@register("money.red_flag", _("Nueva bandera roja en Sigue el Dinero"))
def red_flag(obj, data):
    from django.urls import reverse

    kind = TargetKind.SUPPLIER if data["role"] == "supplier" else TargetKind.BUYER
    name = "money:supplier" if kind == TargetKind.SUPPLIER else "money:buyer"
    return Audience(
        targets=[(kind, data["party_id"])],
        context=dict(data),
        url=reverse(name, args=[data["party_id"]]),
    )


# ----------------------------------------------------------------------------- events


def _event_private(event) -> bool:
    from cocrea.events.models import EventStatus

    return event.status != EventStatus.PUBLISHED


@register("events.programme_changed", _("Cambio en el programa de un evento"))
def programme_changed(session, data):
    event = session.event
    if _event_private(event):
        return None
    return Audience(
        targets=[(TargetKind.EVENT, str(event.pk))],
        context={"session": session, "event": event, **data},
        url=event.get_absolute_url(),
    )


@register("events.seat_freed", _("Lugar liberado para usted"), EmailMode.IMMEDIATE)
def seat_freed(registration, data):
    from django.db.models import Q

    event = registration.event
    # Registrations are by e-mail: the person with an account on that address hears of it.
    return Audience(
        people_query=Q(email__iexact=registration.email, is_active=True),
        context={"registration": registration, "event": event},
        url=event.get_absolute_url(),
    )
