import csv
import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cocrea.accounts.permissions import can

from . import ics, links, selectors, services, tasks
from .certificates import certificates_pdf
from .forms import EmailRegistrantsForm, RegistrantDetailsForm, RegistrationForm
from .limits import registration_limited
from .models import Attendance, Event, RegistrationStatus, Session


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _event_or_404(slug: str) -> Event:
    event = selectors.public_event(slug)
    if event is None:
        raise Http404
    return event


def event_list(request):
    now = timezone.now()
    events = list(selectors.public_events())
    return render(
        request,
        "events/list.html",
        {
            "upcoming": [e for e in events if e.end >= now][::-1],
            "past": [e for e in events if e.end < now],
        },
    )


def event_detail(request, slug):
    event = _event_or_404(slug)
    days = selectors.programme_by_day(event)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "days": days,
            "speakers": event.speakers.order_by("name"),
            "registration_open": event.registration_is_open(),
            "seats_left": max(event.capacity - event.registered_count, 0),
            "now": timezone.now(),
            "can_manage": request.user.is_authenticated
            and can(request.user, "events.view_dashboard", event),
        },
    )


def programme(request, slug):
    event = _event_or_404(slug)
    track = request.GET.get("eje") or None
    tracks = list(event.tracks.all())
    if track and track not in {t.slug for t in tracks}:
        track = None
    return render(
        request,
        "events/programme.html",
        {
            "event": event,
            "days": selectors.programme_by_day(event, track),
            "tracks": tracks,
            "current_track": track,
        },
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, slug):
    event = _event_or_404(slug)
    sessions = selectors.sessions_of(event)
    return _ics_response(ics.event_calendar(event, sessions, _base_url(request)), f"{slug}.ics")


def session_ics(request, slug, pk):
    event = _event_or_404(slug)
    session = get_object_or_404(selectors.sessions_of(event), pk=pk)
    return _ics_response(
        ics.session_calendar(session, _base_url(request)), f"{slug}-sesion-{pk}.ics"
    )


def privacy_notice(request):
    return render(request, "events/privacy.html")


def register(request, slug):
    event = _event_or_404(slug)
    is_open = event.registration_is_open()
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and is_open:
        if registration_limited(request, request.POST.get("email", "")):
            return render(
                request,
                "events/register.html",
                {"event": event, "form": form, "limited": True},
                status=429,
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration = services.register(
                    event,
                    name=data["name"],
                    email=data["email"],
                    organization=data["organization"],
                    sector=data["sector"],
                    entity=data["entity_code"],
                    sessions=data.get("sessions") or [],
                    accept_privacy_notice=data["accept_privacy_notice"],
                    base_url=_base_url(request),
                )
            except services.AlreadyRegistered:
                form.add_error(
                    "email",
                    _(
                        "Este correo ya tiene un registro para este evento. Revise su correo para "
                        "ver o cambiar su registro."
                    ),
                )
            except services.RegistrationClosed:
                is_open = False
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect(
                    reverse("events:registered", args=[event.slug])
                    + f"?estado={registration.status}"
                )
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "registration_open": is_open},
        status=410 if request.method == "POST" and not is_open else 200,
    )


def registered(request, slug):
    event = _event_or_404(slug)
    status = request.GET.get("estado")
    return render(
        request,
        "events/registered.html",
        {"event": event, "waitlisted": status == RegistrationStatus.WAITLISTED},
    )


def _registration_from_token(slug, token):
    registration = links.read_token(token)
    if registration is None or registration.event.slug != slug:
        raise Http404
    return registration


