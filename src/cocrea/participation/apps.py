from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "cocrea.participation"
    verbose_name = _("Cocreación")

    def ready(self):
        from cocrea.core.registry import (
            register_demo_loader,
            register_entity_section,
            register_exporter,
        )

        from . import demo, exports, sections

        register_demo_loader("cocreacion", demo.load, order=50)
        register_exporter(
            "cocreacion-propuestas",
            lambda stdout, entity=None: exports.write_csv(stdout, entity, "propuestas"),
        )
        register_exporter(
            "cocreacion-procesos",
            lambda stdout, entity=None: exports.write_csv(stdout, entity, "procesos"),
        )
        register_entity_section("participation", sections.entity_summary, order=30)
