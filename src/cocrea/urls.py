"""URLs: the back office, the API, and each capability app's public pages.

Every `cocrea.<app>.urls` module is mounted (in INSTALLED_APPS order) under the
language prefix: Spanish at `/`, English at `/en/`.
"""

from importlib import util

from django.apps import apps
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from cocrea.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

public_pages = [
    path("", include(f"{config.name}.urls"))
    for config in apps.get_app_configs()
    if config.name.startswith("cocrea.") and util.find_spec(f"{config.name}.urls")
]
urlpatterns += i18n_patterns(*public_pages, prefix_default_language=False)
