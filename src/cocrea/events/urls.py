from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("eventos/", views.event_list, name="list"),
    path("eventos/aviso-de-privacidad/", views.privacy_notice, name="privacy"),
    path("eventos/<slug:slug>/", views.event_detail, name="detail"),
    path("eventos/<slug:slug>/programa/", views.programme, name="programme"),
    path("eventos/<slug:slug>/calendario.ics", views.event_ics, name="event_ics"),
    path(
        "eventos/<slug:slug>/sesiones/<int:pk>/calendario.ics",
        views.session_ics,
        name="session_ics",
    ),
    path("eventos/<slug:slug>/registro/", views.register, name="register"),
    path("eventos/<slug:slug>/registro/enviado/", views.registered, name="registered"),
    path("eventos/<slug:slug>/mi-registro/<str:token>/", views.manage, name="manage"),
    path("eventos/<slug:slug>/mi-registro/<str:token>/cancelar/", views.cancel, name="cancel"),
    path(
        "eventos/<slug:slug>/mi-registro/<str:token>/constancia.pdf",
        views.my_certificate,
        name="my_certificate",
    ),
    path("eventos/<slug:slug>/staff/", views.staff_dashboard, name="staff_dashboard"),
    path("eventos/<slug:slug>/staff/asistencia/", views.staff_checkin, name="staff_checkin"),
    path("eventos/<slug:slug>/staff/registros.csv", views.staff_export, name="staff_export"),
    path("eventos/<slug:slug>/staff/correo/", views.staff_email, name="staff_email"),
    path(
        "eventos/<slug:slug>/staff/constancias.pdf",
        views.staff_certificates,
        name="staff_certificates",
    ),
    path(
        "eventos/<slug:slug>/staff/constancias/<str:token>/",
        views.staff_certificates_job,
        name="staff_certificates_job",
    ),
    path(
        "eventos/<slug:slug>/staff/constancias/<str:token>/constancias.pdf",
        views.staff_certificates_file,
        name="staff_certificates_file",
    ),
]
