from django.contrib import admin

from cocrea.core.admin import EntityScopedAdmin

from . import municipalities
from .models import Adhesion, Entity, MunicipalAdhesion, Municipality


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


@admin.register(Municipality)
class MunicipalityAdmin(EntityScopedAdmin):
    """A municipality is registered when it joins (its key checked); INEGI's loader does the rest."""

    list_display = ["code", "name", "entity"]
    list_filter = ["entity"]
    search_fields = ["name", "code"]
    fields = ["entity", "code", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["entity", "code", "name"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        saved = municipalities.register_municipality(
            obj.entity, actor=request.user, code=obj.code, name=obj.name
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MunicipalAdhesion)
class MunicipalAdhesionAdmin(EntityScopedAdmin):
    entity_field = "municipality__entity"
    list_display = ["municipality", "year", "date", "source"]
    list_filter = ["year", "municipality__entity"]
    raw_id_fields = ["municipality"]

    def save_model(self, request, obj, form, change):
        municipalities.record_adhesion(
            obj.municipality, actor=request.user, year=obj.year, date=obj.date, source=obj.source
        )

    def has_delete_permission(self, request, obj=None):
        return False
