"""Independent evaluation of Local Action Plans, after OGP's Independent Reporting Mechanism.

* An `Appointment` names an evaluator (a person, an organisation, or a person acting for an
  organisation) for one plan and one stage: the design review at the start of the plan,
  the results review at its end. Nobody of the entity's secretariat may evaluate it.
* A `Review` is one version of one stage's review of a plan: draft → sent to the
  secretariat for comments (until `reply_due`) → published. A correction is a new version;
  the earlier one stays public (status «superseded»).
* An `Assessment` holds the ratings of one commitment in a review, each with its written
  justification; a `Reply` is the secretariat's written answer to one rating.
* A `StandardJudgement` is the evaluator's judgement of one OGP co-creation standard for the
  co-creation process named by a design review (the computed figures live in `standards.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cocrea.participation.models import Standard


class Stage(models.TextChoices):
    DESIGN = "diseno", _("Revisión del diseño")
    RESULTS = "resultados", _("Revisión de resultados")


class Appointment(models.Model):
    plan = models.ForeignKey(
        "plans.ActionPlan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="evaluator_appointments",
    )
    stage = models.CharField(_("etapa"), max_length=12, choices=Stage.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona evaluadora"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_appointments",
    )
    organization = models.ForeignKey(
        "participants.Organization",
        verbose_name=_("organización evaluadora"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_appointments",
    )
    public_name = models.CharField(_("nombre público"), max_length=200, blank=True)
    appointed_at = models.DateTimeField(_("designación"), auto_now_add=True)
    ended_at = models.DateTimeField(_("término"), null=True, blank=True)

    class Meta:
        verbose_name = _("designación de evaluación")
        verbose_name_plural = _("designaciones de evaluación")
        ordering = ["plan", "stage", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(organization__isnull=False),
                name="appointment_names_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label()} · {self.plan} · {self.get_stage_display()}"

    def label(self) -> str:
        """Who evaluates, for public pages: an organisation or a public name, never contacts."""
        if self.organization_id:
            return self.organization.name
        return self.public_name or str(_("Persona evaluadora independiente"))

    @property
    def active(self) -> bool:
        return self.ended_at is None


class ReviewStatus(models.TextChoices):
    DRAFT = "borrador", _("Borrador")
    COMMENTS = "comentarios", _("En periodo de réplica del secretariado")
    PUBLISHED = "publicada", _("Publicada")
    SUPERSEDED = "sustituida", _("Publicada, sustituida por una corrección")


PUBLIC_STATUSES = (ReviewStatus.PUBLISHED, ReviewStatus.SUPERSEDED)


class Review(models.Model):
    plan = models.ForeignKey(
        "plans.ActionPlan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reviews"
    )
    stage = models.CharField(_("etapa"), max_length=12, choices=Stage.choices)
    version = models.PositiveSmallIntegerField(_("versión"), default=1)
    status = models.CharField(
        _("estatus"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    appointment = models.ForeignKey(
        Appointment, verbose_name=_("evaluación"), on_delete=models.PROTECT, related_name="reviews"
    )
    process = models.ForeignKey(
        "participation.Process",
        verbose_name=_("proceso de cocreación"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    summary = models.TextField(_("resumen"), blank=True)
    correction_note = models.TextField(_("qué se corrigió"), blank=True)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("versión anterior"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    reply_due = models.DateField(_("fecha límite de réplica"), null=True, blank=True)
    sent_at = models.DateTimeField(_("enviada al secretariado"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revisión")
        verbose_name_plural = _("revisiones")
        ordering = ["plan", "stage", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "stage", "version"], name="review_unique_version"
            ),
            models.UniqueConstraint(
                fields=["plan", "stage"],
                condition=Q(status__in=["borrador", "comentarios"]),
                name="review_one_open_version",
            ),
        ]
        indexes = [models.Index(fields=["status", "stage"])]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} · {self.plan} · v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:review", kwargs={"pk": self.pk})

    @property
    def entity(self):
        return self.plan.entity

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class YesNo(models.TextChoices):
    YES = "si", _("Sí")
    NO = "no", _("No")


class Potential(models.TextChoices):
    UNCLEAR = "incierto", _("Incierto")
    MODEST = "modesto", _("Modesto")
    SUBSTANTIAL = "sustancial", _("Sustancial")


class Specificity(models.TextChoices):
    NONE = "ninguna", _("Ninguna")
    LOW = "baja", _("Baja")
    MEDIUM = "media", _("Media")
    HIGH = "alta", _("Alta")


class Impact(models.TextChoices):
    NONE = "ninguno", _("Ninguno")
    MINOR = "menor", _("Menor")
    MODERATE = "moderado", _("Moderado")
    TRANSFORMATIVE = "transformador", _("Transformador")


class Completion(models.TextChoices):
    NO_EVIDENCE = "sin_evidencia", _("Sin evidencia disponible")
    NOT_STARTED = "no_iniciado", _("No iniciado")
    LIMITED = "limitado", _("Limitado")
    SUBSTANTIAL = "sustancial", _("Sustancial")
    COMPLETE = "completo", _("Completo")


class OpenedGovernment(models.TextChoices):
    WORSENED = "empeoro", _("Empeoró")
    NO_CHANGE = "no_cambio", _("No cambió")
    MARGINAL = "marginal", _("Marginalmente")
    MAJOR = "significativo", _("Significativamente")
    OUTSTANDING = "sobresaliente", _("Sobresalientemente")


class Variable(models.TextChoices):
    """One rating of an assessment; the secretariat replies to each."""

    VERIFIABLE = "verificable", _("Verificable")
    RELEVANCE = "relevancia", _("Lente de gobierno abierto")
    POTENTIAL = "potencial", _("Potencial de resultados")
    PROMISING = "prometedor", _("Prometedor")
    SPECIFICITY = "especificidad", _("Especificidad")
    IMPACT = "impacto", _("Impacto potencial")
    COMPLETION = "cumplimiento", _("Nivel de cumplimiento")
    OPENED = "abrio_gobierno", _("¿Abrió el gobierno?")


STAGE_VARIABLES = {
    Stage.DESIGN: (
        Variable.VERIFIABLE,
        Variable.RELEVANCE,
        Variable.POTENTIAL,
        Variable.PROMISING,
        Variable.SPECIFICITY,
        Variable.IMPACT,
    ),
    Stage.RESULTS: (Variable.COMPLETION, Variable.OPENED),
}


def _text(label):
    return models.TextField(label, blank=True)


class Assessment(models.Model):
    """The ratings of one commitment in one review version, each with its justification."""

    review = models.ForeignKey(
        Review, verbose_name=_("revisión"), on_delete=models.CASCADE, related_name="assessments"
    )
    commitment = models.ForeignKey(
        "plans.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    # Design review.
    verifiable = models.CharField(_("verificable"), max_length=2, choices=YesNo.choices, blank=True)
    verifiable_why = _text(_("justificación: verificable"))
    relevant_access = models.BooleanField(_("relevante: transparencia / acceso"), default=False)
    relevant_participation = models.BooleanField(_("relevante: participación"), default=False)
    relevant_accountability = models.BooleanField(
        _("relevante: rendición de cuentas"), default=False
    )
    relevant_technology = models.BooleanField(
        _("tecnología e innovación (complementario)"), default=False
    )
    relevance_why = _text(_("justificación: lente de gobierno abierto"))
    potential = models.CharField(
        _("potencial de resultados"), max_length=12, choices=Potential.choices, blank=True
    )
    potential_why = _text(_("justificación: potencial"))
    promising = models.CharField(_("prometedor"), max_length=2, choices=YesNo.choices, blank=True)
    promising_why = _text(_("razón: prometedor"))
    specificity = models.CharField(
        _("especificidad"), max_length=8, choices=Specificity.choices, blank=True
    )
    specificity_why = _text(_("justificación: especificidad"))
    impact = models.CharField(
        _("impacto potencial"), max_length=14, choices=Impact.choices, blank=True
    )
    impact_why = _text(_("justificación: impacto potencial"))
    # Results review.
    completion_proposed = models.CharField(
        _("cumplimiento propuesto por la plataforma"),
        max_length=14,
        choices=Completion.choices,
        blank=True,
    )
    completion_progress = models.DecimalField(
        _("avance validado al proponer"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    completion = models.CharField(
        _("cumplimiento"), max_length=14, choices=Completion.choices, blank=True
    )
    completion_why = _text(_("justificación: cumplimiento"))
    completion_override_reason = _text(_("motivo para apartarse de la propuesta"))
    opened = models.CharField(
        _("¿abrió el gobierno?"), max_length=14, choices=OpenedGovernment.choices, blank=True
    )
    opened_why = _text(_("justificación: ¿abrió el gobierno?"))
    evidence_links = models.JSONField(_("enlaces a evidencia"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("valoración de compromiso")
        verbose_name_plural = _("valoraciones de compromisos")
        ordering = ["review", "commitment__number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "commitment"], name="assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.commitment}"

    @property
    def entity(self):
        return self.review.plan.entity

    @property
    def relevant(self) -> bool:
        return self.relevant_access or self.relevant_participation or self.relevant_accountability

    def lens_labels(self) -> list[str]:
        """The open-government values the commitment is relevant to (technology last)."""
        return [
            str(label)
            for flag, label in (
                (self.relevant_access, _("transparencia / acceso a la información")),
                (self.relevant_participation, _("participación ciudadana")),
                (self.relevant_accountability, _("rendición de cuentas")),
                (self.relevant_technology, _("tecnología e innovación (complementario)")),
            )
            if flag
        ]

    def ordered_replies(self) -> list:
        """The replies in the order of the ratings (uses the prefetched replies)."""
        order = {v: i for i, v in enumerate(Variable.values)}
        return sorted(self.replies.all(), key=lambda r: order.get(r.variable, 99))


class Reply(models.Model):
    """The secretariat's written answer to one rating; signed by organisation and side."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("valoración"), on_delete=models.CASCADE, related_name="replies"
    )
    variable = models.CharField(_("calificación"), max_length=16, choices=Variable.choices)
    text = models.TextField(_("réplica"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(_("responde (público)"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("réplica del secretariado")
        verbose_name_plural = _("réplicas del secretariado")
        ordering = ["assessment", "variable"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "variable"], name="reply_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.get_variable_display()}"


class StandardJudgement(models.Model):
    """The evaluator's justified judgement of one co-creation standard (design review)."""

    review = models.ForeignKey(
        Review, verbose_name=_("revisión"), on_delete=models.CASCADE, related_name="standards"
    )
    standard = models.CharField(_("estándar"), max_length=12, choices=Standard.choices)
    met = models.BooleanField(_("se cumple"), default=False)
    justification = models.TextField(_("justificación"))

    class Meta:
        verbose_name = _("valoración de estándar de cocreación")
        verbose_name_plural = _("valoraciones de estándares de cocreación")
        ordering = ["review", "standard"]
        constraints = [
            models.UniqueConstraint(fields=["review", "standard"], name="standard_judgement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_standard_display()} · {self.review}"
