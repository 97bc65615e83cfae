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
            register_entity_section,
            register_exporter,
            register_importer,
        )

        from . import demo, jobs, models, rules, sections  # noqa: F401 - rules and the job signal

        boundary.register(models.Commitment, "responsible_authority", "co_responsible")
        boundary.register(models.Milestone, "responsible_organization")
        boundary.register(models.SecretariatMember, "organization")
        boundary.register(models.Session, "attendees")
        boundary.register(models.Agreement, "responsible")
        from .services import IMPORT_COLUMNS_DOC, export_milestones, import_milestones

        register_importer("milestones", import_milestones, IMPORT_COLUMNS_DOC)
        register_exporter("milestones", export_milestones)
        register_demo_loader("planes", demo.load, order=40)
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
        )
