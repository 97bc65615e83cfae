"""*Mi espacio*: what the person follows and their unread notices (two queries)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Follow, Notification


def followed(user):
    follows = Follow.objects.filter(user=user).count()
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    items = []
    if unread:
        items.append(
            (_("%(n)s avisos sin leer") % {"n": unread}, reverse("notifications:centre"), "")
        )
    if follows:
        items.append((_("Sigue %(n)s elementos") % {"n": follows},
                      reverse("notifications:following"), ""))  # fmt: skip
    return {
        "title": _("Lo que sigo y mis avisos"),
        "items": items,
        "total": None,
        "empty": _("Aún no sigue nada: use «Seguir» en una entidad, un plan o un compromiso."),
    }
