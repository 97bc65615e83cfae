from django.urls import path, re_path

from . import feeds, views

app_name = "opendata"

urlpatterns = [
    path("datos/", views.catalogue_page, name="catalogue"),
    path("datos/conjuntos/<slug:name>/", views.dataset_page, name="dataset"),
    path("datos/conjuntos/<slug:name>/<str:code>/", views.dataset_page, name="dataset_entity"),
    path("data.json", views.data_json, name="data_json"),
    path("catalogo.jsonld", views.catalogue_jsonld, name="dcat_jsonld"),
    path("catalogo.ttl", views.catalogue_turtle, name="dcat_turtle"),
    path("api/3/action/", views.ckan_help, name="ckan_help"),
    re_path(r"^api/(?:3/)?action/(?P<action>[\w-]+)$", views.ckan_action, name="ckan_action"),
    *feeds.urlpatterns,
]
