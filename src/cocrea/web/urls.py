from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("entidades/<slug:slug>/", views.entity_detail, name="entity"),
    path("datos/<slug:name>.csv", views.dataset_csv, name="dataset_csv"),
]
