from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cocrea.api"
    verbose_name = "API"
