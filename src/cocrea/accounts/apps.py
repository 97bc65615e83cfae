from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cocrea.accounts"
    verbose_name = _("Cuentas y roles")

    def ready(self):
        from cocrea.core import boundary
        from cocrea.core.registry import register_demo_loader

        from . import demo
        from .models import Membership

        register_demo_loader("cuentas", demo.load, order=20)
        # A seat through an organisation: the organisation is of the seat's entity.
        boundary.register(Membership, "organization")
