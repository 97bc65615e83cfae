from functools import cache

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import DemoDataset

# Sections of the public site, shown in the navigation only when their app serves them.
SECTIONS = [
    ("/", _("Panorama nacional")),
    ("/seguimiento/", _("Seguimiento de planes")),
    ("/cocreacion/", _("Cocreación")),
    ("/sigue-el-dinero/", _("Sigue el Dinero")),
    ("/eventos/", _("Eventos")),
    ("/evaluacion/", _("Evaluación")),
    ("/datos/", _("Datos abiertos")),
]


@cache
def _served_sections() -> tuple[tuple[str, str], ...]:
    served = []
    with translation.override(settings.LANGUAGE_CODE):  # unprefixed paths are Spanish
        for path, label in SECTIONS:
            try:
                resolve(path)
            except Resolver404:
                continue
            served.append((path, label))
    return tuple(served)


def site(request):
    return {"is_demo": DemoDataset.objects.exists(), "nav_sections": _served_sections()}
