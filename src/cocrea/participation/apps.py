from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "cocrea.participation"
    verbose_name = _("Cocreación")

    def ready(self):
        from cocrea.core import boundary
        from cocrea.core.registry import (
            register_dataset,
            register_demo_loader,
            register_entity_section,
            register_exporter,
        )

        from . import demo, exports, models, sections

        boundary.register(models.Response, "commitment")
        boundary.register(models.Agreement, "commitment")
        boundary.register(models.WorkingTable, "proposals")

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
        register_dataset(
            "cocreacion-procesos",
            _("Procesos de cocreación"),
            _(
                "Procesos por entidad y ciclo con su fase actual, propuestas recibidas y la "
                "proporción de propuestas con respuesta razonada."
            ),
            group=self.label,
            csv_url=("participation:csv", "procesos"),
            json_url="/api/v1/processes",
            page_url="participation:processes",
            order=40,
        )
        register_dataset(
            "cocreacion-propuestas",
            _("Propuestas y problemas públicos"),
            _(
                "Propuestas ciudadanas con su estado, respuesta publicada, apoyos y el "
                "compromiso al que se incorporaron; sin autor ni correo."
            ),
            group=self.label,
            csv_url=("participation:csv", "propuestas"),
            json_url="/api/v1/proposals",
            page_url="participation:processes",
            order=41,
        )
