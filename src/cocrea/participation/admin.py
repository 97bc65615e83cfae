"""Back office: secretariats create processes and working tables; services do the writing."""

from django.contrib import admin

from cocrea.accounts import selectors as memberships
from cocrea.core.admin import EntityScopedAdmin

from . import services
from .models import Phase, Process, WorkingTable


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = [
        "kind", "title", "starts_on", "ends_on", "proposals_open", "supports_open",
        "comments_open",
    ]  # fmt: skip

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Process)
class ProcessAdmin(EntityScopedAdmin):
    list_display = ["title", "entity", "cycle"]
    list_filter = ["entity"]
    inlines = [PhaseInline]

    def save_model(self, request, obj, form, change):
        if change:
            services.save_process(obj, actor=request.user)
        else:
            created = services.create_process(
                entity=obj.entity,
                cycle=obj.cycle,
                title=obj.title,
                description=obj.description,
                phases=services.default_phases(),
                actor=request.user,
            )
            obj.pk = created.pk


@admin.register(WorkingTable)
class WorkingTableAdmin(EntityScopedAdmin):
    entity_field = "process__entity"
    list_display = ["title", "process", "starts_at", "capacity"]
    list_filter = ["process__entity"]
    exclude = ["proposals"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "process" and self.scoped_to_seats(request):
            kwargs["queryset"] = Process.objects.filter(
                entity_id__in=memberships.member_entity_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_table(obj, actor=request.user)
