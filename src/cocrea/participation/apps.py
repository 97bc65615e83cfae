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

        from . import datasets, demo, exports, models, sections

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
        register_workspace_section(
            "cocreation-supported", workspace.my_supports_and_comments, order=30
        )
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
        from cocrea.core.registry import register_account_data, register_account_deletion

        from . import personal_data

        register_account_data("participation", personal_data.collect)
        register_account_deletion("participation", personal_data.before_deletion)
        from cocrea.core.registry import register_municipality_section

        register_municipality_section("participation", sections.municipality_summary, order=30)
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
            keywords=[_("cocreación"), _("participación ciudadana"), _("gobierno abierto")],
            coverage=datasets.processes_coverage,
            per_entity=True,
            entity_csv_param="entidad",
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
            keywords=[_("cocreación"), _("propuestas"), _("problemas públicos")],
            coverage=datasets.proposals_coverage,
            per_entity=True,
            entity_csv_param="entidad",
        )
        common = {"group": self.label, "page_url": "participation:processes", "per_entity": True}
        register_dataset(
            "cocreacion-respuestas",
            _("Respuestas razonadas"),
            _(
                "Respuestas publicadas del secretariado a las propuestas: incorporada, "
                "rechazada con su motivo, y el compromiso al que dio lugar; sin autores."
            ),
            json_url="/api/v1/responses",
            columns=datasets.RESPONSE_COLUMNS,
            rows=datasets.response_rows,
            order=42,
            keywords=[_("cocreación"), _("respuesta razonada"), _("rendición de cuentas")],
            coverage=datasets.responses_coverage,
            entity_csv_param="entity",
            **common,
        )
        register_dataset(
            "cocreacion-mesas",
            _("Mesas de trabajo"),
            _(
                "Mesas de trabajo de cada proceso con fecha, lugar, cupo, registros, acuerdos "
                "y minuta publicada; sin quién se registró."
            ),
            json_url="/api/v1/working-tables",
            columns=datasets.TABLE_COLUMNS,
            rows=datasets.table_rows,
            order=43,
            keywords=[_("cocreación"), _("mesas de trabajo"), _("diálogo")],
            coverage=datasets.tables_coverage,
            entity_csv_param="entity",
            **common,
        )
        register_dataset(
            "cocreacion-acuerdos",
            _("Acuerdos de las mesas de trabajo"),
            _("Acuerdos tomados en cada mesa de trabajo y el compromiso al que dieron lugar."),
            json_url="/api/v1/agreements",
            columns=datasets.AGREEMENT_COLUMNS,
            rows=datasets.agreement_rows,
            order=44,
            keywords=[_("cocreación"), _("acuerdos"), _("mesas de trabajo")],
            coverage=datasets.agreements_coverage,
            entity_csv_param="entity",
            **common,
        )
