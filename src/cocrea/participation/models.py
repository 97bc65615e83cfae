"""Co-creation processes: phases, citizen proposals, reasoned responses, working tables.

Counters on `Proposal` (supports, comments) are kept by the services so lists never
count rows per proposal; `body_html` is the sanitised rendering stored at write time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PhaseKind(models.TextChoices):
    AWARENESS = "sensibilizacion", _("Sensibilización")
    SECRETARIAT = "instalacion", _("Instalación del secretariado")
    DIAGNOSIS = "diagnostico", _("Diagnóstico de problemas públicos")
    PRIORITISATION = "priorizacion", _("Priorización")
    DESIGN = "diseno", _("Diseño de compromisos en mesas de trabajo")
    PUBLICATION = "publicacion", _("Publicación del plan")
    IMPLEMENTATION = "implementacion", _("Implementación y seguimiento")
    EVALUATION = "evaluacion", _("Evaluación")


# What a person can do in each kind of phase by default (the secretariat may change it).
PHASE_DEFAULTS = {
    PhaseKind.AWARENESS: {"proposals_open": False, "supports_open": False, "comments_open": True},
    PhaseKind.SECRETARIAT: {"proposals_open": False, "supports_open": False, "comments_open": True},
    PhaseKind.DIAGNOSIS: {"proposals_open": True, "supports_open": True, "comments_open": True},
    PhaseKind.PRIORITISATION: {
        "proposals_open": False,
        "supports_open": True,
        "comments_open": True,
    },
    PhaseKind.DESIGN: {"proposals_open": False, "supports_open": False, "comments_open": True},
    PhaseKind.PUBLICATION: {"proposals_open": False, "supports_open": False, "comments_open": True},
    PhaseKind.IMPLEMENTATION: {
        "proposals_open": False,
        "supports_open": False,
        "comments_open": True,
    },
    PhaseKind.EVALUATION: {"proposals_open": False, "supports_open": False, "comments_open": True},
}


class Theme(models.TextChoices):
    TRANSPARENCY = "transparencia", _("Transparencia y acceso a la información")
    INTEGRITY = "integridad", _("Integridad y anticorrupción")
    BUDGET = "presupuesto", _("Presupuesto y gasto público")
    PARTICIPATION = "participacion", _("Participación ciudadana")
    SERVICES = "servicios", _("Servicios públicos")
    SECURITY = "seguridad", _("Seguridad y justicia")
    ENVIRONMENT = "ambiente", _("Medio ambiente")
    HEALTH = "salud", _("Salud")
    EDUCATION = "educacion", _("Educación")
    GENDER = "genero", _("Igualdad de género e inclusión")


class Sector(models.TextChoices):
    GOVERNMENT = "gobierno", _("Gobierno")
    CIVIL_SOCIETY = "sociedad_civil", _("Sociedad civil organizada")
    ACADEMIA = "academia", _("Academia")
    PRIVATE = "privado", _("Sector privado")
    CITIZEN = "ciudadania", _("Ciudadanía")


class Process(models.Model):
    """One entity's co-creation process for one action-plan cycle."""

    entity = models.ForeignKey(
        "territory.Entity",
        verbose_name=_("entidad"),
        on_delete=models.PROTECT,
        related_name="cocreation_processes",
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name=_("municipio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cocreation_processes",
        help_text=_("Vacío para la entidad; un municipio de la entidad para el nivel municipal."),
    )
    cycle = models.CharField(_("ciclo"), max_length=9, help_text=_("Por ejemplo 2025-2026"))
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    class Meta:
        verbose_name = _("proceso de cocreación")
        verbose_name_plural = _("procesos de cocreación")
        ordering = ["entity__code", "-cycle"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "cycle"],
                condition=models.Q(municipality__isnull=True),
                name="one_process_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["municipality", "cycle"],
                condition=models.Q(municipality__isnull=False),
                name="one_municipal_process_per_cycle",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url_for("process")

    def url_for(self, page: str) -> str:
        """One of the process's pages (`process`, `proposals`, `propose`, `tables`,
        `standards`, `manage`), at the entity's or the municipality's address."""
        kwargs = {"entity": self.entity.slug, "cycle": self.cycle}
        if self.municipality_id:
            kwargs["municipality"] = self.municipality.slug
        return reverse(f"participation:{page}", kwargs=kwargs)

    def current_phase(self, today: datetime.date | None = None) -> Phase | None:
        today = today or timezone.localdate()
        phases = getattr(self, "_prefetched_objects_cache", {}).get("phases")
        if phases is None:
            phases = list(self.phases.all())
        for phase in phases:
            if phase.starts_on <= today <= phase.ends_on:
                return phase
        return None


class Phase(models.Model):
    """A dated phase; participation opens and closes with it, by date alone."""

    process = models.ForeignKey(
        Process, verbose_name=_("proceso"), on_delete=models.CASCADE, related_name="phases"
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=PhaseKind.choices)
    title = models.CharField(_("nombre"), max_length=200, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    starts_on = models.DateField(_("inicia"))
    ends_on = models.DateField(_("termina"))
    proposals_open = models.BooleanField(_("se reciben propuestas"), default=False)
    supports_open = models.BooleanField(_("se reciben apoyos"), default=False)
    comments_open = models.BooleanField(_("se reciben comentarios"), default=True)

    class Meta:
        verbose_name = _("fase")
        verbose_name_plural = _("fases")
        ordering = ["process", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="phase_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def name(self) -> str:
        return self.title or str(self.get_kind_display())


class ResponseStatus(models.TextChoices):
    EVALUATING = "evaluacion", _("En evaluación")
    ACCEPTED = "aceptada", _("Aceptada")
    REJECTED = "rechazada", _("Rechazada")
    INCORPORATED = "incorporada", _("Incorporada a un compromiso")


class ProposalStatus(models.TextChoices):
    PENDING = "sin_respuesta", _("Sin respuesta")
    EVALUATING = "evaluacion", _("En evaluación")
    ACCEPTED = "aceptada", _("Aceptada")
    REJECTED = "rechazada", _("Rechazada")
    INCORPORATED = "incorporada", _("Incorporada a un compromiso")


class Proposal(models.Model):
    """A public problem or a proposal submitted during an open phase."""

    class Kind(models.TextChoices):
        PROBLEM = "problema", _("Problema público")
        PROPOSAL = "propuesta", _("Propuesta")

    process = models.ForeignKey(
        Process, verbose_name=_("proceso"), on_delete=models.CASCADE, related_name="proposals"
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.PROPOSAL)
    title = models.CharField(_("título"), max_length=200)
    body = models.TextField(_("descripción"))
    body_html = models.TextField(editable=False, blank=True)
    affected_population = models.CharField(_("población afectada"), max_length=200, blank=True)
    municipality = models.CharField(_("municipio"), max_length=120, blank=True)
    theme = models.CharField(_("tema"), max_length=20, choices=Theme.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cocreation_proposals",
    )
    status = models.CharField(
        _("estado"),
        max_length=14,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
        db_index=True,
    )
    answered_at = models.DateTimeField(_("respondida"), null=True, blank=True)
    support_count = models.PositiveIntegerField(_("apoyos"), default=0)
    comment_count = models.PositiveIntegerField(_("comentarios"), default=0)
    created_at = models.DateTimeField(_("creada"), default=timezone.now, db_index=True)
    hidden_at = models.DateTimeField(_("oculta"), null=True, blank=True)
    hidden_reason = models.TextField(_("motivo de ocultamiento"), blank=True)

    class Meta:
        verbose_name = _("propuesta")
        verbose_name_plural = _("propuestas")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["process", "-created_at"], name="proposal_newest"),
            models.Index(fields=["process", "-support_count"], name="proposal_supported"),
            models.Index(fields=["process", "status"], name="proposal_status"),
            models.Index(fields=["process", "theme"], name="proposal_theme"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:proposal", kwargs={"pk": self.pk})

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Response(models.Model):
    """The secretariat's reasoned response; public once published."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("propuesta"), on_delete=models.CASCADE, related_name="response"
    )
    status = models.CharField(_("respuesta"), max_length=12, choices=ResponseStatus.choices)
    reason = models.TextField(_("motivo"), blank=True)
    reason_html = models.TextField(editable=False, blank=True)
    commitment = models.ForeignKey(
        "plans.Commitment",
        verbose_name=_("compromiso"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cocreation_responses",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)
    published_at = models.DateTimeField(_("publicada"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("respuesta razonada")
        verbose_name_plural = _("respuestas razonadas")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rechazada") | ~Q(reason=""),
                name="rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="incorporada") | Q(commitment__isnull=False),
                name="incorporation_names_commitment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.proposal}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cocreation_supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("apoyo")
        verbose_name_plural = _("apoyos")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_account")
        ]

    def __str__(self) -> str:
        return f"apoyo {self.pk} a {self.proposal_id}"


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="thread"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cocreation_comments",
    )
    body = models.TextField(_("comentario"))
    body_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("comentario")
        verbose_name_plural = _("comentarios")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["proposal", "created_at"], name="comment_thread"),
            models.Index(
                fields=["proposal", "created_at", "id"],
                condition=Q(root__isnull=True),
                name="comment_roots",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Report(models.Model):
    """A person flags a proposal or a comment; the secretariat resolves it."""

    class Decision(models.TextChoices):
        PENDING = "pendiente", _("Pendiente")
        HIDDEN = "ocultado", _("Contenido ocultado")
        DISMISSED = "descartado", _("Descartado")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="reports")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("motivo del reporte"))
    created_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        max_length=12, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reporte")
        verbose_name_plural = _("reportes")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False) | Q(comment__isnull=False),
                name="report_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"reporte {self.pk} ({self.decision})"


class WorkingTable(models.Model):
    """A mesa de trabajo: a meeting of the process."""

    process = models.ForeignKey(
        Process, verbose_name=_("proceso"), on_delete=models.CASCADE, related_name="tables"
    )
    title = models.CharField(_("título"), max_length=200)
    agenda = models.TextField(_("orden del día"), blank=True)
    starts_at = models.DateTimeField(_("fecha y hora"))
    place = models.CharField(_("lugar"), max_length=200, blank=True)
    online_url = models.URLField(_("enlace en línea"), blank=True)
    capacity = models.PositiveIntegerField(_("cupo"), default=30)
    documents_published_at = models.DateTimeField(_("documentos publicados"), null=True, blank=True)
    minutes = models.TextField(_("minuta"), blank=True)
    minutes_html = models.TextField(editable=False, blank=True)
    proposals = models.ManyToManyField(
        Proposal, verbose_name=_("propuestas discutidas"), blank=True, related_name="tables"
    )

    class Meta:
        verbose_name = _("mesa de trabajo")
        verbose_name_plural = _("mesas de trabajo")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:table", kwargs={"pk": self.pk})


class Registration(models.Model):
    table = models.ForeignKey(WorkingTable, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cocreation_tables"
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    created_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(_("asistió"), default=False)

    class Meta:
        verbose_name = _("registro a mesa")
        verbose_name_plural = _("registros a mesas")
        constraints = [
            models.UniqueConstraint(fields=["table", "user"], name="one_registration_per_table")
        ]

    def __str__(self) -> str:
        return f"registro {self.pk} a mesa {self.table_id}"


class Agreement(models.Model):
    table = models.ForeignKey(WorkingTable, on_delete=models.CASCADE, related_name="agreements")
    text = models.TextField(_("acuerdo"))
    commitment = models.ForeignKey(
        "plans.Commitment",
        verbose_name=_("compromiso"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cocreation_agreements",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("acuerdo")
        verbose_name_plural = _("acuerdos")
        ordering = ["table", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Standard(models.TextChoices):
    DIALOGUE = "dialogo", _("Espacio de diálogo permanente")
    INFORMATION = "informacion", _("Información abierta y oportuna")
    INCLUSION = "inclusion", _("Participación incluyente")
    RESPONSE = "respuesta", _("Respuesta razonada")
    MONITORING = "seguimiento", _("Diálogo durante la implementación y el seguimiento")


class StandardEvidence(models.Model):
    """The secretariat's written evidence for one OGP co-creation standard."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="standards")
    standard = models.CharField(_("estándar"), max_length=12, choices=Standard.choices)
    met = models.BooleanField(_("se cumple"), default=False)
    evidence = models.TextField(_("evidencia"), blank=True)
    url = models.URLField(_("enlace a la evidencia"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evidencia de estándar")
        verbose_name_plural = _("evidencias de estándares")
        constraints = [
            models.UniqueConstraint(fields=["process", "standard"], name="one_record_per_standard")
        ]

    def __str__(self) -> str:
        return f"{self.get_standard_display()}: {self.process}"
