from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "cocrea.web"
    verbose_name = _("Sitio público")

    def ready(self):
        from . import exports

        exports.register_datasets()
