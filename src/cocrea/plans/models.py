"""Local Technical Secretariats, Local Action Plans, commitments, milestones and reports.

Progress figures (the rollup rule, see `rollup.py` and the public page /seguimiento/metodologia/):

* A milestone carries two figures: `reported_progress` (the latest figure reported by the
  responsible side, validated or not) and `progress` (the *validated* figure: set when the
  counterpart validates a report, or by an audited bulk edit of the secretariat). A milestone
  whose `progress` is NULL has no validated figure and counts 0 ("sin reporte").
* The validated figure feeds the official rollup; the reported rollup is shown next to it.
"""

from __future__ import annotations

import os
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cocrea.accounts.models import MemberRole, Side

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")


def random_upload_path(instance, filename: str) -> str:
    """Store uploads under a random name: the original name never reaches the file system."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    if not ext.replace(".", "").isalnum():
        ext = ""
    return f"plans/{uuid.uuid4().hex}{ext}"


def weight_field() -> models.DecimalField:
    """`peso`: the weight of a commitment in its plan or of a milestone in its commitment."""
    return models.DecimalField(
        _("peso"),
        max_digits=6,
        decimal_places=2,
        default=ONE,
        validators=[MinValueValidator(Decimal("0.01"))],
    )


class Secretariat(models.Model):
    """A Local Technical Secretariat (secretariado técnico local) of an entity or municipality."""

    entity = models.ForeignKey(
        "territory.Entity",
        verbose_name=_("entidad"),
        on_delete=models.PROTECT,
        related_name="secretariats",
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name=_("municipio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secretariats",
        help_text=_("Vacío para la entidad; un municipio de la entidad para el nivel municipal."),
    )
    installed_on = models.DateField(_("fecha de instalación"), null=True, blank=True)
    installation_act = models.FileField(
        _("acta de instalación"), upload_to=random_upload_path, blank=True
    )
    installation_act_url = models.URLField(_("enlace al acta de instalación"), blank=True)
    description = models.TextField(_("descripción"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("secretariado técnico local")
        verbose_name_plural = _("secretariados técnicos locales")
        ordering = ["entity__code", "municipality__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity"],
                condition=models.Q(municipality__isnull=True),
                name="one_secretariat_per_entity",
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(municipality__isnull=False),
                name="one_secretariat_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"STL {self.municipality or self.entity}"

    def get_absolute_url(self) -> str:
        return reverse("plans:secretariat", kwargs={"slug": self.entity.slug})


class SecretariatMember(models.Model):
    """An organisation or a person with a role in the secretariat.

    `email` and `phone` are private contact data: never shown on public pages, APIs or CSV.
    """

    secretariat = models.ForeignKey(
        Secretariat,
        verbose_name=_("secretariado"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    organization = models.ForeignKey(
        "participants.Organization",
        verbose_name=_("organización"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secretariat_seats",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="secretariat_seats",
    )
    person_name = models.CharField(_("nombre de la persona"), max_length=150, blank=True)
    position = models.CharField(_("cargo"), max_length=150, blank=True)
    role = models.CharField(
        _("papel"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    side = models.CharField(_("sector"), max_length=20, choices=Side.choices)
    email = models.EmailField(_("correo (privado)"), blank=True)
    phone = models.CharField(_("teléfono (privado)"), max_length=40, blank=True)
    active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("integrante del secretariado")
        verbose_name_plural = _("integrantes del secretariado")
        ordering = ["secretariat", "role", "id"]

    def __str__(self) -> str:
        return self.public_label()

    @property
    def entity(self):
        return self.secretariat.entity

    def public_label(self) -> str:
        """Organisation and role; a person's name only with the position they hold."""
        org = self.organization.name if self.organization_id else ""
        parts = [p for p in (org, self.position) if p]
        return " · ".join(parts) or str(self.get_role_display())


