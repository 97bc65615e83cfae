from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("entidades/<slug:slug>/", views.entity_detail, name="entity"),
    path(
        "entidades/<slug:slug>/municipios/<slug:municipality>/",
        views.municipality_detail,
        name="municipality",
    ),
    path("datos/", views.open_data, name="open_data"),
    path("datos/<slug:name>.csv", views.dataset_csv, name="dataset_csv"),
]
