from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsStackedInline, ObjectPermissionsTabularInline

from cocrea.core.admin import EntityScopedAdmin

from . import services
from .models import Attendance, Event, Registration, RegistrationStatus, Session, Speaker, Track


class TrackInline(ObjectPermissionsTabularInline):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


class SpeakerInline(ObjectPermissionsStackedInline):
    model = Speaker
    extra = 0
    fields = [("name", "is_demo"), ("position", "organization"), "bio", "photo"]


@admin.register(Event)
class EventAdmin(EntityScopedAdmin):
    entity_field = "entity"
    list_display = ["title", "start", "end", "capacity", "status", "entity", "is_demo"]
    list_filter = ["status", "entity", "is_demo"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start"
    inlines = [TrackInline, SpeakerInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "status", "entity", "is_demo"]}),
        (_("Lugar"), {"fields": ["venue_name", "address", "map_url", "online_url"]}),
        (
            _("Fechas y cupo"),
            {"fields": ["start", "end", "capacity", "registration_opens", "registration_closes"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        services.save_event(obj, actor=request.user)


@admin.register(Session)
class SessionAdmin(EntityScopedAdmin):
    entity_field = "event__entity"
    list_display = ["title", "event", "kind", "start", "end", "room", "track", "capacity"]
    list_filter = ["kind", "event"]
    search_fields = ["title", "room"]
    filter_horizontal = ["speakers"]
    list_select_related = ["event", "track"]

    def save_model(self, request, obj, form, change):
        services.save_session(obj, actor=request.user)


@admin.register(Registration)
class RegistrationAdmin(EntityScopedAdmin):
    """Personal data: visible only to the event's organisers (see rules.py)."""

    entity_field = "event__entity"
    list_display = [
        "sequence",
        "name",
        "email",
        "event",
        "status",
        "waitlist_position",
        "sector",
        "entity",
        "created_at",
    ]
    list_filter = ["status", "sector", "event"]
    search_fields = ["name", "email", "code", "organization"]
    list_select_related = ["event", "entity"]
    readonly_fields = [
        "event",
        "email",
        "status",
        "sequence",
        "waitlist_position",
        "code",
        "privacy_accepted_at",
        "created_at",
        "promoted_at",
        "cancelled_at",
    ]
    fields = ["event", "name", "email", "organization", "sector", "entity"] + readonly_fields[2:]
    actions = ["cancel_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.update_registration(
            obj,
            name=obj.name,
            organization=obj.organization,
            sector=obj.sector,
            entity=obj.entity,
            sessions=[c.session for c in obj.session_choices.select_related("session")],
            actor=request.user,
            base_url=request.build_absolute_uri("/"),
        )

    @admin.action(
        description=_("Cancelar los registros seleccionados (promueve la lista de espera)")
    )
    def cancel_selected(self, request, queryset):
        done = 0
        for registration in queryset.exclude(status=RegistrationStatus.CANCELLED):
            if not request.user.has_perm("events.change_registration", registration.event):
                continue
            services.cancel_registration(
                registration, actor=request.user, base_url=request.build_absolute_uri("/")
            )
            done += 1
        self.message_user(request, _("Registros cancelados: %(n)d") % {"n": done}, messages.SUCCESS)


@admin.register(Attendance)
class AttendanceAdmin(EntityScopedAdmin):
    entity_field = "registration__event__entity"
    list_display = ["registration", "session", "checked_in_at", "checked_in_by"]
    list_filter = ["registration__event"]
    list_select_related = ["registration__event", "session", "checked_in_by"]
    readonly_fields = ["registration", "session", "checked_in_at", "checked_in_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
