from django.contrib import admin

from cocrea.core.admin import EntityScopedAdmin

from .models import Adhesion, Entity


class AdhesionInline(admin.StackedInline):
    model = Adhesion
    extra = 0


@admin.register(Entity)
class EntityAdmin(EntityScopedAdmin):
    entity_field = "id"
    list_display = ["code", "name", "common_name", "slug"]
    search_fields = ["name", "common_name", "code"]
    inlines = [AdhesionInline]

    def has_add_permission(self, request):
        return False  # the 32 entities come from the reference data

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Adhesion)
class AdhesionAdmin(EntityScopedAdmin):
    list_display = ["entity", "year", "date", "source"]
    list_filter = ["year"]
