from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from cocrea.accounts.models import Role

from .models import AuditEntry, DemoDataset

BACK_OFFICE_ROLES = {Role.NATIONAL_COORDINATOR, Role.SECRETARIAT_MEMBER, Role.EVALUATOR}


class EntityScopedAdmin(ObjectPermissionsModelAdmin):
    """Back-office pages limited by role: members see and change only their own entity.

    `entity_field` is the lookup from the model to its Entity.
    """

    entity_field = "entity"

    def has_module_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.role in BACK_OFFICE_ROLES)

    def has_add_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        user = request.user
        if user.is_superuser or user.role != Role.SECRETARIAT_MEMBER:
            return qs
        return qs.filter(**{self.entity_field: user.entity_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "entity" and user.role == Role.SECRETARIAT_MEMBER:
            from cocrea.territory.models import Entity

            kwargs["queryset"] = Entity.objects.filter(pk=user.entity_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AuditEntry)
class AuditEntryAdmin(ObjectPermissionsModelAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type", "entity_code"]
    search_fields = ["object_repr", "actor_label", "object_id"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_active and (
            request.user.is_superuser or request.user.role in BACK_OFFICE_ROLES
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(DemoDataset)
admin.site.site_header = "Cocrea · administración"
admin.site.site_title = "Cocrea"
admin.site.index_title = "Oficina de gestión"
