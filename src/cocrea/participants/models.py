from django.db import models
from django.utils.translation import gettext_lazy as _

from cocrea.core.text import normalize_name


class OrganizationType(models.TextChoices):
    AUTHORITY = "autoridad", _("Autoridad")
    GUARANTOR = "organismo_garante", _("Organismo garante")
    CIVIL_SOCIETY = "sociedad_civil", _("Sociedad civil")
    ACADEMIA = "academia", _("Academia")
    OTHER = "otro", _("Otro")


class Power(models.TextChoices):
    EXECUTIVE = "ejecutivo", _("Ejecutivo")
    LEGISLATIVE = "legislativo", _("Legislativo")
    JUDICIAL = "judicial", _("Judicial")
    AUTONOMOUS = "autonomo", _("Autónomo")
    MUNICIPAL = "municipal", _("Municipal")


class Organization(models.Model):
    """An organisation taking part in an entity's Local Technical Secretariat."""

    entity = models.ForeignKey(
        "territory.Entity",
        verbose_name=_("entidad"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    name = models.CharField(_("organización"), max_length=300)
    normalized_name = models.CharField(max_length=300, editable=False)
    type = models.CharField(_("tipo"), max_length=20, choices=OrganizationType.choices)
    power = models.CharField(_("poder"), max_length=12, choices=Power.choices, blank=True)
    extra = models.JSONField(_("otros datos"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organización participante")
        verbose_name_plural = _("organizaciones participantes")
        ordering = ["entity__code", "type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "normalized_name"], name="organization_unique_per_entity"
            ),
            models.CheckConstraint(
                condition=(models.Q(type="autoridad") & ~models.Q(power=""))
                | (~models.Q(type="autoridad") & models.Q(power="")),
                name="organization_power_only_for_authorities",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)
