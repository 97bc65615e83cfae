from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change of state, recorded by the service that made it."""

    created_at = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("origen"), max_length=150, blank=True)
    action = models.CharField(_("acción"), max_length=80, db_index=True)
    object_type = models.CharField(_("tipo de objeto"), max_length=80)
    object_id = models.CharField(_("id del objeto"), max_length=64, blank=True)
    object_repr = models.CharField(_("objeto"), max_length=255, blank=True)
    entity_code = models.CharField(_("entidad"), max_length=2, blank=True, db_index=True)
    before = models.JSONField(_("antes"), null=True, blank=True)
    after = models.JSONField(_("después"), null=True, blank=True)

    class Meta:
        verbose_name = _("registro de auditoría")
        verbose_name_plural = _("bitácora de auditoría")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class DemoDataset(models.Model):
    """Marks a database that holds demonstration data, so every page can say so."""

    loaded_at = models.DateTimeField(auto_now_add=True)
    seed = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("datos de demostración")
        verbose_name_plural = _("datos de demostración")

    def __str__(self) -> str:
        return f"demo seed={self.seed}"
