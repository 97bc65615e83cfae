from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("seguimiento/", views.board, name="board"),
    path("seguimiento/metodologia/", views.methodology, name="methodology"),
    path("seguimiento/descargas/planes.csv", views.plans_csv, name="plans_csv"),
    path("seguimiento/descargas/compromisos.csv", views.commitments_csv, name="commitments_csv"),
    path("seguimiento/descargas/hitos.csv", views.milestones_csv, name="milestones_csv"),
    path("seguimiento/planes/<int:pk>/", views.plan_detail, name="plan"),
    path("seguimiento/planes/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("seguimiento/compromisos/<int:pk>/", views.commitment_detail, name="commitment"),
    path(
        "seguimiento/compromisos/<int:pk>/compromiso.pdf",
        views.commitment_pdf,
        name="commitment_pdf",
    ),
    path("seguimiento/hitos/<int:pk>/reportar/", views.report_new, name="report_new"),
    path("seguimiento/hitos/<int:pk>/evidencias/", views.evidence_add, name="evidence_add"),
    path(
        "seguimiento/reportes/<int:pk>/<str:decision>/",
        views.report_review,
        name="report_review",
    ),
    path(
        "seguimiento/evidencias/<int:pk>/descargar/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "seguimiento/documentos/<str:kind>/<int:pk>/",
        views.document_download,
        name="document_download",
    ),
    path("seguimiento/<slug:slug>/", views.entity_plans, name="entity"),
    path("seguimiento/<slug:slug>/secretariado/", views.secretariat, name="secretariat"),
    path(
        "seguimiento/<slug:slug>/municipios/<slug:municipality>/",
        views.municipality_plans,
        name="municipality",
    ),
    path("seguimiento/<slug:slug>/plan-<int:sequence>/", views.plan_by_sequence, name="plan_seq"),
]
