from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from rules.contrib.admin import ObjectPermissionsModelAdmin

from cocrea.accounts import selectors as memberships
from cocrea.accounts.models import Role

from . import boundary
from .models import AuditEntry, DemoDataset


class BoundaryCheckedForm(forms.ModelForm):
    """Shows the entity boundary's refusal at the field, before the service refuses the save."""

    def _post_clean(self):
        super()._post_clean()
        names = boundary.REFERENCES.get(self._meta.model._meta.label_lower, ())
        m2m = {n: list(self.cleaned_data[n]) for n in names if n in self.cleaned_data
               and self._meta.model._meta.get_field(n).many_to_many}  # fmt: skip
        try:
            boundary.check(self.instance, m2m=m2m)
        except ValidationError as exc:
            self._update_errors(exc)


class EntityScopedAdmin(ObjectPermissionsModelAdmin):
    """Back-office pages limited by memberships: members see only their entities' rows.

    `entity_field` is the lookup from the model to its Entity. National coordinators and
    evaluators see every entity (evaluators read only: the rules refuse their writes).
    """

    entity_field = "entity"
    form = BoundaryCheckedForm

    @staticmethod
    def scoped_to_seats(request) -> bool:
        """Whether the person sees only the entities where they hold a seat."""
        user = request.user
        return not (
            user.is_superuser
            or memberships.has_role(user, Role.NATIONAL_COORDINATOR)
            or memberships.has_role(user, Role.EVALUATOR)
        )

    def has_module_permission(self, request):
        return memberships.back_office_user(request.user)

    def has_add_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if not self.scoped_to_seats(request):
            return qs
        entity_ids = memberships.member_entity_ids(request.user)
        return qs.filter(**{f"{self.entity_field}__in": entity_ids})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "entity" and self.scoped_to_seats(request):
            from cocrea.territory.models import Entity

            kwargs["queryset"] = Entity.objects.filter(
                pk__in=memberships.member_entity_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AuditEntry)
class AuditEntryAdmin(ObjectPermissionsModelAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type", "entity_code"]
    search_fields = ["object_repr", "actor_label", "object_id"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_module_permission(self, request):
        return memberships.back_office_user(request.user)

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
