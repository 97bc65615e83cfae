from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin

from cocrea.core.admin import BoundaryCheckedForm

from . import services
from .models import Membership, User


class MembershipForm(BoundaryCheckedForm):
    class Meta:
        model = Membership
        fields = ["kind", "entity", "organization", "side", "seat_role", "started_on", "ended_on"]


class MembershipInline(admin.TabularInline):
    """A person's seats and national roles; ended ones stay listed (their history)."""

    model = Membership
    form = MembershipForm
    extra = 0
    raw_id_fields = ["organization"]


@admin.register(User)
class UserAdmin(ObjectPermissionsModelAdminMixin, BaseUserAdmin):
    """Only national coordination manages accounts and memberships."""

    list_display = ["username", "display_name", "memberships_label", "is_active"]
    list_filter = ["memberships__kind", "memberships__entity", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("En Cocrea"), {"fields": ("display_name",)}),)
    inlines = [MembershipInline]

    @admin.display(description=_("membresías activas"))
    def memberships_label(self, obj):
        return "; ".join(str(m) for m in obj.memberships.all() if m.active) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__entity").distinct()

    def has_module_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.has_perm("accounts.view_user"))

    def has_add_permission(self, request):
        return request.user.has_perm("accounts.add_user")

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            # A membership is never deleted: it ends, and the history stays.
            if obj.ended_on is None:
                services.end_membership(obj, actor=request.user)
        for obj in instances:
            services.save_membership(obj, actor=request.user)
        formset.save_m2m()
