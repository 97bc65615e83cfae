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
