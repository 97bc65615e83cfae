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
    path(P + "<slug:entity>/<str:cycle>/", views.process_detail, name="process"),
    path(P + "<slug:entity>/<str:cycle>/propuestas/", views.proposal_list, name="proposals"),
    path(P + "<slug:entity>/<str:cycle>/propuestas/nueva/", views.proposal_new, name="propose"),
    path(P + "<slug:entity>/<str:cycle>/mesas/", views.table_list, name="tables"),
    path(P + "<slug:entity>/<str:cycle>/estandares/", views.standards, name="standards"),
    path(P + "<slug:entity>/<str:cycle>/gestion/", views.process_manage, name="manage"),
    path("cuenta/", views.account, name="account"),
    path("cuenta/registro/", views.signup, name="signup"),
    path("cuenta/verificar/<str:token>/", views.verify, name="verify"),
    path("cuenta/aviso-de-privacidad/", views.privacy, name="privacy"),
    path("cuenta/entrar/", views.Login.as_view(), name="login"),
    path("cuenta/salir/", views.logout_view, name="logout"),
    path("cuenta/mis-datos.json", views.my_data, name="my_data"),
    path("cuenta/eliminar/", views.delete_account, name="delete_account"),
]
