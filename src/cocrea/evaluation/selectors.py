"""Read-side queries of the evaluation pages, reports and exports (bounded query counts)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext_noop

from cocrea.plans.datasets import ogp_commitment_id
from cocrea.territory.models import Entity

from . import scoring
from .models import (
    PUBLIC_STATUSES,
    STAGE_VARIABLES,
    Assessment,
    Completion,
    Impact,
    OpenedGovernment,
    Potential,
    Reply,
    Review,
    ReviewStatus,
    Specificity,
    Stage,
    StandardJudgement,
    YesNo,
)

DATA_DIR = Path(__file__).parent / "data"


# --------------------------------------------------------------------- external reference data


@dataclass(frozen=True)
class ExternalIndex:
    year: int
    value: float
    source: str
    url: str


@cache
def metrica_gobierno_abierto() -> tuple[ExternalIndex, ...]:
    """The Métrica de Gobierno Abierto (CIDE–INAI) national index, versioned in data/."""
    with open(DATA_DIR / "metrica_gobierno_abierto.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["anio"].strip()]
    return tuple(
        ExternalIndex(int(r["anio"]), float(r["indice"]), r["fuente"], r["url"]) for r in rows
    )


# ------------------------------------------------------------------------------- plan pages


def review_with_rows(pk: int) -> Review:
    return get_object_or_404(
        Review.objects.select_related("plan__entity", "appointment__organization", "process"),
        pk=pk,
    )


def assessments_of(review: Review) -> list[Assessment]:
    return list(
        review.assessments.select_related("commitment__responsible_authority").prefetch_related(
            Prefetch("replies", queryset=Reply.objects.order_by("variable"))
        )
    )


@dataclass
class CommitmentRow:
    commitment: object
    design: Assessment | None = None
    results: Assessment | None = None

    @property
    def starred(self) -> bool:
        return scoring.starred(self.design, self.results)


@dataclass
class PlanEvaluation:
    plan: object
    design: Review | None
    results: Review | None
    rows: list[CommitmentRow]
    versions: list[Review]
    in_reply: list[Review] = field(default_factory=list)

    @property
    def starred(self) -> int:
        return sum(1 for r in self.rows if r.starred)


def plan_evaluation(plan) -> PlanEvaluation:
    """The current published review of each stage, every commitment's ratings and star."""
    reviews = list(
        Review.objects.filter(plan=plan)
        .select_related("appointment__organization")
        .order_by("stage", "-version")
    )
    current = {r.stage: r for r in reversed(reviews) if r.status == ReviewStatus.PUBLISHED}
    rows = {
        c.pk: CommitmentRow(c) for c in plan.commitments.select_related("responsible_authority")
    }
    for stage in (Stage.DESIGN, Stage.RESULTS):
        review = current.get(stage)
        if review is None:
            continue
        for a in assessments_of(review):
            row = rows.setdefault(a.commitment_id, CommitmentRow(a.commitment))
            setattr(row, "design" if stage == Stage.DESIGN else "results", a)
    return PlanEvaluation(
        plan=plan,
        design=current.get(Stage.DESIGN),
        results=current.get(Stage.RESULTS),
        rows=sorted(rows.values(), key=lambda r: r.commitment.number),
        versions=[r for r in reviews if r.status in PUBLIC_STATUSES],
        in_reply=[r for r in reviews if r.status == ReviewStatus.COMMENTS],
    )


def entity_reviews(entity) -> list[tuple[object, list[Review]]]:
    """[(plan, its public or in-reply reviews)] of an entity, in two queries."""
    plans = list(entity.action_plans.exclude(status="borrador").order_by("sequence"))
    reviews: dict[int, list[Review]] = {p.pk: [] for p in plans}
    for r in (
        Review.objects.filter(plan__in=plans)
        .exclude(status=ReviewStatus.DRAFT)
        .select_related("appointment__organization")
        .order_by("stage", "-version")
    ):
        reviews[r.plan_id].append(r)
    return [(p, reviews[p.pk]) for p in plans]


# ---------------------------------------------------------------------------- national page

# Labels marked for translation; the templates translate them (`{% translate label %}`).
INDICATORS = (
    ("verifiable", gettext_noop("Verificables")),
    ("relevant", gettext_noop("Relevantes para gobierno abierto")),
    ("substantial", gettext_noop("Con potencial sustancial")),
    ("completed", gettext_noop("Cumplidos (sustancial o completo)")),
    ("starred", gettext_noop("Estelares")),
    ("standards", gettext_noop("Estándares de cocreación cumplidos")),
)


