from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("avisos/", views.centre, name="centre"),
    path("avisos/leidos/", views.mark_all_read, name="mark_all_read"),
    path("avisos/siguiendo/", views.following, name="following"),
    path("avisos/preferencias/", views.preferences, name="preferences"),
    path("avisos/baja/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("avisos/seguir/<str:kind>/<path:target>/", views.toggle_follow, name="follow"),
]
