"""Events: a programme of sessions, registrations that never oversell, and check-in.

Capacity is enforced by `services.register` while it holds a row lock on the event
(SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers with IMMEDIATE
transactions). Every registration takes the next `Event.registration_seq` under that
lock, and every waitlisted one the next `Event.waitlist_seq`: the waiting list is
ordered by `waitlist_position`, which is the order in which the lock was acquired.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Check-in codes avoid look-alike characters (0/O, 1/I/L) so they can be typed.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_checkin_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    PUBLISHED = "published", _("Publicado")
    CANCELLED = "cancelled", _("Cancelado")


class SessionKind(models.TextChoices):
    KEYNOTE = "keynote", _("Conferencia magistral")
    PANEL = "panel", _("Panel")
    WORKSHOP = "workshop", _("Taller")
    WORKING_TABLE = "working_table", _("Mesa de trabajo")
    OTHER = "other", _("Otra actividad")


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Gobierno")
    GUARANTOR = "guarantor", _("Organismo garante")
    CIVIL_SOCIETY = "civil_society", _("Sociedad civil")
    ACADEMIA = "academia", _("Academia")
    MEDIA = "media", _("Medios de comunicación")
    OTHER = "other", _("Otro")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmado")
    WAITLISTED = "waitlisted", _("En lista de espera")
    CANCELLED = "cancelled", _("Cancelado")


class Event(models.Model):
    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(_("identificador en la URL"), max_length=100, unique=True)
    description = models.TextField(_("descripción"), blank=True)
    venue_name = models.CharField(_("sede"), max_length=200, blank=True)
    address = models.CharField(_("dirección"), max_length=300, blank=True)
    map_url = models.URLField(_("enlace al mapa"), blank=True)
    online_url = models.URLField(_("enlace en línea"), blank=True)
    start = models.DateTimeField(_("inicio"))
    end = models.DateTimeField(_("fin"))
    capacity = models.PositiveIntegerField(_("cupo"))
    registration_opens = models.DateTimeField(_("apertura del registro"))
    registration_closes = models.DateTimeField(_("cierre del registro"))
    status = models.CharField(
        _("estado"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    entity = models.ForeignKey(
        "territory.Entity",
        verbose_name=_("entidad organizadora"),
        help_text=_("Vacío: lo organiza la coordinación nacional."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    is_demo = models.BooleanField(_("datos de demostración"), default=False)
    # Counters taken under the event's row lock (see the module docstring).
    registration_seq = models.PositiveIntegerField(default=0, editable=False)
    waitlist_seq = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventos")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(registration_closes__gte=models.F("registration_opens")),
                name="event_registration_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("events:detail", args=[self.slug])

    @property
    def organizer_label(self) -> str:
        if self.entity_id:
            return str(_("Secretariado Técnico Local de %(e)s") % {"e": self.entity.common_name})
        return str(_("Coordinación nacional"))

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == EventStatus.PUBLISHED
            and self.registration_opens <= now <= self.registration_closes
        )


class Track(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("nombre"), max_length=120)
    slug = models.SlugField(_("identificador"), max_length=60)
    color = models.CharField(_("color"), max_length=7, default="#5b3a8c")

    class Meta:
        verbose_name = _("eje temático")
        verbose_name_plural = _("ejes temáticos")
        ordering = ["event", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="track_slug_per_event")
        ]

    def __str__(self) -> str:
        return self.name


class Speaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("nombre"), max_length=200)
    position = models.CharField(_("cargo"), max_length=200, blank=True)
    organization = models.CharField(_("organización"), max_length=200, blank=True)
    bio = models.TextField(_("semblanza breve"), blank=True)
    photo = models.ImageField(_("fotografía"), upload_to="events/speakers/", blank=True)
    is_demo = models.BooleanField(_("persona ficticia (demostración)"), default=False)

    class Meta:
        verbose_name = _("ponente")
        verbose_name_plural = _("ponentes")
        ordering = ["event", "name"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    track = models.ForeignKey(
        Track,
        verbose_name=_("eje temático"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    title = models.CharField(_("título"), max_length=250)
    kind = models.CharField(_("tipo"), max_length=16, choices=SessionKind.choices)
    room = models.CharField(_("sala"), max_length=120, blank=True)
    start = models.DateTimeField(_("inicio"))
    end = models.DateTimeField(_("fin"))
    capacity = models.PositiveIntegerField(
        _("cupo propio"),
        null=True,
        blank=True,
        help_text=_("Vacío: la sesión no requiere inscripción propia."),
    )
    description = models.TextField(_("descripción"), blank=True)
    speakers = models.ManyToManyField(
        Speaker, verbose_name=_("ponentes"), blank=True, related_name="sessions"
    )
    waitlist_seq = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        ordering = ["start", "room", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def requires_registration(self) -> bool:
        return self.capacity is not None


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    name = models.CharField(_("nombre"), max_length=200)
    email = models.EmailField(_("correo electrónico"), max_length=254)
    email_normalized = models.CharField(max_length=254, editable=False)
    organization = models.CharField(_("organización"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    entity = models.ForeignKey(
        "territory.Entity",
        verbose_name=_("entidad federativa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_registrations",
    )
    privacy_accepted_at = models.DateTimeField(_("aceptó el aviso de privacidad"))
    status = models.CharField(_("estado"), max_length=12, choices=RegistrationStatus.choices)
    sequence = models.PositiveIntegerField(_("orden de llegada"), editable=False)
    waitlist_position = models.PositiveIntegerField(
        _("lugar en la lista de espera"), null=True, blank=True, editable=False
    )
    code = models.CharField(
        _("código de acceso"), max_length=16, unique=True, default=new_checkin_code, editable=False
    )
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("registrado"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    promoted_at = models.DateTimeField(_("promovido"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelado"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("registro")
        verbose_name_plural = _("registros")
        ordering = ["event", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email_normalized"], name="registration_one_per_email"
            ),
            models.UniqueConstraint(
                fields=["event", "sequence"], name="registration_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["event", "waitlist_position"],
                condition=models.Q(waitlist_position__isnull=False),
                name="registration_waitlist_position_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="waitlisted")
                | models.Q(waitlist_position__isnull=False),
                name="registration_waitlisted_has_position",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "waitlist_position"])]
        permissions = [
            ("check_in", _("Puede registrar asistencia")),
            ("export_registrations", _("Puede exportar registros")),
            ("email_registrants", _("Puede escribir a las personas registradas")),
        ]

    def __str__(self) -> str:
        return f"{self.event} · #{self.sequence}"

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip()
        self.email_normalized = self.normalize_email(self.email)
        super().save(*args, **kwargs)

    @staticmethod
    def normalize_email(email: str) -> str:
        return (email or "").strip().lower()

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED


class SessionRegistration(models.Model):
    """A registrant's seat (or place in line) at a session with its own capacity.

    Seats are only taken once the event registration is confirmed; until then the
    choice is kept as `pending`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente (registro en espera)")
        CONFIRMED = "confirmed", _("Confirmado")
        WAITLISTED = "waitlisted", _("En lista de espera")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="session_choices"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seats")
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inscripción a sesión")
        verbose_name_plural = _("inscripciones a sesiones")
        ordering = ["session__start", "registration__sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="session_registration_unique"
            ),
            models.UniqueConstraint(
                fields=["session", "waitlist_position"],
                condition=models.Q(waitlist_position__isnull=False),
                name="session_waitlist_position_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.get_status_display()}"


class Attendance(models.Model):
    """One check-in: at the event's entrance (`session` empty) or at one session."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="attendances"
    )
    checked_in_at = models.DateTimeField(_("hora de entrada"), default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("asistencia")
        verbose_name_plural = _("asistencias")
        ordering = ["-checked_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="attendance_once_per_session"
            ),
            models.UniqueConstraint(
                fields=["registration"],
                condition=models.Q(session__isnull=True),
                name="attendance_once_at_entrance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.session or _('entrada')}"
