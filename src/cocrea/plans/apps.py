from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cocrea.plans"
    verbose_name = _("Secretariados y planes de acción")

    def ready(self):
        from cocrea.core import boundary
        from cocrea.core.registry import (
            register_dataset,
            register_demo_loader,
            register_demo_program_commitments,
            register_entity_section,
            register_exporter,
            register_importer,
            register_search_source,
        )

        from . import datasets, demo, demo_municipal, jobs, models, rules, sections  # noqa: F401 - rules, job signal

        # A municipality's secretariat and plans: the municipality is of their entity.
        boundary.register(models.Secretariat, "municipality")
        boundary.register(models.ActionPlan, "municipality")
        boundary.register(models.Commitment, "responsible_authority", "co_responsible")
        boundary.register(models.Milestone, "responsible_organization")
        boundary.register(models.SecretariatMember, "organization")
        boundary.register(models.Session, "attendees")
        boundary.register(models.Agreement, "responsible")
        from .services import IMPORT_COLUMNS_DOC, export_milestones, import_milestones

        register_importer("milestones", import_milestones, IMPORT_COLUMNS_DOC)
        register_exporter("milestones", export_milestones)
        register_demo_loader("planes", demo.load, order=40)
        register_demo_program_commitments(demo.money_commitments)
        from cocrea.core.registry import register_workspace_section

        from . import workspace

        register_workspace_section("plans-validate", workspace.reports_to_validate, order=10)
        register_workspace_section("plans-milestones", workspace.milestones_due, order=11)
        register_workspace_section("plans-agreements", workspace.agreements_due, order=12)
        from .selectors import public_commitments, public_plans

        register_search_source(
            "planes", _("Planes de acción local"), order=20,
            queryset=lambda: public_plans().select_related("entity", "municipality"),
            fields=("title",),
            subtitle=lambda p: str(p.municipality or p.entity),
        )  # fmt: skip
        register_search_source(
            "compromisos", _("Compromisos"), order=21,
            queryset=lambda: public_commitments().select_related("plan__entity"),
            fields=("title", "problem", "objective", "description"),
            subtitle=lambda c: str(c.plan),
        )  # fmt: skip
        register_demo_loader("planes-municipales", demo_municipal.load, order=45)
        register_entity_section("plans", sections.entity_summary, order=20)
        register_dataset(
            "planes",
            _("Planes de acción local"),
            _("Planes publicados con su periodo, estatus y avance validado y reportado."),
            group=self.label,
            csv_url="plans:plans_csv",
            json_url="/api/v1/plans",
            page_url="plans:board",
            order=30,
            keywords=[_("gobierno abierto"), _("plan de acción"), _("cocreación")],
            coverage=datasets.plans_coverage,
            per_entity=True,
            entity_csv_param="entidad",
        )
        register_dataset(
            "compromisos",
            _("Compromisos"),
            _(
                "Compromisos de los planes publicados con sus responsables, peso, estatus, "
                "avance e hitos vencidos."
            ),
            group=self.label,
            csv_url="plans:commitments_csv",
            json_url="/api/v1/commitments",
            page_url="plans:board",
            order=31,
            keywords=[_("gobierno abierto"), _("compromisos"), _("plan de acción")],
            coverage=datasets.commitments_coverage,
            per_entity=True,
            entity_csv_param="entidad",
        )
        register_dataset(
            "hitos",
            _("Hitos"),
            _("Hitos de cada compromiso con fechas, responsable y avance validado."),
            group=self.label,
            csv_url="plans:milestones_csv",
            json_url="/api/v1/milestones",
            page_url="plans:board",
            order=32,
            keywords=[_("gobierno abierto"), _("hitos"), _("seguimiento")],
            coverage=datasets.milestones_coverage,
            per_entity=True,
            entity_csv_param="entidad",
        )
        register_dataset(
            "reportes",
            _("Reportes de avance validados"),
            _(
                "Reportes de avance de los hitos validados por la contraparte, con fecha, "
                "avance y lado que reporta; sin quién reporta ni quién valida."
            ),
            group=self.label,
            json_url="/api/v1/reports",
            page_url="plans:board",
            columns=datasets.REPORT_COLUMNS,
            rows=datasets.report_rows,
            order=33,
            keywords=[_("gobierno abierto"), _("reportes de avance"), _("evidencias")],
            coverage=datasets.reports_coverage,
            per_entity=True,
            entity_csv_param="entity",
        )
        register_dataset(
            "compromisos-ogp",
            _("Compromisos en formato de OGP"),
            _(
                "Los compromisos en las columnas de los datos de compromisos de la Alianza "
                "para el Gobierno Abierto (OGP): identificador, título, institución "
                "responsable, los cuatro valores de gobierno abierto y las columnas de "
                "evaluación (vacías mientras no haya evaluación)."
            ),
            group=self.label,
            json_url="/api/v1/ogp-commitments",
            page_url="plans:board",
            columns=datasets.OGP_COLUMNS,
            rows=datasets.ogp_rows,
            order=34,
            keywords=[_("gobierno abierto"), _("OGP"), _("compromisos")],
            coverage=datasets.commitments_coverage,
            per_entity=True,
            entity_csv_param="entity",
        )
