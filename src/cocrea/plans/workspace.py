"""*Mi espacio* for plans: reports awaiting my side, milestones and agreements due, follows."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.accounts import selectors as memberships
from cocrea.accounts.workspace import block, is_coordinator, seat_scope

from .models import (
    Agreement,
    AgreementStatus,
    Milestone,
    MilestoneStatus,
    ProgressReport,
    ReportStatus,
)

OPEN = [MilestoneStatus.COMPLETE, MilestoneStatus.CANCELLED]


def reports_to_validate(user):
    """Pending reports that the person's side validates (all of them for coordination)."""
    if is_coordinator(user):
        scope = Q()
    else:
        seats = memberships.seats(user)
        if not seats:
            return None
        scope = Q(pk__in=[])
        for seat in seats:
            # The counterpart of a report filed by one side is the other side.
            scope |= Q(
                milestone__commitment__plan__entity_id=seat.entity_id,
                milestone__commitment__plan__municipality_id=seat.municipality_id,
            ) & ~Q(side=seat.side)
    qs = (
        ProgressReport.objects.filter(scope, status=ReportStatus.PENDING)
        .exclude(reported_by=user)
        .select_related("milestone__commitment")
        .order_by("date", "id")
    )
    return block(
        _("Reportes que esperan la validación de su lado"),
        qs,
        lambda r: (
            f"{r.milestone.title}: {r.progress:.0f} %",
            r.milestone.get_absolute_url(),
            _("reportado el %(d)s por %(who)s")
            % {"d": r.date.strftime("%d/%m/%Y"), "who": r.reporter_label},
        ),  # fmt: skip
        empty=_("Ningún reporte espera su validación."),
    )


def milestones_due(user):
    scope = seat_scope(user, "commitment__plan__")
    if scope is None:
        return None
    today = timezone.localdate()
    qs = (
        Milestone.objects.filter(scope, end_date__lte=today + timedelta(days=14))
        .exclude(status__in=OPEN)
        .select_related("commitment")
        .order_by("end_date", "id")
    )
    return block(
        _("Hitos que vencen en 14 días o ya vencieron"),
        qs,
        lambda m: (
            m.title,
            m.get_absolute_url(),
            (_("vencido desde el %(d)s") if m.end_date < today else _("vence el %(d)s"))
            % {"d": m.end_date.strftime("%d/%m/%Y")},
        ),
        empty=_("Ningún hito vence en los próximos 14 días."),
    )


def agreements_due(user):
    scope = seat_scope(user, "session__secretariat__")
    if scope is None:
        return None
    today = timezone.localdate()
    qs = (
        Agreement.objects.filter(scope, due_date__lte=today + timedelta(days=14))
        .filter(status__in=[AgreementStatus.PENDING, AgreementStatus.IN_PROGRESS])
        .select_related("session__secretariat__entity")
        .order_by("due_date", "id")
    )
    return block(
        _("Acuerdos del secretariado por cumplir"),
        qs,
        lambda a: (
            a.text[:120],
            f"/seguimiento/{a.session.secretariat.entity.slug}/secretariado/",
            _("fecha compromiso %(d)s") % {"d": a.due_date.strftime("%d/%m/%Y")},
        ),
        empty=_("Ningún acuerdo vence en los próximos 14 días."),
    )
