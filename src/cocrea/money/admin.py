from django.contrib import admin

from cocrea.core.admin import EntityScopedAdmin

from . import services
from .models import BuyerTerritory, Program, ProgramProcess


class ProgramProcessInline(admin.TabularInline):
    model = ProgramProcess
    extra = 1


@admin.register(Program)
class ProgramAdmin(EntityScopedAdmin):
    list_display = ("clave_programa", "name", "entity", "year_start", "year_end", "commitment")
    list_filter = ("entity",)
    search_fields = ("name", "clave_programa")
    raw_id_fields = ("commitment",)
    inlines = [ProgramProcessInline]

    def save_model(self, request, obj, form, change):
        """Through the services, so permissions are checked and changes audited."""
        if change:
            current = Program.objects.get(pk=obj.pk)
            changes = {
                f: getattr(obj, f) for f in form.changed_data if f in services.PROGRAM_FIELDS
            }
            services.update_program(request.user, current, **changes)
        else:
            fields = {f: getattr(obj, f) for f in services.PROGRAM_FIELDS}
            created = services.create_program(request.user, **fields)
            obj.pk = created.pk
            obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        """Hand links through the services too (permission check and audit entry)."""
        if formset.model is not ProgramProcess:
            return super().save_formset(request, form, formset, change)
        program = form.instance
        for f in formset.deleted_forms:
            if f.instance.pk:
                services.unlink_process(request.user, program, f.instance.ocid)
        for f in formset.forms:
            if f in formset.deleted_forms or not f.has_changed() or not f.cleaned_data:
                continue
            ocid = f.cleaned_data.get("ocid")
            if f.instance.pk and "ocid" in f.changed_data:
                services.unlink_process(request.user, program, f.initial.get("ocid", ""))
            if ocid:
                services.link_process(request.user, program, ocid, f.cleaned_data.get("note", ""))
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(BuyerTerritory)
class BuyerTerritoryAdmin(EntityScopedAdmin):
    """A buyer of the contracting data tied to an entity or one of its municipalities."""

    list_display = ("buyer_id", "name", "entity", "municipality")
    list_filter = ("entity",)
    search_fields = ("buyer_id", "name")
    raw_id_fields = ("municipality",)

    def save_model(self, request, obj, form, change):
        saved = services.tie_buyer(
            request.user, obj.buyer_id, entity=obj.entity, municipality=obj.municipality,
            name=obj.name,
        )  # fmt: skip
        obj.pk = saved.pk
