"""Back office: members edit their own entity's secretariat and plans; every save is audited.

Milestones can be exported and imported as CSV (bulk edit) in the background: a `BulkJob`
row tracks progress and the page polls it with htmx.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from cocrea.accounts import selectors as memberships
from cocrea.accounts.models import Role
from cocrea.accounts.permissions import can
from cocrea.core.admin import BoundaryCheckedForm, EntityScopedAdmin
from cocrea.territory.models import Entity

from . import jobs, services
from .forms import CorrectionForm, ExportForm, ImportForm
from .models import (
    ActionPlan,
    Agreement,
    BulkJob,
    Commitment,
    Milestone,
    PlanDocument,
    PlanVersion,
    ProgressReport,
    Secretariat,
    SecretariatMember,
    Session,
)


class SafeFilesForm(BoundaryCheckedForm):
    """Uploaded documents follow the evidence rules (size, type, content signature)."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, UploadedFile):
                try:
                    services.check_upload(value)
                except ValidationError as exc:
                    self.add_error(name, exc)
        return data


class ServiceAdmin(EntityScopedAdmin):
    """Saves and deletes go through the services (permission, transaction, audit)."""

    perm_model = ""
    form = SafeFilesForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        services.save_object(obj, actor=request.user, perm_model=self.perm_model)

    def delete_model(self, request, obj):
        services.delete_object(obj, actor=request.user, perm_model=self.perm_model)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_object(obj, actor=request.user, perm_model=self.perm_model)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if self.scoped_to_seats(request):
            scope = {
                "secretariat": ("entity", Secretariat),
                "plan": ("entity", ActionPlan),
                "commitment": ("plan__entity", Commitment),
                "session": ("secretariat__entity", Session),
            }.get(db_field.name)
            if scope:
                kwargs["queryset"] = scope[1].objects.filter(
                    **{f"{scope[0]}__in": memberships.member_entity_ids(request.user)}
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MemberInline(admin.TabularInline):
    model = SecretariatMember
    form = BoundaryCheckedForm
    extra = 0
    fields = ["organization", "person_name", "position", "role", "side", "email", "phone", "active"]


@admin.register(Secretariat)
class SecretariatAdmin(ServiceAdmin):
    perm_model = "secretariat"
    list_display = ["entity", "installed_on"]
    inlines = [MemberInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.delete_object(obj, actor=request.user, perm_model="secretariatmember")
        for obj in instances:
            services.save_object(obj, actor=request.user, perm_model="secretariatmember")


class AgreementInline(admin.TabularInline):
    model = Agreement
    form = BoundaryCheckedForm
    extra = 0


@admin.register(Session)
class SessionAdmin(ServiceAdmin):
    perm_model = "session"
    entity_field = "secretariat__entity"
    list_display = ["__str__", "secretariat", "date", "kind"]
    list_filter = ["secretariat__entity"]
    filter_horizontal = ["attendees"]
    inlines = [AgreementInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.delete_object(obj, actor=request.user, perm_model="agreement")
        for obj in instances:
            services.save_object(obj, actor=request.user, perm_model="agreement")


class DocumentInline(admin.TabularInline):
    model = PlanDocument
    form = SafeFilesForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(ServiceAdmin):
    perm_model = "actionplan"
    list_display = ["__str__", "title", "status", "version"]
    list_filter = ["status", "entity"]
    readonly_fields = ["version", "published_at"]
    inlines = [DocumentInline]
    actions = ["publish"]

    def save_model(self, request, obj, form, change):
        services.save_plan(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.delete_object(obj, actor=request.user, perm_model="plandocument")
        for obj in instances:
            services.save_object(obj, actor=request.user, perm_model="plandocument")

    @admin.action(description=_("Publicar (crea una versión)"))
    def publish(self, request, queryset):
        for plan in queryset:
            services.publish_plan(plan, actor=request.user)
        self.message_user(request, _("Planes publicados."))


@admin.register(Commitment)
class CommitmentAdmin(ServiceAdmin):
    perm_model = "commitment"
    entity_field = "plan__entity"
    list_display = ["number", "title", "plan", "weight", "status"]
    list_filter = ["status", "plan__entity"]
    search_fields = ["title"]

    def save_model(self, request, obj, form, change):
        services.save_commitment(obj, actor=request.user)


@admin.register(Milestone)
class MilestoneAdmin(ServiceAdmin):
    perm_model = "milestone"
    entity_field = "commitment__plan__entity"
    list_display = ["title", "commitment", "weight", "status", "progress", "reported_progress"]
    list_filter = ["status", "commitment__plan__entity"]
    search_fields = ["title", "commitment__title"]
    list_select_related = ["commitment"]
    raw_id_fields = ["commitment", "responsible_organization"]
    change_list_template = "admin/plans/milestone/change_list.html"
    # The official figures move only through reports (two keys) or a coordinator's
    # reasoned correction (`correct_view`): read-only here for everybody.
    readonly_fields = services.OFFICIAL_MILESTONE_FIELDS

    def correct_view(self, request, pk):
        milestone = get_object_or_404(Milestone.objects.select_related("commitment"), pk=pk)
        if not can(request.user, "plans.correct_milestone", milestone):
            raise PermissionDenied
        initial = {"progress": milestone.progress, "status": milestone.status}
        form = CorrectionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.correct_milestone(milestone, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _("Corrección registrada y publicada con su motivo."))
                return redirect("admin:plans_milestone_change", milestone.pk)
        return render(
            request,
            "admin/plans/milestone/correct.html",
            self._context(request, form=form, milestone=milestone, title=_("Corregir avance")),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_correct": can(request.user, "plans.correct_milestone"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        services.save_milestone(obj, actor=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/corregir/", view(self.correct_view), name="plans_milestone_correct"),
            path("importar/", view(self.import_view), name="plans_milestone_import"),
            path("exportar/", view(self.export_view), name="plans_milestone_export"),
            path("trabajos/<int:pk>/", view(self.job_view), name="plans_bulkjob_status"),
            path(
                "trabajos/<int:pk>/descargar/",
                view(self.job_download),
                name="plans_bulkjob_download",
            ),
        ] + super().get_urls()

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    def import_view(self, request):
        if not can(request.user, "plans.import_milestones"):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = BulkJob(kind=BulkJob.KIND_IMPORT, created_by=request.user)
            job.source.save("hitos.csv", form.cleaned_data["file"], save=False)
            job.save()
            jobs.start(job)
            return redirect("admin:plans_bulkjob_status", pk=job.pk)
        return render(
            request,
            "admin/plans/milestone/import.html",
            self._context(
                request,
                form=form,
                title=_("Importar hitos desde CSV"),
                columns=services.IMPORT_COLUMNS_DOC,
            ),
        )

    def export_view(self, request):
        if not can(request.user, "plans.export_milestones"):
            raise PermissionDenied
        user = request.user
        entities = Entity.objects.filter(action_plans__isnull=False).distinct().order_by("code")
        if self.scoped_to_seats(request):
            entities = entities.filter(pk__in=memberships.member_entity_ids(user))
        form = ExportForm(request.POST or None, entities=entities)
        if request.method == "POST" and form.is_valid():
            job = BulkJob.objects.create(
                kind=BulkJob.KIND_EXPORT, created_by=user, entity=form.cleaned_data["entity"]
            )
            jobs.start(job)
            return redirect("admin:plans_bulkjob_status", pk=job.pk)
        return render(
            request,
            "admin/plans/milestone/export.html",
            self._context(request, form=form, title=_("Exportar hitos a CSV")),
        )

    def _job(self, request, pk) -> BulkJob:
        job = get_object_or_404(BulkJob, pk=pk)
        if job.created_by_id != request.user.pk and not memberships.has_role(
            request.user, Role.NATIONAL_COORDINATOR
        ):
            raise PermissionDenied
        return job

    def job_view(self, request, pk):
        job = self._job(request, pk)
        template = (
            "admin/plans/milestone/_job.html"
            if request.headers.get("HX-Request")
            else "admin/plans/milestone/job.html"
        )
        return render(request, template, self._context(request, job=job, title=str(job)))

    def job_download(self, request, pk):
        job = self._job(request, pk)
        if not job.result:
            raise Http404
        response = FileResponse(job.result.open("rb"), as_attachment=True, filename=f"hitos-{job.pk}.csv",
                                content_type="text/csv")  # fmt: skip
        response["X-Content-Type-Options"] = "nosniff"
        return response


@admin.register(ProgressReport)
class ProgressReportAdmin(EntityScopedAdmin):
    """Reports are filed and reviewed on the public commitment page (two keys); read-only here."""

    entity_field = "milestone__commitment__plan__entity"
    list_display = ["milestone", "date", "progress", "side", "status"]
    list_filter = ["status", "side"]
    readonly_fields = [f.name for f in ProgressReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanVersion)
class PlanVersionAdmin(EntityScopedAdmin):
    entity_field = "plan__entity"
    list_display = ["plan", "number", "created_at", "summary"]
    readonly_fields = ["plan", "number", "created_at", "summary", "changes", "snapshot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
