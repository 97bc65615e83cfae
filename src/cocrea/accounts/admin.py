from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "entity", "organization", "is_active"]
    list_filter = ["role", "entity", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Rol en Cocrea"), {"fields": ("role", "entity", "organization", "display_name")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Rol en Cocrea"), {"fields": ("role", "entity", "organization")}),
    )
