"""*Mi espacio* for evaluation: an evaluator's reviews in progress and their deadlines; a
secretariat's reviews waiting for its reply; national coordination sees both across entities."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from cocrea.accounts.workspace import block, is_coordinator, seat_scope

from .models import Appointment, Review, ReviewStatus

IN_PROGRESS = (ReviewStatus.DRAFT, ReviewStatus.COMMENTS)


def _deadline(review) -> str:
    if review.status == ReviewStatus.COMMENTS and review.reply_due:
        return _("%(status)s · réplica hasta el %(d)s") % {
            "status": review.get_status_display(),
            "d": review.reply_due.strftime("%d/%m/%Y"),
        }
    return review.get_status_display()


def reviews_in_progress(user):
    """The evaluator's appointments: a review to start, or its draft / reply period."""
    coordinator = is_coordinator(user)
    appointments = Appointment.objects.filter(ended_at__isnull=True)
    if not coordinator:
        appointments = appointments.filter(user=user)
        if not appointments.exists():
            return None
    qs = (
        Review.objects.filter(status__in=IN_PROGRESS, appointment__in=appointments)
        .select_related("plan__entity", "plan__municipality")
        .order_by("reply_due", "plan__entity__code", "id")
    )
    result = block(
        _("Evaluaciones en curso"),
        qs,
        lambda r: (
            f"{r.get_stage_display()} · {r.plan}",
            r.get_absolute_url(),
            _deadline(r),
        ),
        empty=_("Ninguna evaluación en curso."),
    )
    pending = appointments.exclude(reviews__isnull=False).count()
    if pending:
        result["note"] = _(
            "%(n)s designaciones sin revisión iniciada: empiece en su espacio de evaluación."
        ) % {"n": pending}
        result["note_url"] = reverse("evaluation:workspace")
    return result


def reviews_to_answer(user):
    """Reviews of the plans at the person's own level that are in their reply period."""
    scope = seat_scope(user, "plan__")
    if scope is None or is_coordinator(user):
        return None  # coordination sees them among the reviews in progress
    qs = (
        Review.objects.filter(scope, status=ReviewStatus.COMMENTS)
        .select_related("plan__entity", "plan__municipality")
        .order_by("reply_due", "id")
    )
    if not qs.exists():
        return None
    return block(
        _("Evaluaciones que esperan la réplica del secretariado"),
        qs,
        lambda r: (f"{r.get_stage_display()} · {r.plan}", r.get_absolute_url(), _deadline(r)),
    )
