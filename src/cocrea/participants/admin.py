from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from cocrea.accounts.permissions import can
from cocrea.core.admin import EntityScopedAdmin
from cocrea.core.csvimport import ImportFailed

from . import services
from .forms import ParticipantsUploadForm
from .models import Organization


@admin.register(Organization)
class OrganizationAdmin(EntityScopedAdmin):
    list_display = ["name", "entity", "type", "power"]
    list_filter = ["type", "power", "entity"]
    search_fields = ["name"]
    change_list_template = "admin/participants/organization/change_list.html"

    def save_model(self, request, obj, form, change):
        services.save_organization(obj, actor=request.user)

    def delete_model(self, request, obj):
        services.delete_organization(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_organization(obj, actor=request.user)

    def get_urls(self):
        return [
            path(
                "importar/",
                self.admin_site.admin_view(self.import_view),
                name="participants_organization_import",
            )
        ] + super().get_urls()

    def import_view(self, request):
        if not can(request.user, "participants.import_organizations"):
            raise PermissionDenied
        form = ParticipantsUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                result = services.import_participants(
                    form.cleaned_data["file"].file, actor=request.user
                )
            except ImportFailed as exc:
                errors = exc.errors
            except PermissionDenied as exc:
                errors = [str(exc)]
            else:
                messages.success(
                    request,
                    _("Importación completa: %(c)d nuevas, %(u)d actualizadas, %(n)d sin cambios.")
                    % {"c": result.created, "u": result.updated, "n": result.unchanged},
                )
                return redirect("admin:participants_organization_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "title": _("Importar participantes desde CSV"),
        }
        return render(request, "admin/participants/organization/import.html", context)
