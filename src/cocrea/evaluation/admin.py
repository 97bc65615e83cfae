"""Back office: national coordination appoints evaluators (through the service)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Appointment, Review


class AppointmentForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = ["plan", "stage", "user", "organization", "public_name"]

    def clean(self):
        data = super().clean()
        plan = data.get("plan")
        if plan is not None and not (data.get("user") or data.get("organization")):
            raise forms.ValidationError(_("Indique la persona o la organización evaluadora."))
        if plan is not None:
            reasons = services.conflicts_of_interest(
                plan, user=data.get("user"), organization=data.get("organization")
            )
            if reasons:
                raise forms.ValidationError(reasons)
        return data


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    form = AppointmentForm
    list_display = ["plan", "stage", "user", "organization", "appointed_at", "ended_at"]
    list_filter = ["stage"]
    fields = ["plan", "stage", "user", "organization", "public_name"]
    actions = ["end_appointments"]

    def has_delete_permission(self, request, obj=None):
        return False  # an appointment is ended (audited), never deleted

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = services.appoint(
            obj.plan, obj.stage, actor=request.user, user=obj.user,
            organization=obj.organization, public_name=obj.public_name,
        )  # fmt: skip
        obj.pk = created.pk

    @admin.action(description=_("Terminar las designaciones seleccionadas"), permissions=["change"])
    def end_appointments(self, request, queryset):
        for appointment in queryset.filter(ended_at__isnull=True):
            services.end_appointment(appointment, actor=request.user)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["plan", "stage", "version", "status", "reply_due", "published_at"]
    list_filter = ["stage", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
