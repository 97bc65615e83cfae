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
    # ARCO opposition (LGPDPPSO): consent withdrawn for a purpose, the account kept.
    emails_opposed_at = models.DateTimeField(_("se opuso a recibir correos"), null=True, blank=True)
    public_name_opposed_at = models.DateTimeField(
        _("se opuso a mostrar su nombre público"), null=True, blank=True
    )

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
        if self.public_name_opposed_at is not None:
            return _("Participante")
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
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name=_("municipio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text=_("Para un lugar en el secretariado de un municipio de la entidad."),
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
                | (
                    models.Q(entity__isnull=True)
                    & models.Q(municipality__isnull=True)
                    & models.Q(side="")
                ),
                name="membership_national_has_no_entity",
            ),
            models.UniqueConstraint(
                fields=["user", "entity"],
                condition=models.Q(
                    kind="secretariado", ended_on__isnull=True, municipality__isnull=True
                ),
                name="membership_one_active_seat_per_entity",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=models.Q(
                    kind="secretariado", ended_on__isnull=True, municipality__isnull=False
                ),
                name="membership_one_active_seat_per_municipality",
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
            place = f"{self.municipality}, {self.entity}" if self.municipality_id else self.entity
            label = f"{label} · {place} · {self.get_side_display()}"
        if self.ended_on:
            label = f"{label} ({_('hasta')} {self.ended_on:%Y-%m-%d})"
        return str(label)

    @property
    def active(self) -> bool:
        return self.ended_on is None


class CitizenProfile(models.Model):
    """What the platform keeps about a citizen account beyond the User row."""

    class Kind(models.TextChoices):
        PERSON = "persona", _("Persona")
        ORGANIZATION = "organizacion", _("Organización")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_profile")
    kind = models.CharField(
        _("participa como"), max_length=12, choices=Kind.choices, default=Kind.PERSON
    )
    privacy_accepted_at = models.DateTimeField(_("aceptó el aviso de privacidad"))
    privacy_version = models.CharField(_("versión del aviso"), max_length=20)
    email_verified_at = models.DateTimeField(_("correo verificado"), null=True, blank=True)

    class Meta:
        verbose_name = _("perfil ciudadano")
        verbose_name_plural = _("perfiles ciudadanos")

    def __str__(self) -> str:
        return str(self.user.public_name())

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


class ArcoRight(models.TextChoices):
    ACCESS = "acceso", _("Acceso")
    RECTIFICATION = "rectificacion", _("Rectificación")
    CANCELLATION = "cancelacion", _("Cancelación")
    OPPOSITION = "oposicion", _("Oposición")


class ArcoStatus(models.TextChoices):
    PENDING = "pendiente", _("Pendiente")
    RESOLVED = "atendida", _("Atendida")
    REJECTED = "improcedente", _("Improcedente")


class ArcoRequest(models.Model):
    """An exercise of an ARCO right that a person of the platform must answer (e.g. correcting
    a public record), with the legal deadline: 20 business days (LGPDPPSO, art. 51)."""

    user = models.ForeignKey(
        User, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="arco_requests"
    )
    right = models.CharField(_("derecho"), max_length=14, choices=ArcoRight.choices)
    text = models.TextField(_("solicitud"))
    status = models.CharField(
        _("estado"), max_length=12, choices=ArcoStatus.choices, default=ArcoStatus.PENDING
    )
    filed_at = models.DateTimeField(_("presentada"))
    due_on = models.DateField(_("fecha límite legal"))
    resolved_at = models.DateTimeField(_("respondida"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("respondió"),
    )  # fmt: skip
    resolution = models.TextField(_("respuesta"), blank=True)

    class Meta:
        verbose_name = _("solicitud de derechos ARCO")
        verbose_name_plural = _("solicitudes de derechos ARCO")
        ordering = ["status", "due_on", "id"]
        permissions = [("resolve_arcorequest", _("Puede responder solicitudes ARCO"))]

    def __str__(self) -> str:
        return f"{self.get_right_display()} · {self.filed_at:%Y-%m-%d}"
