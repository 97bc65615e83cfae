"""Follows, notifications, e-mail preferences and what the sweeps already told.

A follow names its target by kind and identifier (a primary key, an entity's INEGI code, or
an OCDS party identifier of *Sigue el Dinero*, which is not a database row). Nobody but the
person sees their follows; pages show counts only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    ENTITY = "entidad", _("Entidad")
    PLAN = "plan", _("Plan de acción")
    COMMITMENT = "compromiso", _("Compromiso")
    PROCESS = "proceso", _("Proceso de cocreación")
    PROPOSAL = "propuesta", _("Propuesta")
    SUPPLIER = "proveedor", _("Proveedor")
    BUYER = "comprador", _("Comprador")
    EVENT = "evento", _("Evento")


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    kind = models.CharField(_("tipo"), max_length=12, choices=TargetKind.choices)
    target = models.CharField(_("identificador"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seguimiento")
        verbose_name_plural = _("seguimientos")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "target"], name="follow_unique")
        ]
        indexes = [models.Index(fields=["kind", "target"], name="follow_target")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target}"


class Notification(models.Model):
    """One thing told to one person: shown in the centre, maybe e-mailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("tipo"), max_length=40)
    title = models.CharField(_("título"), max_length=300)
    body = models.TextField(_("texto"), blank=True)
    url = models.CharField(_("enlace"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("fecha"), db_index=True)
    read_at = models.DateTimeField(_("leída"), null=True, blank=True)
    # None: still to be e-mailed by a digest (or never, with the mode "none").
    emailed_at = models.DateTimeField(_("enviada por correo"), null=True, blank=True)
    email_mode = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notif_user_recent"),
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notif_user_unread",
            ),
            models.Index(
                fields=["email_mode", "user"],
                condition=models.Q(emailed_at__isnull=True),
                name="notif_digest_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EmailMode(models.TextChoices):
    IMMEDIATE = "inmediato", _("De inmediato")
    DAILY = "diario", _("Resumen diario")
    WEEKLY = "semanal", _("Resumen semanal")
    NONE = "ninguno", _("Sin correo")


class Preference(models.Model):
    """How one person wants one type by e-mail; without a row, the type's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("tipo"), max_length=40)
    mode = models.CharField(_("correo"), max_length=10, choices=EmailMode.choices)

    class Meta:
        verbose_name = _("preferencia de avisos")
        verbose_name_plural = _("preferencias de avisos")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.mode}"


class Told(models.Model):
    """A state a sweep already announced (e.g. "milestone 12 is overdue"): told once."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aviso periódico enviado")
        verbose_name_plural = _("avisos periódicos enviados")

    def __str__(self) -> str:
        return self.key
