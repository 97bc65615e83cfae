from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("mi-espacio/", views.workspace, name="workspace"),
    path("cuenta/", views.account, name="account"),
    path("cuenta/registro/", views.signup, name="signup"),
    path("cuenta/verificar/<str:token>/", views.verify, name="verify"),
    path("cuenta/aviso-de-privacidad/", views.privacy, name="privacy"),
    path("cuenta/entrar/", views.Login.as_view(), name="login"),
    path("cuenta/salir/", views.logout_view, name="logout"),
    path("cuenta/mis-datos.json", views.my_data, name="my_data"),
    path("cuenta/eliminar/", views.delete_account, name="delete_account"),
    path("cuenta/contrasena/", views.password_reset, name="password_reset"),
    path("cuenta/contrasena/enviada/", views.password_reset_done, name="password_reset_done"),
    path(
        "cuenta/contrasena/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("cuenta/contrasena/lista/", views.password_reset_complete, name="password_reset_complete"),
]
