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
            register_search_source,
        )

        from . import demo, exports, models, sections

        boundary.register(models.Process, "municipality")
        boundary.register(models.Response, "commitment")
        boundary.register(models.Agreement, "commitment")
        boundary.register(models.WorkingTable, "proposals")

        register_demo_loader("cocreacion", demo.load, order=50)
        from cocrea.core.registry import register_workspace_section

        from . import workspace

        register_workspace_section("cocreation-answers", workspace.awaiting_response, order=13)
        register_workspace_section("cocreation-moderation", workspace.moderation, order=14)
        register_workspace_section("cocreation-mine", workspace.my_proposals, order=30)
        register_workspace_section("cocreation-tables", workspace.my_tables, order=31)
        register_search_source(
            "procesos", _("Procesos de cocreación"), order=30,
            queryset=lambda: models.Process.objects.select_related("entity", "municipality"),
            fields=("title", "description"),
            subtitle=lambda p: str(p.municipality or p.entity),
        )  # fmt: skip
        register_search_source(
            "propuestas", _("Propuestas y problemas públicos"), order=31,
            # Hidden proposals are never found; the author is never shown.
            queryset=lambda: models.Proposal.objects.filter(hidden_at__isnull=True)
            .select_related("process__entity")
            .defer("body_html"),
            fields=("title", "body"),
            subtitle=lambda p: str(p.process),
        )  # fmt: skip
        register_search_source(
            "mesas", _("Mesas de trabajo"), order=32,
            queryset=lambda: models.WorkingTable.objects.select_related("process"),
            fields=("title", "agenda"),
            subtitle=lambda t: str(t.process),
        )  # fmt: skip
        register_demo_loader("cocreacion-municipal", demo.load_municipal, order=55)
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
