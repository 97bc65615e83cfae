from django.urls import path

from .web import views

app_name = "money"

urlpatterns = [
    path("sigue-el-dinero/", views.index, name="index"),
    path("sigue-el-dinero/buscar/", views.search, name="search"),
    path("sigue-el-dinero/descargas/", views.downloads, name="downloads"),
    path("sigue-el-dinero/descargas/<str:name>", views.download, name="download"),
    path("sigue-el-dinero/programas/<int:pk>/", views.program, name="program"),
    # OCIDs and organisation identifiers may hold slashes (publishers' own local ids).
    path("sigue-el-dinero/procesos/<path:ocid>/ocds.json", views.process_ocds, name="process_ocds"),
    path("sigue-el-dinero/procesos/<path:ocid>/", views.process, name="process"),
    path("sigue-el-dinero/compradores/<path:buyer_id>/", views.buyer, name="buyer"),
    path("sigue-el-dinero/proveedores/<path:supplier_id>/", views.supplier, name="supplier"),
    path(
        "sigue-el-dinero/<slug:slug>/municipios/<slug:municipality>/",
        views.municipality,
        name="municipality",
    ),
    path("sigue-el-dinero/<slug:slug>/", views.entity, name="entity"),
]
