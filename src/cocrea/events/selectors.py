"""Read-side queries. Public ones return counts and programme data, never registrants."""

from __future__ import annotations

from collections import OrderedDict
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q

from .models import (
    Attendance,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Sector,
    Session,
    SessionRegistration,
    Speaker,
)

MEXICO_CITY = ZoneInfo("America/Mexico_City")

_CONFIRMED = Q(registrations__status=RegistrationStatus.CONFIRMED)
_WAITLISTED = Q(registrations__status=RegistrationStatus.WAITLISTED)


def with_counts(queryset):
    """Events annotated with `registered_count` (confirmed) and `waitlist_count`."""
    return queryset.select_related("entity").annotate(
        registered_count=Count("registrations", filter=_CONFIRMED),
        waitlist_count=Count("registrations", filter=_WAITLISTED),
    )


def public_events():
    """Published and cancelled events with their public counters."""
    return with_counts(
        Event.objects.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
    ).order_by("-start")


def public_event(slug: str) -> Event | None:
    return public_events().filter(slug=slug).first()


def sessions_of(event: Event, track_slug: str | None = None):
    qs = (
        Session.objects.filter(event=event)
        .select_related("track")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("name")))
        .annotate(
            seats_taken=Count(
                "seats", filter=Q(seats__status=SessionRegistration.Status.CONFIRMED)
            ),
            seats_waitlisted=Count(
                "seats", filter=Q(seats__status=SessionRegistration.Status.WAITLISTED)
            ),
        )
        .order_by("start", "room", "title")
    )
    if track_slug:
        qs = qs.filter(track__slug=track_slug)
    return qs


def public_sessions(*, event: str | None = None, track: str | None = None, kind: str | None = None):
    """Sessions of public events (the open-data programme), speakers prefetched.

    Filters: `event` slug, `track` slug, `kind` (a SessionKind value). Two queries
    (sessions, speakers) whatever the number of sessions; no registrant.
    """
    qs = (
        Session.objects.filter(event__status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
        .select_related("event", "track")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("name")))
        .order_by("event__start", "event__slug", "start", "room", "title", "id")
    )
    if event:
        qs = qs.filter(event__slug=event)
    if track:
        qs = qs.filter(track__slug=track)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def programme_by_day(event: Event, track_slug: str | None = None) -> list[dict]:
    """[{"date": date, "sessions": [...]}] in Mexico City local days."""
    days: OrderedDict = OrderedDict()
    for session in sessions_of(event, track_slug):
        day = session.start.astimezone(MEXICO_CITY).date()
        days.setdefault(day, []).append(session)
    first = event.start.astimezone(MEXICO_CITY).date()
    # Day numbers count from the event's first day, also when a track filter hides some.
    return [
        {"number": (day - first).days + 1, "date": day, "sessions": items}
        for day, items in days.items()
    ]


def registerable_sessions(event: Event):
    return Session.objects.filter(event=event, capacity__isnull=False).order_by("start", "title")


def dashboard(event: Event) -> dict:
    """Aggregated registrations and attendance by sector, entity and session."""
    regs = Registration.objects.filter(event=event)
    totals = regs.aggregate(
        confirmed=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED), distinct=True),
        waitlisted=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED), distinct=True),
        cancelled=Count("id", filter=Q(status=RegistrationStatus.CANCELLED), distinct=True),
    )
    totals["attended"] = (
        Attendance.objects.filter(registration__event=event)
        .values("registration")
        .distinct()
        .count()
    )
    active = regs.exclude(status=RegistrationStatus.CANCELLED)
    attended_ids = Attendance.objects.filter(registration__event=event).values("registration")

    def grouped(field):
        return list(
            active.values(field)
            .annotate(
                confirmed=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED)),
                waitlisted=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED)),
                attended=Count("id", filter=Q(id__in=attended_ids)),
            )
            .order_by(field)
        )

    sector_labels = dict(Sector.choices)
    by_sector = [
        {**row, "label": sector_labels.get(row["sector"], row["sector"])}
        for row in grouped("sector")
    ]
    by_entity = [
        {**row, "label": row["entity__common_name"] or "—"}
        for row in active.values("entity__code", "entity__common_name")
        .annotate(
            confirmed=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waitlisted=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED)),
            attended=Count("id", filter=Q(id__in=attended_ids)),
        )
        .order_by("entity__code")
    ]
    by_session = list(
        Session.objects.filter(event=event)
        .annotate(
            confirmed=Count(
                "seats",
                filter=Q(seats__status=SessionRegistration.Status.CONFIRMED),
                distinct=True,
            ),
            waitlisted=Count(
                "seats",
                filter=Q(seats__status=SessionRegistration.Status.WAITLISTED),
                distinct=True,
            ),
            attended=Count("attendances", distinct=True),
        )
        .order_by("start", "title")
    )
    return {
        "totals": totals,
        "by_sector": by_sector,
        "by_entity": by_entity,
        "by_session": by_session,
    }


def registrants_for_export(event: Event):
    return (
        Registration.objects.filter(event=event)
        .select_related("entity")
        .prefetch_related("attendances")
        .order_by("sequence")
    )


def attendees(event: Event):
    """Confirmed registrations with at least one check-in: they get a certificate."""
    return (
        Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED, attendances__isnull=False
        )
        .distinct()
        .select_related("event", "entity")
        .order_by("name")
    )


def entity_summary(entity) -> dict | None:
    """The events block of the public entity page (aggregates only; 2 queries)."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    organised = list(public_events().filter(entity=entity).order_by("start"))
    registrants = (
        Registration.objects.filter(entity=entity)
        .exclude(status=RegistrationStatus.CANCELLED)
        .filter(event__status=EventStatus.PUBLISHED)
        .count()
    )
    if not organised and not registrants:
        return None
    facts = []
    if organised:
        facts.append(
            ngettext(
                "%(n)d evento organizado por su Secretariado Técnico Local.",
                "%(n)d eventos organizados por su Secretariado Técnico Local.",
                len(organised),
            )
            % {"n": len(organised)}
        )
        upcoming = [e for e in organised if e.end >= timezone.now()]
        if upcoming:
            facts.append(_("Próximo: %(t)s.") % {"t": upcoming[0].title})
    if registrants:
        facts.append(
            ngettext(
                "%(n)d persona de esta entidad registrada en eventos.",
                "%(n)d personas de esta entidad registradas en eventos.",
                registrants,
            )
            % {"n": registrants}
        )
    url = (
        reverse("events:detail", args=[organised[-1].slug])
        if len(organised) == 1
        else reverse("events:list")
    )
    return {"title": _("Eventos"), "url": url, "facts": facts}
