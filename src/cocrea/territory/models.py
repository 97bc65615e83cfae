from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Entity(models.Model):
    """One of the 32 federal entities, keyed by its INEGI code."""

    code = models.CharField(_("clave INEGI"), max_length=2, unique=True)
    name = models.CharField(_("nombre oficial"), max_length=100)
    common_name = models.CharField(_("nombre común"), max_length=100)
    aliases = models.JSONField(_("otros nombres"), default=list, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    map_id = models.CharField(_("id en el mapa"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("entidad federativa")
        verbose_name_plural = _("entidades federativas")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.common_name

    def get_absolute_url(self) -> str:
        return reverse("web:entity", kwargs={"slug": self.slug})


class Adhesion(models.Model):
    """An entity's adhesion to «Gobierno Abierto: Cocreación desde lo local»."""

    entity = models.OneToOneField(
        Entity, verbose_name=_("entidad"), on_delete=models.CASCADE, related_name="adhesion"
    )
    year = models.PositiveSmallIntegerField(_("año"), db_index=True)
    date = models.DateField(_("fecha"), null=True, blank=True)
    source_order = models.PositiveSmallIntegerField(_("orden en la fuente"), default=0)
    source = models.CharField(_("fuente"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("adhesión")
        verbose_name_plural = _("adhesiones")
        ordering = ["year", "source_order", "entity__code"]

    def __str__(self) -> str:
        return f"{self.entity} ({self.year})"


class Municipality(models.Model):
    """A municipality (or a Mexico City *alcaldía*), keyed by INEGI's five-digit key.

    The key is the entity's two digits and the municipality's three (`CVE_ENT` +
    `CVE_MUN`, INEGI's `CVEGEO`); the entity is stored too, for joins and checks.
    """

    entity = models.ForeignKey(
        Entity, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="municipalities"
    )
    code = models.CharField(_("clave geoestadística INEGI"), max_length=5, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)

    class Meta:
        verbose_name = _("municipio")
        verbose_name_plural = _("municipios")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "slug"], name="municipality_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{5}$"), name="municipality_code_5_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "web:municipality", kwargs={"slug": self.entity.slug, "municipality": self.slug}
        )

    @property
    def municipal_code(self) -> str:
        """INEGI's `CVE_MUN`: the last three digits."""
        return self.code[2:]

    @property
    def is_alcaldia(self) -> bool:
        return self.code.startswith("09")


class MunicipalAdhesion(models.Model):
    """A municipality's adhesion to the initiative, by year, as entities have theirs."""

    municipality = models.OneToOneField(
        Municipality,
        verbose_name=_("municipio"),
        on_delete=models.CASCADE,
        related_name="adhesion",
    )
    year = models.PositiveSmallIntegerField(_("año"), db_index=True)
    date = models.DateField(_("fecha"), null=True, blank=True)
    source = models.CharField(_("fuente"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("adhesión municipal")
        verbose_name_plural = _("adhesiones municipales")
        ordering = ["year", "municipality__code"]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.year})"
