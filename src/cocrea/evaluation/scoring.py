"""Computed ratings: the starred commitment and the proposed completion level.

Neither is ever typed by a person: both are functions of recorded ratings and figures.
"""

from __future__ import annotations

from decimal import Decimal

from .models import Completion, Impact, Specificity

STAR_RULE = (
    "Un compromiso es estelar cuando, a la vez: su especificidad es media o alta; es relevante "
    "para al menos uno de acceso a la información, participación ciudadana o rendición de "
    "cuentas; su impacto potencial es moderado o transformador; y su cumplimiento es sustancial "
    "o completo. Se calcula con la última revisión del diseño y la última revisión de "
    "resultados publicadas; nunca se captura."
)

COMPLETION_RULE = (
    "Nivel propuesto a partir del avance validado del compromiso (regla de agregación de "
    "Seguimiento): sin ningún avance validado (ni reporte validado ni cifra validada de un "
    "hito) → sin evidencia disponible; 0 % → no iniciado; "
    "más de 0 % y menos de 50 % → limitado; de 50 % a menos de 100 % → sustancial; "
    "100 % → completo. La persona evaluadora confirma la propuesta o la cambia con un motivo; "
    "se conservan ambos valores."
)

STAR_SPECIFICITY = frozenset({Specificity.MEDIUM, Specificity.HIGH})
STAR_IMPACT = frozenset({Impact.MODERATE, Impact.TRANSFORMATIVE})
STAR_COMPLETION = frozenset({Completion.SUBSTANTIAL, Completion.COMPLETE})
DONE_COMPLETION = STAR_COMPLETION


def is_starred(
    *,
    specificity: str,
    access: bool,
    participation: bool,
    accountability: bool,
    impact: str,
    completion: str,
) -> bool:
    """OGP's starred commitment; technology and innovation alone does not count."""
    return (
        specificity in STAR_SPECIFICITY
        and (access or participation or accountability)
        and impact in STAR_IMPACT
        and completion in STAR_COMPLETION
    )


def starred(design, results) -> bool:
    """`design` and `results` are assessments (or None) of the same commitment."""
    if design is None or results is None:
        return False
    return is_starred(
        specificity=design.specificity,
        access=design.relevant_access,
        participation=design.relevant_participation,
        accountability=design.relevant_accountability,
        impact=design.impact,
        completion=results.completion,
    )


def proposed_completion(progress, has_validated: bool) -> str:
    """The completion level the platform proposes from the validated progress (0–100).

    `has_validated`: the commitment has some validated figure (a validated report or a
    milestone with a validated progress); without one there is no evidence.
    """
    if not has_validated or progress is None:
        return Completion.NO_EVIDENCE
    progress = Decimal(str(progress))
    if progress <= 0:
        return Completion.NOT_STARTED
    if progress < 50:
        return Completion.LIMITED
    if progress < 100:
        return Completion.SUBSTANTIAL
    return Completion.COMPLETE
