from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "cocrea.territory"
    verbose_name = _("Territorio e iniciativa")

    def ready(self):
        from cocrea.core.registry import register_demo_loader

        from . import demo

        register_demo_loader("municipios", demo.load, order=15)
