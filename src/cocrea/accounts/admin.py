from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin

from .models import Role, User


@admin.register(User)
class UserAdmin(ObjectPermissionsModelAdminMixin, BaseUserAdmin):
    """Only national coordination manages accounts and roles."""

    list_display = ["username", "display_name", "role", "entity", "organization", "is_active"]
    list_filter = ["role", "entity", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Rol en Cocrea"), {"fields": ("role", "entity", "organization", "display_name")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Rol en Cocrea"), {"fields": ("role", "entity", "organization")}),
    )

    def has_module_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.role == Role.NATIONAL_COORDINATOR)

    def has_add_permission(self, request):
        return request.user.has_perm("accounts.add_user")
