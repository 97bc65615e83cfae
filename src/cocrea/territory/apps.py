from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "cocrea.territory"
    verbose_name = _("Territorio e iniciativa")
