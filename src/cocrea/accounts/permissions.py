"""The single question every service asks before changing state."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def can(user, perm: str, obj=None) -> bool:
    """May `user` do `perm` to `obj`? `None` is the system itself (CLI, migrations)."""
    if user is None:
        return True
    return user.has_perm(perm, obj)


def require(user, perm: str, obj=None) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(_("No tiene permiso para realizar esta acción."))
