from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "cocrea.opendata"
    verbose_name = _("Datos abiertos")

    def ready(self):
        from . import datasets

        datasets.register(self.label)
