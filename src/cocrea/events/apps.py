from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "cocrea.events"
    verbose_name = _("Eventos")

    def ready(self):
        from cocrea.core.registry import register_demo_loader

        from . import demo

        register_demo_loader("eventos", demo.load, order=60)
