from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_COORDINATOR = "coordinador_nacional", _("Coordinación nacional")
    SECRETARIAT_MEMBER = "secretariado", _("Integrante de secretariado técnico local")
    EVALUATOR = "evaluador", _("Evaluación")
    CITIZEN = "ciudadania", _("Ciudadanía")


class User(AbstractUser):
    """A person with one role; secretariat members belong to one entity and organisation."""

    role = models.CharField(_("rol"), max_length=24, choices=Role.choices, default=Role.CITIZEN)
    entity = models.ForeignKey(
        "territory.Entity",
        verbose_name=_("entidad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    organization = models.ForeignKey(
        "participants.Organization",
        verbose_name=_("organización"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    display_name = models.CharField(_("nombre público"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="secretariado") | models.Q(entity__isnull=False),
                name="secretariat_member_has_entity",
            )
        ]

    @property
    def is_national_coordinator(self) -> bool:
        return self.role == Role.NATIONAL_COORDINATOR

    @property
    def is_secretariat_member(self) -> bool:
        return self.role == Role.SECRETARIAT_MEMBER

    @property
    def is_evaluator(self) -> bool:
        return self.role == Role.EVALUATOR

    def public_name(self) -> str:
        return self.display_name or _("Participante")
