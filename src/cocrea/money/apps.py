from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoneyConfig(AppConfig):
    name = "cocrea.money"
    verbose_name = _("Sigue el Dinero")