@dataclass
class Shares:
    design: int = 0
    verifiable: int = 0
    relevant: int = 0
    substantial: int = 0
    results: int = 0
    completed: int = 0
    starred: int = 0
    standards: int = 0
    standards_met: int = 0
    plans: set = field(default_factory=set)

    def pct(self, key: str) -> float | None:
        num, den = {
            "verifiable": (self.verifiable, self.design),
            "relevant": (self.relevant, self.design),
            "substantial": (self.substantial, self.design),
            "completed": (self.completed, self.results),
            "starred": (self.starred, self.design),
            "standards": (self.standards_met, self.standards),
        }[key]
        return 100 * num / den if den else None

    def as_dict(self) -> dict:
        return {k: self.pct(k) for k, _ in INDICATORS}

    def cells(self) -> list[str]:
        """The shares as table cells («80.0 %», «—» without data), formatted once."""
        return ["—" if v is None else f"{v:.1f} %" for v in self.as_dict().values()]


@dataclass
class NationalRow:
    entity: Entity
    shares: Shares


@dataclass
class National:
    rows: list[NationalRow]
    total: Shares
    by_year: list[tuple[int, Shares]]
    filters: dict


DESIGN_VALUES = ("commitment_id", "review__plan_id", "review__plan__entity_id",
                 "year", "verifiable", "relevant_access",
                 "relevant_participation", "relevant_accountability", "potential",
                 "specificity", "impact")  # fmt: skip


def national(*, plan=None, value=None, year=None, entity=None) -> National:
    """Every entity's shares over the current published reviews, in four queries.

    `entity` (an Entity) restricts everything to that entity (its page).
    """
    scope = {"review__plan__entity": entity} if entity is not None else {}
    base = Assessment.objects.filter(review__status=ReviewStatus.PUBLISHED, **scope).order_by()
    if plan:
        base = base.filter(review__plan__sequence=plan)
    if value in ("access", "participation", "accountability"):
        base = base.filter(**{f"relevant_{value}": True})
    design = list(
        base.filter(review__stage=Stage.DESIGN)
        .annotate(year=ExtractYear("review__published_at"))
        .values(*DESIGN_VALUES)
    )
    results_qs = Assessment.objects.filter(
        review__status=ReviewStatus.PUBLISHED, review__stage=Stage.RESULTS, **scope
    ).order_by()
    if plan:
        results_qs = results_qs.filter(review__plan__sequence=plan)
    completion = dict(results_qs.values_list("commitment_id", "completion"))
    standards_qs = StandardJudgement.objects.filter(
        review__status=ReviewStatus.PUBLISHED, **scope
    ).order_by()
    if plan:
        standards_qs = standards_qs.filter(review__plan__sequence=plan)
    standards = list(
        standards_qs.annotate(year=ExtractYear("review__published_at")).values_list(
            "review__plan__entity_id", "year", "met"
        )
    )
    per_entity: dict[int, Shares] = {}
    per_year: dict[int, Shares] = {}
    total = Shares()
    done = {c for c, v in completion.items() if v in scoring.DONE_COMPLETION}
    design_ids = set()
    for d in design:
        pub_year = d["year"]
        if year and pub_year != year:
            continue
        design_ids.add(d["commitment_id"])
        relevant = (
            d["relevant_access"] or d["relevant_participation"] or d["relevant_accountability"]
        )
        comp = completion.get(d["commitment_id"], "")
        star = scoring.is_starred(
            specificity=d["specificity"],
            access=d["relevant_access"],
            participation=d["relevant_participation"],
            accountability=d["relevant_accountability"],
            impact=d["impact"],
            completion=comp,
        )
        for s in (
            total,
            per_entity.setdefault(d["review__plan__entity_id"], Shares()),
            per_year.setdefault(pub_year, Shares()),
        ):
            s.design += 1
            s.verifiable += d["verifiable"] == YesNo.YES
            s.relevant += bool(relevant)
            s.substantial += d["potential"] == Potential.SUBSTANTIAL
            s.starred += star
            s.plans.add(d["review__plan_id"])
            if comp:
                s.results += 1
                s.completed += d["commitment_id"] in done
    for entity_id, pub_year, met in standards:
        if year and pub_year != year:
            continue
        for s in (
            total,
            per_entity.setdefault(entity_id, Shares()),
            per_year.setdefault(pub_year, Shares()),
        ):
            s.standards += 1
            s.standards_met += bool(met)
    entities = Entity.objects.filter(pk__in=per_entity.keys()).order_by("code")
    rows = [NationalRow(e, per_entity[e.pk]) for e in entities]
    return National(
        rows=rows,
        total=total,
        by_year=sorted(per_year.items()),
        filters={"plan": plan, "value": value, "year": year},
    )


# --------------------------------------------------------------------------------- exports