class Session(models.Model):
    secretariat = models.ForeignKey(
        Secretariat,
        verbose_name=_("secretariado"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    number = models.PositiveSmallIntegerField(_("número"))
    date = models.DateField(_("fecha"))
    kind = models.CharField(_("tipo"), max_length=40, default="ordinaria")
    attendees = models.ManyToManyField(
        SecretariatMember, verbose_name=_("asistentes"), blank=True, related_name="sessions"
    )
    minutes = models.FileField(_("minuta"), upload_to=random_upload_path, blank=True)
    minutes_url = models.URLField(_("enlace a la minuta"), blank=True)

    class Meta:
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        ordering = ["secretariat", "-date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["secretariat", "number"], name="session_unique_number")
        ]

    def __str__(self) -> str:
        return f"Sesión {self.number} ({self.date:%Y-%m-%d})"

    @property
    def entity(self):
        return self.secretariat.entity


class AgreementStatus(models.TextChoices):
    PENDING = "pendiente", _("Pendiente")
    IN_PROGRESS = "en_proceso", _("En proceso")
    DONE = "cumplido", _("Cumplido")
    CANCELLED = "cancelado", _("Cancelado")


class Agreement(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("sesión"), on_delete=models.CASCADE, related_name="agreements"
    )
    number = models.PositiveSmallIntegerField(_("número"), default=1)
    text = models.TextField(_("acuerdo"))
    responsible = models.ForeignKey(
        SecretariatMember,
        verbose_name=_("responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    due_date = models.DateField(_("fecha compromiso"), null=True, blank=True)
    status = models.CharField(
        _("estatus"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.PENDING,
    )

    class Meta:
        verbose_name = _("acuerdo")
        verbose_name_plural = _("acuerdos")
        ordering = ["session", "number"]

    def __str__(self) -> str:
        return f"Acuerdo {self.session.number}.{self.number}"

    @property
    def entity(self):
        return self.session.secretariat.entity


class PlanStatus(models.TextChoices):
    DRAFT = "borrador", _("Borrador")
    PUBLISHED = "publicado", _("Publicado")
    IMPLEMENTATION = "implementacion", _("En implementación")
    CLOSED = "cerrado", _("Cerrado")


class ActionPlan(models.Model):
    """A Local Action Plan (plan de acción local): the 1st, 2nd… plan of an entity."""

    entity = models.ForeignKey(
        "territory.Entity",
        verbose_name=_("entidad"),
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name=_("municipio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_plans",
        help_text=_("Vacío para la entidad; un municipio de la entidad para el nivel municipal."),
    )
    sequence = models.PositiveSmallIntegerField(_("número de plan"), default=1)
    title = models.CharField(_("título"), max_length=300)
    period_start = models.DateField(_("inicio del periodo"), null=True, blank=True)
    period_end = models.DateField(_("fin del periodo"), null=True, blank=True)
    status = models.CharField(
        _("estatus"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("publicado"), null=True, blank=True)
    document = models.FileField(_("documento del plan"), upload_to=random_upload_path, blank=True)
    document_url = models.URLField(_("enlace al documento"), blank=True)
    version = models.PositiveSmallIntegerField(_("versión vigente"), default=0)
    reports_require_evidence = models.BooleanField(
        _("los reportes de avance exigen evidencia"),
        default=True,
        help_text=_("Un reporte no puede enviarse sin al menos un archivo o enlace."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan de acción local")
        verbose_name_plural = _("planes de acción local")
        ordering = ["entity__code", "municipality__code", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "sequence"],
                condition=models.Q(municipality__isnull=True),
                name="plan_unique_sequence",
            ),
            models.UniqueConstraint(
                fields=["municipality", "sequence"],
                condition=models.Q(municipality__isnull=False),
                name="plan_unique_sequence_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality or self.entity} · {self.sequence}.º plan"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status != PlanStatus.DRAFT


class PlanVersion(models.Model):
    """A published state of a plan; later versions record what changed."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("versión"))
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    summary = models.TextField(_("qué cambió"), blank=True)
    changes = models.JSONField(_("cambios"), default=list, blank=True)
    snapshot = models.JSONField(_("contenido"), default=dict)

    class Meta:
        verbose_name = _("versión del plan")
        verbose_name_plural = _("versiones del plan")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class PlanDocument(models.Model):
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("título"), max_length=200)
    file = models.FileField(_("archivo"), upload_to=random_upload_path, blank=True)
    url = models.URLField(_("enlace"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("documento del plan")
        verbose_name_plural = _("documentos del plan")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.title


class OGValue(models.TextChoices):
    ACCESS = "acceso_informacion", _("Acceso a la información")
    PARTICIPATION = "participacion", _("Participación ciudadana")
    ACCOUNTABILITY = "rendicion_cuentas", _("Rendición de cuentas")
    TECHNOLOGY = "tecnologia_innovacion", _("Tecnología e innovación")


VALUE_FIELDS = {
    OGValue.ACCESS: "value_access",
    OGValue.PARTICIPATION: "value_participation",
    OGValue.ACCOUNTABILITY: "value_accountability",
    OGValue.TECHNOLOGY: "value_technology",
}


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "no_iniciado", _("No iniciado")
    IN_PROGRESS = "en_proceso", _("En proceso")
    COMPLETE = "concluido", _("Concluido")
    DELAYED = "retrasado", _("Retrasado")
    CANCELLED = "cancelado", _("Cancelado")


# Milestones share the same five states.
MilestoneStatus = CommitmentStatus


class Commitment(models.Model):
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="commitments"
    )
    number = models.PositiveSmallIntegerField(_("número"))
    title = models.CharField(_("título"), max_length=300)
    problem = models.TextField(_("problema público"), blank=True)
    objective = models.TextField(_("objetivo"), blank=True)
    description = models.TextField(_("descripción"), blank=True)
    responsible_authority = models.ForeignKey(
        "participants.Organization",
        verbose_name=_("autoridad responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments_as_authority",
    )
    co_responsible = models.ForeignKey(
        "participants.Organization",
        verbose_name=_("organización corresponsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments_as_co_responsible",
    )
    value_access = models.BooleanField(_("acceso a la información"), default=False)
    value_participation = models.BooleanField(_("participación ciudadana"), default=False)
    value_accountability = models.BooleanField(_("rendición de cuentas"), default=False)
    value_technology = models.BooleanField(_("tecnología e innovación"), default=False)
    start_date = models.DateField(_("fecha de inicio"), null=True, blank=True)
    end_date = models.DateField(_("fecha de término"), null=True, blank=True)
    weight = weight_field()
    status = models.CharField(
        _("estatus"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="commitment_unique_number"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="commitment_weight_gt0"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:commitment", kwargs={"pk": self.pk})

    @property
    def entity(self):
        return self.plan.entity

    @property
    def values(self) -> list[str]:
        return [v.value for v, f in VALUE_FIELDS.items() if getattr(self, f)]

    def value_labels(self) -> list[str]:
        return [str(v.label) for v, f in VALUE_FIELDS.items() if getattr(self, f)]


class Milestone(models.Model):
    """A milestone (hito/actividad) of a commitment."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    number = models.PositiveSmallIntegerField(_("número"), default=1)
    title = models.CharField(_("título"), max_length=300)
    responsible_organization = models.ForeignKey(
        "participants.Organization",
        verbose_name=_("organización responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )
    responsible_side = models.CharField(
        _("lado que reporta"), max_length=20, choices=Side.choices, default=Side.GOVERNMENT
    )
    start_date = models.DateField(_("fecha de inicio"), null=True, blank=True)
    end_date = models.DateField(_("fecha de término"), null=True, blank=True)
    weight = weight_field()
    status = models.CharField(
        _("estatus"),
        max_length=20,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.NOT_STARTED,
    )
    progress = models.DecimalField(
        _("avance validado"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
        help_text=_("Alimenta la regla de agregación. Vacío = sin reporte (cuenta 0)."),
    )
    reported_progress = models.DecimalField(
        _("avance reportado"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
    )
    # Report counters kept by the services (see services.recount_reports), so the national
    # board aggregates milestones only, whatever the number of reports.
    reports_total = models.PositiveIntegerField(_("reportes"), default=0, editable=False)
    reports_validated = models.PositiveIntegerField(
        _("reportes validados"), default=0, editable=False
    )
    reports_pending = models.PositiveIntegerField(
        _("reportes pendientes"), default=0, editable=False
    )
    reports_returned = models.PositiveIntegerField(
        _("reportes devueltos"), default=0, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hito")
        verbose_name_plural = _("hitos")
        ordering = ["commitment", "number", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="milestone_weight_gt0"),
            models.CheckConstraint(
                condition=models.Q(progress__isnull=True)
                | (models.Q(progress__gte=0) & models.Q(progress__lte=100)),
                name="milestone_progress_0_100",
            ),
        ]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.commitment.get_absolute_url() + f"#hito-{self.pk}"

    @property
    def plan(self):
        return self.commitment.plan

    @property
    def counterpart_side(self) -> str:
        return Side.CIVIL_SOCIETY if self.responsible_side == Side.GOVERNMENT else Side.GOVERNMENT

    def is_overdue(self, today) -> bool:
        return bool(
            self.end_date
            and self.end_date < today
            and self.status not in (MilestoneStatus.COMPLETE, MilestoneStatus.CANCELLED)
        )


class ReportStatus(models.TextChoices):
    PENDING = "pendiente", _("Pendiente de validación")
    VALIDATED = "validado", _("Validado")
    RETURNED = "devuelto", _("Devuelto")


class ProgressReport(models.Model):
    """A dated update of a milestone by the responsible side; the counterpart validates it."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("hito"), on_delete=models.CASCADE, related_name="reports"
    )
    date = models.DateField(_("fecha del reporte"))
    text = models.TextField(_("descripción del avance"))
    progress = models.DecimalField(
        _("avance reportado"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
    )
    side = models.CharField(_("lado que reporta"), max_length=20, choices=Side.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reportó"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter_label = models.CharField(_("reporta (público)"), max_length=300, blank=True)
    status = models.CharField(
        _("estatus"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revisó"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer_label = models.CharField(_("revisa (público)"), max_length=300, blank=True)
    reviewed_at = models.DateTimeField(_("fecha de revisión"), null=True, blank=True)
    return_reason = models.TextField(_("motivo de devolución"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporte de avance")
        verbose_name_plural = _("reportes de avance")
        ordering = ["milestone", "-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=100),
                name="report_progress_0_100",
            ),
        ]
        indexes = [models.Index(fields=["milestone", "status"])]

    def __str__(self) -> str:
        return f"{self.milestone} · {self.date:%Y-%m-%d} · {self.progress}%"

    @property
    def commitment(self):
        return self.milestone.commitment

    @property
    def validating_side(self) -> str:
        return Side.CIVIL_SOCIETY if self.side == Side.GOVERNMENT else Side.GOVERNMENT


class EvidenceKind(models.TextChoices):
    FILE = "archivo", _("Archivo")
    LINK = "enlace", _("Enlace")


class Evidence(models.Model):
    """A means of verification: an uploaded file (stored under a random name) or a link."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("hito"), on_delete=models.CASCADE, related_name="evidence"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("reporte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("título"), max_length=200)
    file = models.FileField(_("archivo"), upload_to=random_upload_path, blank=True)
    content_type = models.CharField(_("tipo de contenido"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("tamaño (bytes)"), default=0)
    url = models.URLField(_("enlace"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agregó"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")
        ordering = ["milestone", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="archivo") & ~models.Q(file=""))
                | (models.Q(kind="enlace") & ~models.Q(url="")),
                name="evidence_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.kind == EvidenceKind.LINK:
            return self.url
        return reverse("plans:evidence_download", kwargs={"pk": self.pk})

    @property
    def commitment(self):
        return self.milestone.commitment


class JobStatus(models.TextChoices):
    QUEUED = "en_cola", _("En cola")
    RUNNING = "en_proceso", _("En proceso")
    DONE = "terminado", _("Terminado")
    FAILED = "fallido", _("Fallido")


class BulkJob(models.Model):
    """A back-office milestones import or export running in the background."""

    KIND_IMPORT = "importar"
    KIND_EXPORT = "exportar"

    kind = models.CharField(
        _("tipo"),
        max_length=10,
        choices=[(KIND_IMPORT, _("Importación")), (KIND_EXPORT, _("Exportación"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creó"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entity = models.ForeignKey(
        "territory.Entity",
        verbose_name=_("entidad"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("estatus"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    phase = models.CharField(_("fase"), max_length=60, blank=True)
    done = models.PositiveIntegerField(_("filas procesadas"), default=0)
    total = models.PositiveIntegerField(_("filas"), default=0)
    source = models.FileField(_("archivo recibido"), upload_to=random_upload_path, blank=True)
    result = models.FileField(_("archivo resultante"), upload_to=random_upload_path, blank=True)
    errors = models.JSONField(_("errores"), default=list, blank=True)
    summary = models.JSONField(_("resumen"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("trabajo de importación/exportación")
        verbose_name_plural = _("trabajos de importación/exportación")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
