from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cocrea.notifications"
    verbose_name = _("Avisos")

    def ready(self):
        from cocrea.core import registry
        from cocrea.core.events import happened

        from . import receivers, rules, widgets  # noqa: F401

        happened.connect(receivers.on_happened, dispatch_uid="notifications.on_happened")
        registry.register_account_data("notifications", receivers.account_data)
        registry.register_widget("follow", widgets.follow_button)
        from . import workspace

        registry.register_workspace_section("notifications-follows", workspace.followed, order=40)
