from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "cocrea.participants"
    verbose_name = _("Participantes")

    def ready(self):
        from cocrea.core.registry import register_demo_loader, register_importer

        from . import demo
        from .services import import_participants

        register_importer("participants", import_participants, "entidad,organizacion,tipo,poder")
        register_demo_loader("participantes", demo.load, order=10)
