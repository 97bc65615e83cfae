from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "cocrea.territory"
    verbose_name = _("Territorio e iniciativa")

    def ready(self):
        from cocrea.core.registry import register_demo_loader, register_search_source

        from . import demo
        from .models import Entity

        register_demo_loader("municipios", demo.load, order=15)
        register_search_source(
            "entidades", _("Entidades"), order=10,
            queryset=lambda: Entity.objects.all(), fields=("common_name", "name"),
        )  # fmt: skip
