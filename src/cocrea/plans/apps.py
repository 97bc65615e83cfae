from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cocrea.plans"
    verbose_name = _("Secretariados y planes de acción")

    def ready(self):
        from cocrea.core.registry import (
            register_demo_loader,
            register_entity_section,
            register_exporter,
            register_importer,
        )

        from . import demo, rules, sections  # noqa: F401 - registers the permission rules
        from .services import IMPORT_COLUMNS_DOC, export_milestones, import_milestones

        register_importer("milestones", import_milestones, IMPORT_COLUMNS_DOC)
        register_exporter("milestones", export_milestones)
        register_demo_loader("planes", demo.load, order=40)
        register_entity_section("plans", sections.entity_summary, order=20)
