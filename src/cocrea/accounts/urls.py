from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [path("mi-espacio/", views.workspace, name="workspace")]