# OGP's commitments data layout (IRM), then where the row comes from.
EXPORT_COLUMNS = (
    "commitment_id", "commitment_title", "lead_institution", "access_to_information",
    "civic_participation", "public_accountability", "technology_and_innovation",
    "specificity", "potential_impact", "completion", "did_it_open_government", "starred",
    "entity_code", "entity", "municipality_code", "plan_sequence", "verifiable", "potential_for_results",
    "design_review_version", "results_review_version",
)  # fmt: skip


def _yes(value: bool) -> str:
    return "Sí" if value else "No"


EXPORT_VALUES = (
    "commitment_id", "commitment__number", "commitment__title",
    "commitment__responsible_authority__name", "review__stage", "review__version",
    "review__plan__sequence", "review__plan__entity__code", "review__plan__entity__common_name",
    "review__plan__municipality__code",
    "relevant_access", "relevant_participation", "relevant_accountability",
    "relevant_technology", "specificity", "impact", "completion", "opened", "verifiable",
    "potential",
)  # fmt: skip


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def export_rows(entity: str | None = None) -> list[dict]:
    """One row per commitment with a current published review (design or results), one query.

    Values are the Spanish labels whatever the request's language: the data set is stable.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _export_rows(entity)


def ratings_by_commitment(entity: str | None = None) -> dict[int, dict]:
    """The OGP evaluation columns of every rated commitment, by its id (for the plans' OGP
    commitments data, through `core.registry.register_commitment_ratings`)."""
    columns = ("specificity", "potential_impact", "completion", "did_it_open_government",
               "starred")  # fmt: skip
    with translation.override(settings.LANGUAGE_CODE):
        rated = {pk: {c: row[c] for c in columns} for pk, row in _export_rows(entity, by_pk=True)}
    for values in rated.values():
        values["starred"] = values["starred"] == "Sí"  # a yes/no of the OGP layout
    return rated


def _export_rows(entity: str | None, by_pk: bool = False) -> list:
    qs = (
        Assessment.objects.filter(review__status=ReviewStatus.PUBLISHED)
        .order_by("review__plan__entity__code", "review__plan__sequence", "commitment__number")
        .values(*EXPORT_VALUES)
    )
    if entity:
        qs = qs.filter(review__plan__entity__code=entity)
    labels = {
        "specificity": _labels(Specificity.choices),
        "impact": _labels(Impact.choices),
        "completion": _labels(Completion.choices),
        "opened": _labels(OpenedGovernment.choices),
        "verifiable": _labels(YesNo.choices),
        "potential": _labels(Potential.choices),
    }
    rows: dict[int, dict] = {}
    for a in qs:
        row = rows.setdefault(a["commitment_id"], {"design": None, "results": None, "a": a})
        row["design" if a["review__stage"] == Stage.DESIGN else "results"] = a
    empty: dict = {}

    def label(d, name):
        return labels[name].get(d.get(name, ""), "") if d else ""

    out = []
    for pk, row in rows.items():
        a, d, r = row["a"], row["design"], row["results"]
        dd, rr = d or empty, r or empty
        star = bool(d and r) and scoring.is_starred(
            specificity=d["specificity"],
            access=d["relevant_access"],
            participation=d["relevant_participation"],
            accountability=d["relevant_accountability"],
            impact=d["impact"],
            completion=r["completion"],
        )
        out.append(
            {
                "commitment_id": ogp_commitment_id(
                    a["review__plan__municipality__code"] or a["review__plan__entity__code"],
                    a["review__plan__sequence"],
                    a["commitment__number"],
                ),
                "commitment_title": a["commitment__title"],
                "lead_institution": a["commitment__responsible_authority__name"] or "",
                "access_to_information": _yes(dd["relevant_access"]) if d else "",
                "civic_participation": _yes(dd["relevant_participation"]) if d else "",
                "public_accountability": _yes(dd["relevant_accountability"]) if d else "",
                "technology_and_innovation": _yes(dd["relevant_technology"]) if d else "",
                "specificity": label(d, "specificity"),
                "potential_impact": label(d, "impact"),
                "completion": label(r, "completion"),
                "did_it_open_government": label(r, "opened"),
                "starred": _yes(star),
                "entity_code": a["review__plan__entity__code"],
                "municipality_code": a["review__plan__municipality__code"] or "",
                "entity": a["review__plan__entity__common_name"],
                "plan_sequence": a["review__plan__sequence"],
                "verifiable": label(d, "verifiable"),
                "potential_for_results": label(d, "potential"),
                "design_review_version": dd.get("review__version", ""),
                "results_review_version": rr.get("review__version", ""),
            }
        )
        if by_pk:
            out[-1] = (pk, out[-1])
    return out


def dataset_rows():
    for row in export_rows():
        yield [row[c] for c in EXPORT_COLUMNS]


def variables_for(review) -> tuple:
    return STAGE_VARIABLES[review.stage]