@never_cache
def manage(request, slug, token):
    registration = _registration_from_token(slug, token)
    event = registration.event
    active = registration.status != RegistrationStatus.CANCELLED
    initial = {
        "name": registration.name,
        "organization": registration.organization,
        "sector": registration.sector,
        "entity_code": registration.entity.code if registration.entity_id else "",
        "sessions": [s.session_id for s in registration.session_choices.all()],
    }
    form = RegistrantDetailsForm(
        request.POST if request.method == "POST" else None, initial=initial, event=event
    )
    if request.method == "POST" and active and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_registration(
                registration,
                name=data["name"],
                organization=data["organization"],
                sector=data["sector"],
                entity=data["entity_code"],
                sessions=data.get("sessions") or [],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Guardamos los cambios de su registro."))
        return redirect(request.path)
    seats = list(registration.session_choices.select_related("session").order_by("session__start"))
    return render(
        request,
        "events/manage.html",
        {
            "event": event,
            "registration": registration,
            "form": form,
            "seats": seats,
            "active": active,
            "qr_svg": links.qr_svg(links.qr_payload(registration))
            if registration.status == RegistrationStatus.CONFIRMED
            else "",
            "attended": registration.attendances.exists(),
            "token": token,
        },
    )


@never_cache
@require_POST
def cancel(request, slug, token):
    registration = _registration_from_token(slug, token)
    services.cancel_registration(registration, base_url=_base_url(request))
    messages.success(request, _("Su registro fue cancelado."))
    return redirect(reverse("events:manage", args=[slug, token]))


@never_cache
def my_certificate(request, slug, token):
    registration = _registration_from_token(slug, token)
    if registration.status != RegistrationStatus.CONFIRMED or not registration.attendances.exists():
        raise Http404
    return _pdf_response(certificates_pdf([registration]), f"constancia-{slug}.pdf")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Staff pages -----------------------------------------------------------------------


def _csv_safe(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _staff_event(request, slug, perm) -> Event:
    event = get_object_or_404(Event.objects.select_related("entity"), slug=slug)
    if not can(request.user, perm, event):
        raise PermissionDenied
    return event


@login_required
def staff_dashboard(request, slug):
    event = _staff_event(request, slug, "events.view_dashboard")
    user = request.user
    return render(
        request,
        "events/staff/dashboard.html",
        {
            "event": event,
            "stats": selectors.dashboard(event),
            "can_check_in": can(user, "events.check_in", event),
            "can_export": can(user, "events.export_registrations", event),
            "can_email": can(user, "events.email_registrants", event),
            "can_certify": can(user, "events.issue_certificates", event),
        },
    )


def _checkin_message(result) -> str:
    name = result.registration.name if result.registration else ""
    if result.outcome == "ok":
        return _("Bienvenida/o, %(n)s. Asistencia registrada.") % {"n": name}
    if result.outcome == "already":
        at = timezone.localtime(result.attendance.checked_in_at)
        return _("%(n)s ya había registrado su entrada el %(d)s a las %(t)s.") % {
            "n": name,
            "d": date_format(at, "j \\d\\e F"),
            "t": date_format(at, "H:i"),
        }
    if result.outcome == "not_confirmed":
        if result.registration.status == RegistrationStatus.CANCELLED:
            return _("El registro de %(n)s está cancelado.") % {"n": name}
        return _("%(n)s está en la lista de espera: no tiene lugar confirmado.") % {"n": name}
    if result.outcome == "no_seat":
        return _("%(n)s no tiene lugar confirmado en esta sesión.") % {"n": name}
    return _("No encontramos ningún registro con ese código en este evento.")


@login_required
def staff_checkin(request, slug):
    event = _staff_event(request, slug, "events.check_in")
    sessions = list(Session.objects.filter(event=event).order_by("start", "title"))
    session = None
    session_id = request.POST.get("session") or request.GET.get("sesion")
    if session_id:
        session = next((s for s in sessions if str(s.pk) == session_id), None)
    result = None
    if request.method == "POST":
        result = services.check_in(
            event, request.POST.get("code", ""), session=session, actor=request.user
        )
        payload = {
            "outcome": result.outcome,
            "message": _checkin_message(result),
        }
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse(payload)
        result = payload
    attended = Attendance.objects.filter(registration__event=event, session=session).count()
    return render(
        request,
        "events/staff/checkin.html",
        {
            "event": event,
            "sessions": sessions,
            "session": session,
            "result": result,
            "attended": attended,
        },
    )


@login_required
def staff_export(request, slug):
    event = _staff_event(request, slug, "events.export_registrations")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registros-{slug}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "orden",
            "estado",
            "lugar_lista_espera",
            "nombre",
            "correo",
            "organizacion",
            "sector",
            "entidad",
            "codigo",
            "registrado",
            "asistio",
        ]
    )
    for r in selectors.registrants_for_export(event):
        writer.writerow(
            _csv_safe(value)
            for value in [
                r.sequence,
                r.get_status_display(),
                r.waitlist_position or "",
                r.name,
                r.email,
                r.organization,
                r.get_sector_display(),
                r.entity.name if r.entity_id else "",
                r.code,
                timezone.localtime(r.created_at).isoformat(timespec="seconds"),
                "sí" if r.attendances.all() else "no",
            ]
        )
    services.record_export(event, actor=request.user)
    return response


@login_required
def staff_email(request, slug):
    event = _staff_event(request, slug, "events.email_registrants")
    form = EmailRegistrantsForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = services.email_registrants(
            event,
            subject=data["subject"],
            body=data["body"],
            session=data["session"],
            actor=request.user,
        )
        messages.success(request, _("Enviamos %(n)d correos.") % {"n": sent})
        return redirect("events:staff_email", slug=slug)
    return render(request, "events/staff/email.html", {"event": event, "form": form})


# Up to this many attendees the PDF is built in the request; above, by a background task.
INLINE_CERTIFICATES = 60


@login_required
def staff_certificates(request, slug):
    event = _staff_event(request, slug, "events.issue_certificates")
    attendees = selectors.attendees(event)
    limit = getattr(settings, "COCREA_EVENTS_INLINE_CERTIFICATES", INLINE_CERTIFICATES)
    if attendees.count() <= limit:
        return _pdf_response(certificates_pdf(attendees), f"constancias-{slug}.pdf")
    token = secrets.token_hex(16)
    tasks.build_certificates.enqueue(event.pk, token)
    return redirect("events:staff_certificates_job", slug=slug, token=token)


def _certificates_file(request, slug, token) -> tuple[Event, str]:
    event = _staff_event(request, slug, "events.issue_certificates")
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        raise Http404
    return event, tasks.certificates_path(event.pk, token)


@login_required
def staff_certificates_job(request, slug, token):
    event, path = _certificates_file(request, slug, token)
    context = {"event": event, "token": token, "ready": default_storage.exists(path)}
    template = "events/staff/certificates.html"
    if request.htmx:
        template = "events/staff/_certificates_status.html"
    return render(request, template, context)


@login_required
def staff_certificates_file(request, slug, token):
    _event, path = _certificates_file(request, slug, token)
    if not default_storage.exists(path):
        raise Http404
    return FileResponse(
        default_storage.open(path, "rb"),
        as_attachment=True,
        filename=f"constancias-{slug}.pdf",
        content_type="application/pdf",
    )
