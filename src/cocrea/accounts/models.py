"""People and what they hold: any number of memberships instead of one global role.

A person with no active membership is a citizen. A membership is either a seat in an
entity's Local Technical Secretariat (entity × side × seat role, optionally through an
organisation) or a national role (coordination, evaluation). Ending a membership keeps
the row (and so the attribution of past reports): it only stops granting permissions.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_COORDINATOR = "coordinador_nacional", _("Coordinación nacional")
    SECRETARIAT_MEMBER = "secretariado", _("Integrante de secretariado técnico local")
    EVALUATOR = "evaluador", _("Evaluación")
    CITIZEN = "ciudadania", _("Ciudadanía")


NATIONAL_ROLES = (Role.NATIONAL_COORDINATOR, Role.EVALUATOR)


class Side(models.TextChoices):
    """The two keys of every progress report."""

    GOVERNMENT = "gobierno", _("Gobierno")
    CIVIL_SOCIETY = "sociedad_civil", _("Sociedad civil")


class MemberRole(models.TextChoices):
    COORDINATOR = "coordinacion", _("Coordinación")
    LIAISON = "enlace", _("Enlace")
    MEMBER = "integrante", _("Integrante")


class User(AbstractUser):
    """A person; what they may do comes from their memberships (see `selectors`)."""

    display_name = models.CharField(_("nombre público"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")

    @property
    def is_national_coordinator(self) -> bool:
        from .selectors import has_role

        return has_role(self, Role.NATIONAL_COORDINATOR)

    @property
    def is_secretariat_member(self) -> bool:
        from .selectors import has_role

        return has_role(self, Role.SECRETARIAT_MEMBER)

    @property
    def is_evaluator(self) -> bool:
        from .selectors import has_role

        return has_role(self, Role.EVALUATOR)

    def public_name(self) -> str:
        return self.display_name or _("Participante")


class Membership(models.Model):
    """One thing a person holds: a secretariat seat or a national role."""

    user = models.ForeignKey(
        User, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="memberships"
    )
    kind = models.CharField(
        _("tipo"),
        max_length=24,
        choices=[(r.value, r.label) for r in Role if r != Role.CITIZEN],
    )
    entity = models.ForeignKey(
        "territory.Entity",
        verbose_name=_("entidad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        "participants.Organization",
        verbose_name=_("organización"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    side = models.CharField(_("sector"), max_length=20, choices=Side.choices, blank=True)
    seat_role = models.CharField(
        _("papel"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    started_on = models.DateField(_("desde"), null=True, blank=True)
    ended_on = models.DateField(_("hasta"), null=True, blank=True)

    class Meta:
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        ordering = ["user", "kind", "entity__code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="secretariado")
                | (models.Q(entity__isnull=False) & ~models.Q(side="")),
                name="membership_seat_has_entity_and_side",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="secretariado")
                | (models.Q(entity__isnull=True) & models.Q(side="")),
                name="membership_national_has_no_entity",
            ),
            models.UniqueConstraint(
                fields=["user", "entity"],
                condition=models.Q(kind="secretariado", ended_on__isnull=True),
                name="membership_one_active_seat_per_entity",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=~models.Q(kind="secretariado") & models.Q(ended_on__isnull=True),
                name="membership_one_active_national_role",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.entity_id:
            label = f"{label} · {self.entity} · {self.get_side_display()}"
        if self.ended_on:
            label = f"{label} ({_('hasta')} {self.ended_on:%Y-%m-%d})"
        return str(label)

    @property
    def active(self) -> bool:
        return self.ended_on is None
