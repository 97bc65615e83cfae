"""Programmes (programa presupuestario or acción) that tie the money together.

A `Program` of an entity links budget lines (by `clave_programa`), contracting processes
(automatically when a process's `planning.budget.projectID` or `project` equals the clave, or
by hand with `ProgramProcess`) and, optionally, a commitment of a Local Action Plan, so the
commitment page can show "this commitment's money". The money itself lives in the Parquet
store (see `budget` and `analytics`), not in PostgreSQL.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Program(models.Model):
    entity = models.ForeignKey(
        "territory.Entity",
        verbose_name=_("entidad"),
        on_delete=models.PROTECT,
        related_name="money_programs",
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name=_("municipio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="money_programs",
        help_text=_("Vacío para un programa de la entidad; un municipio para el nivel municipal."),
    )
    name = models.CharField(_("nombre"), max_length=300)
    clave_programa = models.CharField(
        _("clave del programa"),
        max_length=40,
        help_text=_(
            "Clave del programa presupuestario (p. ej. E001); enlaza las líneas de "
            "presupuesto y los procesos con ese projectID."
        ),
    )
    year_start = models.PositiveSmallIntegerField(_("primer ejercicio"))
    year_end = models.PositiveSmallIntegerField(_("último ejercicio"), null=True, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    commitment = models.ForeignKey(
        "plans.Commitment",
        verbose_name=_("compromiso del plan de acción"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="money_programs",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programa")
        verbose_name_plural = _("programas")
        ordering = ["entity__code", "clave_programa"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "clave_programa"], name="money_program_unique_clave"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clave_programa} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("money:program", kwargs={"pk": self.pk})

    @property
    def years(self) -> list[int]:
        return list(range(self.year_start, (self.year_end or self.year_start) + 1))

    def clean(self):
        if self.year_end is not None and self.year_end < self.year_start:
            raise ValidationError({"year_end": _("El último ejercicio no puede ser anterior.")})
        # The commitment's entity is checked by the entity boundary (core.boundary).


class ProgramProcess(models.Model):
    """A contracting process linked to a programme by hand (by its OCID)."""

    program = models.ForeignKey(
        Program, verbose_name=_("programa"), on_delete=models.CASCADE, related_name="processes"
    )
    ocid = models.CharField(_("OCID"), max_length=200)
    note = models.CharField(_("nota"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proceso vinculado")
        verbose_name_plural = _("procesos vinculados")
        ordering = ["program", "ocid"]
        constraints = [
            models.UniqueConstraint(fields=["program", "ocid"], name="money_link_unique"),
        ]

    def __str__(self) -> str:
        return self.ocid

    @property
    def entity(self):
        return self.program.entity


class BuyerTerritory(models.Model):
    """Ties a buyer of the contracting data (its OCDS party identifier) to an entity or one
    of its municipalities, so the municipality's pages and API can show its purchases."""

    buyer_id = models.CharField(_("identificador del comprador"), max_length=200, unique=True)
    name = models.CharField(_("nombre"), max_length=300, blank=True)
    entity = models.ForeignKey(
        "territory.Entity", verbose_name=_("entidad"), on_delete=models.PROTECT,
        related_name="money_buyers",
    )  # fmt: skip
    municipality = models.ForeignKey(
        "territory.Municipality", verbose_name=_("municipio"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="money_buyers",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comprador por territorio")
        verbose_name_plural = _("compradores por territorio")
        ordering = ["entity__code", "municipality__code", "buyer_id"]

    def __str__(self) -> str:
        return f"{self.name or self.buyer_id} ({self.municipality or self.entity})"
