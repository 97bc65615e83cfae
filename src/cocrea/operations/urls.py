from django.urls import path

from . import health

app_name = "operations"

urlpatterns = [path("health/", health.Health.as_view(), name="health")]
