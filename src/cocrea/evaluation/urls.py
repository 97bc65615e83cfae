from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("evaluacion/", views.national, name="national"),
    path("evaluacion/trabajo/", views.workspace, name="workspace"),
    path("evaluacion/trabajo/planes/<int:pk>/", views.workspace_plan, name="workspace_plan"),
    path("evaluacion/trabajo/planes/<int:pk>/<str:stage>/iniciar/", views.start, name="start"),
    path("evaluacion/trabajo/evidencias/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("evaluacion/planes/<int:pk>/", views.plan, name="plan"),
    path("evaluacion/revisiones/<int:pk>/", views.review, name="review"),
    path("evaluacion/revisiones/<int:pk>/informe/", views.report, name="report"),
    path("evaluacion/revisiones/<int:pk>/informe.pdf", views.report_pdf, name="report_pdf"),
    path("evaluacion/revisiones/<int:pk>/estandares/", views.standard, name="standard"),
    path("evaluacion/revisiones/<int:pk>/enviar/", views.send, name="send"),
    path("evaluacion/revisiones/<int:pk>/publicar/", views.publish, name="publish"),
    path("evaluacion/revisiones/<int:pk>/corregir/", views.correct, name="correct"),
    path("evaluacion/valoraciones/<int:pk>/", views.rate, name="rate"),
    path("evaluacion/valoraciones/<int:pk>/replica/", views.reply, name="reply"),
    path("evaluacion/<slug:slug>/", views.entity, name="entity"),
]
