"""Every change of state of events: registration, waiting lists, check-in, mailings.

Never oversell: every function that takes or frees a seat first locks the event's row
(`SELECT ... FOR UPDATE`), so seat counts, `Event.registration_seq` and
`Event.waitlist_seq` are read and written by one transaction at a time for that event.
SQLite has no row locks; the settings open its transactions with BEGIN IMMEDIATE, which
serialises writers for the whole database, so the same code holds there.

Waiting-list order: a waitlisted registration receives `waitlist_position =
Event.waitlist_seq + 1` under the lock, and promotion always takes the lowest position.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.accounts.permissions import require
from cocrea.core import audit
from cocrea.core.events import announce

from . import emails
from .models import (
    CODE_ALPHABET,
    Attendance,
    Event,
    Registration,
    RegistrationStatus,
    Session,
    SessionRegistration,
    new_checkin_code,
)


class RegistrationClosed(Exception):
    """Registration for this event is not open (410 in the API)."""


class AlreadyRegistered(Exception):
    """This email already holds an active registration for this event (409 in the API)."""


# Fields an audit entry may keep: never names, emails or organisations of registrants.
_AUDIT_FIELDS = ["event", "status", "sequence", "waitlist_position", "sector", "entity"]


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _entity_code(event: Event) -> str:
    return event.entity.code if event.entity_id else ""


def _confirmed_count(event: Event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()


def _after_commit(fn, *args) -> None:
    transaction.on_commit(partial(fn, *args))


def _validate_sessions(event: Event, sessions: Iterable[Session]) -> list[Session]:
    chosen = sorted({s.pk: s for s in sessions}.values(), key=lambda s: s.pk)
    for session in chosen:
        if session.event_id != event.pk:
            raise ValidationError({"sessions": _("La sesión no pertenece a este evento.")})
        if session.capacity is None:
            raise ValidationError(
                {"sessions": _("La sesión «%(s)s» no requiere inscripción.") % {"s": session}}
            )
    return chosen


def _take_seat(registration: Registration, session: Session) -> SessionRegistration:
    """Confirm or waitlist one session seat; the caller holds the event lock."""
    seat = SessionRegistration(registration=registration, session=session)
    if registration.status != RegistrationStatus.CONFIRMED:
        seat.status = SessionRegistration.Status.PENDING
    else:
        taken = session.seats.filter(status=SessionRegistration.Status.CONFIRMED).count()
        if taken < session.capacity:
            seat.status = SessionRegistration.Status.CONFIRMED
        else:
            session = Session.objects.select_for_update().get(pk=session.pk)
            session.waitlist_seq += 1
            session.save(update_fields=["waitlist_seq"])
            seat.status = SessionRegistration.Status.WAITLISTED
            seat.waitlist_position = session.waitlist_seq
    seat.save()
    return seat


def _activate_pending_seats(registration: Registration) -> None:
    """After a promotion to confirmed, the seats chosen while waiting are allocated."""
    pending = list(
        registration.session_choices.filter(status=SessionRegistration.Status.PENDING)
        .select_related("session")
        .order_by("session_id")
    )
    for seat in pending:
        session = seat.session
        seat.delete()
        _take_seat(registration, session)


def register(
    event: Event,
    *,
    name: str,
    email: str,
    organization: str = "",
    sector: str,
    entity=None,
    sessions: Iterable[Session] = (),
    accept_privacy_notice: bool,
    base_url: str = "",
    actor=None,
    now=None,
) -> Registration:
    """Register one person: confirmed while seats remain, otherwise waitlisted.

    Raises ValidationError (no consent, bad session), RegistrationClosed or
    AlreadyRegistered. The confirmation email leaves after the commit.
    """
    if not accept_privacy_notice:
        raise ValidationError(
            {"accept_privacy_notice": _("Debe aceptar el aviso de privacidad para registrarse.")}
        )
    normalized = Registration.normalize_email(email)
    try:
        with transaction.atomic():
            locked = _lock_event(event)
            now = now or timezone.now()
            if not locked.registration_is_open(now):
                raise RegistrationClosed
            chosen = _validate_sessions(locked, sessions)
            existing = Registration.objects.filter(
                event=locked, email_normalized=normalized
            ).first()
            if existing is not None and existing.is_active:
                raise AlreadyRegistered
            locked.registration_seq += 1
            registration = existing or Registration(event=locked)
            registration.sequence = locked.registration_seq
            if _confirmed_count(locked) < locked.capacity:
                registration.status = RegistrationStatus.CONFIRMED
                registration.waitlist_position = None
            else:
                locked.waitlist_seq += 1
                registration.status = RegistrationStatus.WAITLISTED
                registration.waitlist_position = locked.waitlist_seq
            locked.save(update_fields=["registration_seq", "waitlist_seq", "updated_at"])
            registration.name = " ".join(name.split())
            registration.email = email
            registration.organization = " ".join((organization or "").split())
            registration.sector = sector
            registration.entity = entity
            registration.privacy_accepted_at = now
            registration.created_at = now
            registration.cancelled_at = None
            registration.promoted_at = None
            if existing is not None:
                registration.code = new_checkin_code()
            registration.save()
            for session in chosen:
                _take_seat(registration, session)
            audit.record(
                actor=actor,
                action="events.registration.create",
                obj=registration,
                entity_code=_entity_code(locked),
                after=audit.snapshot(registration, _AUDIT_FIELDS),
            )
            _after_commit(emails.send_confirmation, registration.pk, base_url)
    except IntegrityError as exc:
        # The lock makes this unreachable for the same event; kept as the last guard.
        raise AlreadyRegistered from exc
    return registration


def _promote_event_waitlist(event: Event, base_url: str, now) -> list[Registration]:
    """Fill free seats from the waiting list, lowest position first (event locked)."""
    promoted = []
    free = event.capacity - _confirmed_count(event)
    if free <= 0:
        return promoted
    waiting = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).order_by(
            "waitlist_position"
        )[:free]
    )
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        _activate_pending_seats(registration)
        audit.record(
            actor=None,
            action="events.registration.promote",
            obj=registration,
            entity_code=_entity_code(event),
            after=audit.snapshot(registration, _AUDIT_FIELDS),
        )
        _after_commit(emails.send_promotion, registration.pk, base_url)
        announce("events.seat_freed", registration)
        promoted.append(registration)
    return promoted


def _promote_session_waitlist(session: Session, base_url: str) -> list[SessionRegistration]:
    promoted = []
    taken = session.seats.filter(status=SessionRegistration.Status.CONFIRMED).count()
    free = (session.capacity or 0) - taken
    if free <= 0:
        return promoted
    waiting = list(
        session.seats.filter(status=SessionRegistration.Status.WAITLISTED).order_by(
            "waitlist_position"
        )[:free]
    )
    for seat in waiting:
        seat.status = SessionRegistration.Status.CONFIRMED
        seat.save(update_fields=["status"])
        _after_commit(emails.send_session_promotion, seat.pk, base_url)
        promoted.append(seat)
    return promoted


def promote_waitlists(event: Event, *, base_url: str = "") -> list[Registration]:
    """Fill every free seat of the event and its sessions (after a capacity change)."""
    with transaction.atomic():
        locked = _lock_event(event)
        promoted = _promote_event_waitlist(locked, base_url, timezone.now())
        for session in locked.sessions.filter(capacity__isnull=False):
            _promote_session_waitlist(session, base_url)
    return promoted


def cancel_registration(registration: Registration, *, base_url: str = "", actor=None):
    """Cancel; the freed seat goes to the first person on the waiting list."""
    require(actor, "events.change_registration", registration)
    with transaction.atomic():
        locked_event = _lock_event(registration.event)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            return current, []
        before = audit.snapshot(current, _AUDIT_FIELDS)
        was_confirmed = current.status == RegistrationStatus.CONFIRMED
        freed_sessions = [
            seat.session
            for seat in current.session_choices.select_related("session").filter(
                status=SessionRegistration.Status.CONFIRMED
            )
        ]
        current.session_choices.all().delete()
        now = timezone.now()
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at", "updated_at"])
        audit.record(
            actor=actor,
            action="events.registration.cancel",
            obj=current,
            entity_code=_entity_code(locked_event),
            before=before,
            after=audit.snapshot(current, _AUDIT_FIELDS),
        )
        _after_commit(emails.send_cancellation, current.pk, base_url)
        promoted = _promote_event_waitlist(locked_event, base_url, now) if was_confirmed else []
        for session in freed_sessions:
            _promote_session_waitlist(session, base_url)
    return current, promoted


def update_registration(
    registration: Registration,
    *,
    name: str,
    organization: str,
    sector: str,
    entity,
    sessions: Iterable[Session],
    base_url: str = "",
    actor=None,
) -> Registration:
    """Change a registration's details and session choices (the email stays).

    `actor` None is the registrant through their signed link; staff are checked.
    """
    require(actor, "events.change_registration", registration)
    with transaction.atomic():
        locked_event = _lock_event(registration.event)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            raise ValidationError(_("El registro está cancelado."))
        chosen = {s.pk: s for s in _validate_sessions(locked_event, sessions)}
        before = audit.snapshot(current, _AUDIT_FIELDS)
        current.name = " ".join(name.split())
        current.organization = " ".join((organization or "").split())
        current.sector = sector
        current.entity = entity
        current.save()
        seats = {s.session_id: s for s in current.session_choices.select_related("session")}
        freed = []
        for session_id, seat in seats.items():
            if session_id not in chosen:
                if seat.status == SessionRegistration.Status.CONFIRMED:
                    freed.append(seat.session)
                seat.delete()
        for session_id, session in sorted(chosen.items()):
            if session_id not in seats:
                _take_seat(current, session)
        for session in freed:
            _promote_session_waitlist(session, base_url)
        audit.record(
            actor=actor,
            action="events.registration.update",
            obj=current,
            entity_code=_entity_code(locked_event),
            before=before,
            after=audit.snapshot(current, _AUDIT_FIELDS),
        )
    return current


@dataclass
class CheckInResult:
    outcome: str  # "ok", "already", "not_found", "not_confirmed", "no_seat"
    registration: Registration | None = None
    attendance: Attendance | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def normalize_code(raw: str) -> str:
    """Accept the code as typed or as read from the QR code (`COCREA:CODE`)."""
    value = (raw or "").strip().upper()
    if ":" in value:
        value = value.rsplit(":", 1)[1]
    return "".join(ch for ch in value if ch in CODE_ALPHABET)


def check_in(event: Event, code: str, *, session: Session | None = None, actor) -> CheckInResult:
    """Mark attendance once, at the entrance or at one session."""
    require(actor, "events.check_in", event)
    if session is not None and session.event_id != event.pk:
        raise ValidationError(_("La sesión no pertenece a este evento."))
    registration = (
        Registration.objects.filter(event=event, code=normalize_code(code))
        .select_related("entity")
        .first()
    )
    if registration is None:
        return CheckInResult("not_found")
    if registration.status != RegistrationStatus.CONFIRMED:
        return CheckInResult("not_confirmed", registration)
    if (
        session is not None
        and session.capacity is not None
        and not registration.session_choices.filter(
            session=session, status=SessionRegistration.Status.CONFIRMED
        ).exists()
    ):
        return CheckInResult("no_seat", registration)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                registration=registration,
                session=session,
                checked_in_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit.record(
                actor=actor,
                action="events.attendance.create",
                obj=attendance,
                entity_code=_entity_code(event),
                after={"registration": registration.pk, "session": getattr(session, "pk", None)},
            )
    except IntegrityError:
        attendance = Attendance.objects.get(registration=registration, session=session)
        return CheckInResult("already", registration, attendance)
    return CheckInResult("ok", registration, attendance)


def email_registrants(
    event: Event, *, subject: str, body: str, session: Session | None = None, actor
) -> int:
    """Email every confirmed registrant of the event, or of one session; returns the count."""
    require(actor, "events.email_registrants", event)
    subject = " ".join((subject or "").split())
    if not subject or not (body or "").strip():
        raise ValidationError(_("El asunto y el mensaje son obligatorios."))
    registrations = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    if session is not None:
        if session.event_id != event.pk:
            raise ValidationError(_("La sesión no pertenece a este evento."))
        if session.capacity is not None:
            registrations = registrations.filter(
                session_choices__session=session,
                session_choices__status=SessionRegistration.Status.CONFIRMED,
            )
    recipients = list(registrations.order_by("sequence").values_list("email", flat=True))
    sent = emails.send_bulk(event, recipients, subject, body)
    audit.record(
        actor=actor,
        action="events.registrants.email",
        obj=session or event,
        entity_code=_entity_code(event),
        after={"subject": subject, "recipients": sent},
    )
    return sent


@transaction.atomic
def save_session(session: Session, *, actor) -> Session:
    """Create or change a session (back office); more seats promote its waiting list."""
    creating = session.pk is None
    require(actor, "events.add_session" if creating else "events.change_session", session)
    fields = ["event", "title", "kind", "start", "end", "room", "capacity"]
    before = None
    if not creating:
        previous = Session.objects.select_related("event").get(pk=session.pk)
        require(actor, "events.change_session", previous)
        before = audit.snapshot(previous, fields)
    session.save()
    audit.record(
        actor=actor,
        action="events.session." + ("create" if creating else "update"),
        obj=session,
        entity_code=_entity_code(session.event),
        before=before,
        after=audit.snapshot(session, fields),
    )
    changed = creating or {
        k: v for k, v in audit.snapshot(session, fields).items() if before.get(k) != v
    }
    if changed:
        announce("events.programme_changed", session, actor=actor)
    if not creating and session.capacity is not None:
        promote_waitlists(session.event)
    return session


@transaction.atomic
def save_event(event: Event, *, actor) -> Event:
    """Create or change an event (back office); more seats promote the waiting list."""
    creating = event.pk is None
    require(actor, "events.add_event" if creating else "events.change_event", event)
    fields = ["title", "slug", "start", "end", "capacity", "status", "entity"]
    before = None
    if not creating:
        previous = Event.objects.select_for_update().get(pk=event.pk)
        require(actor, "events.change_event", previous)
        before = audit.snapshot(previous, fields)
    event.save()
    audit.record(
        actor=actor,
        action="events.event." + ("create" if creating else "update"),
        obj=event,
        entity_code=_entity_code(event),
        before=before,
        after=audit.snapshot(event, fields),
    )
    if creating:
        announce("events.event_created", event, actor=actor)
    if not creating:
        promote_waitlists(event)
    return event


def record_export(event: Event, *, actor) -> None:
    """Exports of personal data are audited (who downloaded the registrants, and when)."""
    require(actor, "events.export_registrations", event)
    audit.record(
        actor=actor,
        action="events.registrants.export",
        obj=event,
        entity_code=_entity_code(event),
    )
