from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from .models import Told


@admin.register(Told)
class ToldAdmin(ObjectPermissionsModelAdmin):
    list_display = ["key", "created_at"]
    search_fields = ["key"]
