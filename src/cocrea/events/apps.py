from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "cocrea.events"
    verbose_name = _("Eventos")

    def ready(self):
        from cocrea.core import registry

        from . import demo, selectors

        registry.register_demo_loader("eventos", demo.load, order=60)
        registry.register_entity_section("eventos", selectors.entity_summary, order=60)
