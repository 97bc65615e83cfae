"""The public JSON API, version 1.

Each capability app exposes `router` (and `router_prefix`) in its own `api.py`;
they are mounted here in INSTALLED_APPS order, so apps never edit this file.
"""

from importlib import import_module, util

from django.apps import apps
from ninja import NinjaAPI

api = NinjaAPI(
    title="Cocrea API",
    version="1",
    description=(
        "Datos abiertos de *Gobierno Abierto: Cocreación desde lo local*: entidades, "
        "participantes, planes de acción, compromisos, Sigue el Dinero y eventos. "
        "Sin datos personales."
    ),
    urls_namespace="api-v1",
)

for config in apps.get_app_configs():
    if not config.name.startswith("cocrea.") or config.name == "cocrea.api":
        continue
    module_name = f"{config.name}.api"
    if util.find_spec(module_name) is None:
        continue
    module = import_module(module_name)
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(getattr(module, "router_prefix", ""), router)
