from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin

from cocrea.core.admin import BoundaryCheckedForm, audit_delete

from . import arco, services
from .models import ArcoRequest, ArcoStatus, Membership, User


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

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Only a superuser makes superusers or hands out Django's own permissions:
        # coordination grants roles through memberships.
        hidden = {"is_superuser", "groups", "user_permissions"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]

    def delete_model(self, request, obj):
        audit_delete(request.user, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

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


@admin.register(ArcoRequest)
class ArcoRequestAdmin(ObjectPermissionsModelAdminMixin, admin.ModelAdmin):
    """The ARCO requests that need a person, the nearest legal deadline first; answering
    goes through `arco.resolve_request` (a written answer, audited)."""

    list_display = ["right", "user", "filed_at", "due_on", "deadline_label", "status"]
    list_filter = ["status", "right"]
    readonly_fields = ["user", "right", "text", "filed_at", "due_on", "status", "resolved_at",
                       "resolved_by"]  # fmt: skip
    fields = [*readonly_fields, "resolution"]
    ordering = ["status", "due_on", "id"]

    @admin.display(description=_("plazo"))
    def deadline_label(self, obj):
        from django.utils import timezone

        if obj.status != ArcoStatus.PENDING:
            return _("respondida")
        days = (obj.due_on - timezone.localdate()).days
        if days < 0:
            return _("vencida hace %(n)d días") % {"n": -days}
        return _("vence en %(n)d días") % {"n": days}

    def has_add_permission(self, request):
        return False  # filed by the person, from their account page

    def has_delete_permission(self, request, obj=None):
        return False  # the record of a legal request stays

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("accounts.resolve_arcorequest", obj)

    def save_model(self, request, obj, form, change):
        from django.contrib import messages
        from django.core.exceptions import ValidationError

        granted = "_reject" not in request.POST
        try:
            arco.resolve_request(obj, actor=request.user, resolution=obj.resolution,
                                 granted=granted)  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
