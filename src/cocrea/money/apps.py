from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoneyConfig(AppConfig):
    name = "cocrea.money"
    verbose_name = _("Sigue el Dinero")

    def ready(self):
        from cocrea.core.registry import (
            register_demo_loader,
            register_entity_section,
            register_exporter,
            register_importer,
        )

        from . import budget, demo, rules, sections  # noqa: F401 - registers the permission rules
        from .services import import_budget_registry

        register_importer("budget", import_budget_registry, budget.COLUMNS_DOC)
        register_exporter("budget", budget.export_budget)
        register_demo_loader("dinero", demo.load, order=70)
        register_entity_section("money", sections.entity_summary, order=40)
