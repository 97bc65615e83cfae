"""What can be followed: each kind resolves an identifier to a label and a page, for a person.

A target the person may not see (a draft plan, an unpublished event, a hidden proposal)
resolves to None, as does one that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import reverse

from .models import TargetKind

# OCDS party identifiers (e.g. "MX-RFC-ABC123456XY0"): printable, not starting with a slash.
PARTY_ID = re.compile(r"^[^\s/][^\x00-\x1f]{0,199}$")


@dataclass(frozen=True)
class Target:
    kind: str
    identifier: str
    label: str
    url: str


def _sees_drafts(user, entity) -> bool:
    from .rules import sees_inside

    return sees_inside(user, entity.pk)


def resolve(kind: str, identifier: str, user=None) -> Target | None:
    identifier = (identifier or "").strip()
    if not identifier or len(identifier) > 200:
        return None
    finder = _FINDERS.get(kind)
    return finder(identifier, user) if finder else None


def _int(identifier: str) -> int | None:
    return int(identifier) if identifier.isdigit() and len(identifier) < 12 else None


def _entity(identifier, user):
    from cocrea.territory.models import Entity

    entity = Entity.objects.filter(code=identifier).first()
    if entity is None:
        return None
    return Target(
        TargetKind.ENTITY, entity.code, entity.common_name, f"/seguimiento/{entity.slug}/"
    )


def _plan_visible(plan, user) -> bool:
    from cocrea.plans.models import PlanStatus

    return plan.status != PlanStatus.DRAFT or (user is not None and _sees_drafts(user, plan.entity))


def _plan(identifier, user):
    from cocrea.plans.models import ActionPlan

    pk = _int(identifier)
    plan = ActionPlan.objects.select_related("entity").filter(pk=pk).first() if pk else None
    if plan is None or not _plan_visible(plan, user):
        return None
    return Target(TargetKind.PLAN, str(plan.pk), str(plan.title), plan.get_absolute_url())


def _commitment(identifier, user):
    from cocrea.plans.models import Commitment

    pk = _int(identifier)
    c = Commitment.objects.select_related("plan__entity").filter(pk=pk).first() if pk else None
    if c is None or not _plan_visible(c.plan, user):
        return None
    return Target(TargetKind.COMMITMENT, str(c.pk), str(c.title), c.get_absolute_url())


def _process(identifier, user):
    from cocrea.participation.models import Process

    pk = _int(identifier)
    p = Process.objects.select_related("entity").filter(pk=pk).first() if pk else None
    if p is None:
        return None
    return Target(TargetKind.PROCESS, str(p.pk), str(p.title), p.get_absolute_url())


def _proposal(identifier, user):
    from cocrea.participation.models import Proposal

    pk = _int(identifier)
    p = Proposal.objects.filter(pk=pk).first() if pk else None
    if p is None or (p.is_hidden and (user is None or p.author_id != user.pk)):
        return None
    return Target(TargetKind.PROPOSAL, str(p.pk), str(p.title), p.get_absolute_url())


def _party(kind, url_name):
    def find(identifier, user):
        if not PARTY_ID.match(identifier):
            return None
        return Target(kind, identifier, identifier, reverse(url_name, args=[identifier]))

    return find


def _event(identifier, user):
    from cocrea.events.models import Event, EventStatus

    pk = _int(identifier)
    event = Event.objects.filter(pk=pk).first() if pk else None
    if event is None or event.status != EventStatus.PUBLISHED:
        return None
    return Target(TargetKind.EVENT, str(event.pk), str(event.title), event.get_absolute_url())


_FINDERS = {
    TargetKind.ENTITY: _entity,
    TargetKind.PLAN: _plan,
    TargetKind.COMMITMENT: _commitment,
    TargetKind.PROCESS: _process,
    TargetKind.PROPOSAL: _proposal,
    TargetKind.SUPPLIER: _party(TargetKind.SUPPLIER, "money:supplier"),
    TargetKind.BUYER: _party(TargetKind.BUYER, "money:buyer"),
    TargetKind.EVENT: _event,
}
