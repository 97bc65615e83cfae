from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "cocrea.evaluation"
    verbose_name = _("Evaluación independiente")

    def ready(self):
        from cocrea.core import boundary
        from cocrea.core.registry import (
            register_dataset,
            register_demo_loader,
            register_entity_section,
        )

        from . import datasets, demo, rules, sections  # noqa: F401 - registers the rules
        from .models import Assessment, Review

        boundary.register(Review, "process", "appointment", "previous")
        boundary.register(Assessment, "commitment")
        register_demo_loader("evaluacion", demo.load, order=58)
        register_entity_section("evaluation", sections.entity_summary, order=40)
        from cocrea.core.registry import register_workspace_section

        from . import workspace

        register_workspace_section("evaluation-reviews", workspace.reviews_in_progress, order=15)
        register_workspace_section("evaluation-replies", workspace.reviews_to_answer, order=16)
        from cocrea.core.registry import register_commitment_ratings

        from .selectors import ratings_by_commitment

        register_commitment_ratings(ratings_by_commitment)
        register_dataset(
            "evaluacion-compromisos",
            _("Evaluación independiente de compromisos"),
            _(
                "Calificaciones publicadas de cada compromiso con el formato de datos de "
                "compromisos de OGP: valores de gobierno abierto, especificidad, impacto "
                "potencial, cumplimiento, ¿abrió el gobierno? y compromiso estelar (calculado)."
            ),
            group=self.label,
            csv_url="/api/v1/evaluation/ratings.csv",
            json_url="/api/v1/evaluation/ratings",
            page_url="evaluation:national",
            order=70,
            keywords=[_("evaluación"), _("OGP"), _("IRM"), _("compromisos")],
            coverage=datasets.ratings_coverage,
            per_entity=True,
            entity_csv_param="entity",
        )
