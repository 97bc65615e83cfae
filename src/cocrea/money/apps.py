from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoneyConfig(AppConfig):
    name = "cocrea.money"
    verbose_name = _("Sigue el Dinero")

    def ready(self):
        from cocrea.core import boundary
        from cocrea.core.registry import (
            register_dataset,
            register_demo_loader,
            register_entity_section,
            register_exporter,
            register_importer,
        )

        from . import demo, models, rules  # noqa: F401 - registers the rules
        from .budget import fiscal, moments
        from .web import sections

        boundary.register(models.Program, "commitment", "municipality")
        boundary.register(models.BuyerTerritory, "municipality")
        from .services import import_budget_registry

        register_importer("budget", import_budget_registry, moments.COLUMNS_DOC)
        register_exporter("budget", fiscal.export_budget)
        register_demo_loader("dinero", demo.load, order=70)
        from cocrea.core.registry import register_search_source

        from .web import search as money_search

        register_search_source(
            "proveedores", _("Proveedores (Sigue el Dinero)"), order=50,
            search=money_search.suppliers,
        )  # fmt: skip
        register_search_source(
            "compradores", _("Compradores (Sigue el Dinero)"), order=51,
            search=money_search.buyers,
        )  # fmt: skip
        register_entity_section("money", sections.entity_summary, order=40)
        from cocrea.core.registry import register_municipality_section

        register_municipality_section("money", sections.municipality_summary, order=40)
        self.register_datasets(register_dataset)

    def register_datasets(self, register_dataset):
        """The downloads of /sigue-el-dinero/descargas/ in the open-data catalogue."""
        from .analytics import flows_snapshot
        from .budget import moments
        from .web import catalogue, opendata

        def file(name):
            return ("money:download", name)

        def has_budget():
            return moments.current_snapshot() is not None

        def has_table(table):
            return lambda: flows_snapshot.table_path(table) is not None

        common = {"group": self.label, "page_url": "money:downloads", "per_entity": True}
        money = [_("Sigue el Dinero"), _("gasto público")]
        register_dataset(
            "dinero-programas",
            _("Programas presupuestarios"),
            _(
                "Programas presupuestarios con su compromiso del plan de acción y los "
                "procesos de contratación vinculados."
            ),
            csv_url=file("programas.csv"),
            json_url="/api/v1/money/programs",
            order=50,
            keywords=[*money, _("programas presupuestarios")],
            coverage=catalogue.programs_coverage,
            **common,
        )
        register_dataset(
            "dinero-presupuesto",
            _("Presupuesto"),
            _(
                "Líneas de presupuesto con los seis momentos contables (aprobado, modificado, "
                "comprometido, devengado, ejercido y pagado)."
            ),
            csv_url=file("presupuesto.csv"),
            json_url="/api/v1/money/budget",
            formats=[
                ("Parquet", file("presupuesto.parquet")),
                ("Fiscal Data Package", file("datapackage.json")),
            ],
            available=has_budget,
            order=51,
            keywords=[*money, _("presupuesto"), _("momentos contables"), "Fiscal Data Package"],
            coverage=catalogue.budget_coverage,
            entity_csv_param="entity",
            **common,
        )
        register_dataset(
            "dinero-procesos",
            _("Procesos de contratación"),
            _(
                "Un renglón por proceso de contratación (OCDS); también como entregas "
                "compiladas OCDS, una por línea. En JSON, un proceso está en "
                "/api/v1/money/processes/{ocid}."
            ),
            csv_url=file("procesos.csv"),
            json_url="/api/v1/money/processes",
            formats=[
                ("Parquet", file("procesos.parquet")),
                (_("OCDS (JSON Lines)"), file("releases.jsonl")),
            ],
            available=has_table("processes"),
            order=52,
            keywords=[*money, _("contrataciones abiertas"), "OCDS"],
            coverage=catalogue.contracting_coverage,
            entity_csv_param="entity",
            **common,
        )

        def has_party_table(name):
            return lambda: opendata.available(name)

        # (download, flows table or None for the per-party summary, API list, title, text)
        tables = [
            ("adjudicaciones", "awards", "awards", _("Adjudicaciones"), _("Un renglón por proveedor adjudicado.")),
            ("contratos", "contracts", "contracts", _("Contratos"), _("Un renglón por contrato firmado.")),
            ("pagos", "transactions", "payments", _("Pagos"), _("Transacciones de la ejecución de los contratos.")),
            ("banderas", "flags", "flags", _("Banderas rojas"), _("Resultado de los indicadores por proceso, comprador y licitante.")),
            ("proveedores", None, "suppliers", _("Proveedores y licitantes"), _("Un renglón por proveedor, licitante o beneficiario de pagos: procesos, montos adjudicados y pagados, ofertas y su resultado, banderas rojas.")),
            ("compradores", None, "buyers", _("Compradores"), _("Un renglón por comprador: entidad, procesos, adjudicaciones directas y banderas rojas.")),
        ]  # fmt: skip
        for order, (name, table, endpoint, title, description) in enumerate(tables, start=53):
            register_dataset(
                f"dinero-{name}",
                title,
                description,
                csv_url=file(f"{name}.csv"),
                json_url=f"/api/v1/money/{endpoint}",
                formats=[("Parquet", file(f"{name}.parquet"))] if table else [],
                available=has_table(table) if table else has_party_table(name),
                order=order,
                keywords=[*money, _("contrataciones abiertas"), title],
                coverage=catalogue.contracting_coverage,
                entity_csv_param="entity",
                **{**common, "per_entity": name not in ("proveedores",)},
            )
