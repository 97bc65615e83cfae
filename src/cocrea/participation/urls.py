from django.urls import path

from . import views

app_name = "participation"

P = "cocreacion/"
urlpatterns = [
    path(P, views.process_list, name="processes"),
    path(P + "moderacion/", views.moderation, name="moderation"),
    path(P + "datos/<slug:name>.csv", views.csv_download, name="csv"),
    path(P + "propuestas/<int:pk>/", views.proposal_detail, name="proposal"),
    path(P + "propuestas/<int:pk>/apoyar/", views.proposal_support, name="support"),
    path(P + "propuestas/<int:pk>/comentar/", views.proposal_comment, name="comment"),
    path(P + "propuestas/<int:pk>/reportar/", views.proposal_report, name="report"),
    path(P + "propuestas/<int:pk>/ocultar/", views.proposal_hide, name="hide"),
    path(P + "propuestas/<int:pk>/responder/", views.proposal_answer, name="answer"),
    path(P + "mesas/<int:pk>/", views.table_detail, name="table"),
    path(P + "mesas/<int:pk>/registro/", views.table_register, name="table_register"),
    path(P + "mesas/<int:pk>/gestion/", views.table_manage, name="table_manage"),
    path(P + "compromisos/<int:pk>/origen/", views.commitment_origin, name="commitment_origin"),
    # A process's pages, for an entity and (the same names, one more argument) for one of
    # its municipalities: /cocreacion/morelos/municipios/cuernavaca/2026-2027/.
    *(
        path(P + place + "<str:cycle>/" + tail, view, name=name)
        for place in ("<slug:entity>/", "<slug:entity>/municipios/<slug:municipality>/")
        for tail, view, name in (
            ("", views.process_detail, "process"),
            ("propuestas/", views.proposal_list, "proposals"),
            ("propuestas/nueva/", views.proposal_new, "propose"),
            ("mesas/", views.table_list, "tables"),
            ("estandares/", views.standards, "standards"),
            ("gestion/", views.process_manage, "manage"),
        )
    ),
]
