"""Thin views over the catalogue: the page for people, /data.json, DCAT and CKAN's API."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from cocrea.core.registry import DATASETS
from cocrea.territory.models import Entity

from . import ckan, dcat, pages, pod
from .catalogue import base_url, entries


def data_json(request):
    catalog = pod.catalog(entries(request), request.build_absolute_uri())
    return JsonResponse(catalog, json_dumps_params={"ensure_ascii": False, "indent": 1})


def catalogue_jsonld(request):
    body = dcat.jsonld(entries(request), base_url(request))
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")


def catalogue_turtle(request):
    body = dcat.turtle(entries(request), base_url(request))
    return HttpResponse(body, content_type="text/turtle; charset=utf-8")


def catalogue_page(request):
    return render(request, "opendata/catalogue.html", pages.catalogue_context(request))


def dataset_page(request, name, code=None):
    dataset = DATASETS.get(name)
    if dataset is None:
        raise Http404(_("No existe ese conjunto de datos."))
    entity = None
    if code is not None:
        entity = Entity.objects.filter(code=code).first()
        if entity is None or not dataset.per_entity:
            raise Http404(_("No existe ese conjunto de datos."))
    context = pages.dataset_context(request, dataset, entity)
    if context is None:
        raise Http404(_("Ese conjunto de datos no tiene datos de esa entidad."))
    return render(request, "opendata/dataset.html", context)


# ------------------------------------------------------------------------------ CKAN API
ACTIONS = {
    "status_show",
    "package_list",
    "package_show",
    "package_search",
    "organization_list",
    "organization_show",
    "group_list",
    "group_show",
    "resource_show",
}


def _envelope(request, action: str, *, result=None, error: ckan.ActionError | None = None):
    help_url = request.build_absolute_uri(reverse("opendata:ckan_help")) + f"?name={action}"
    if error is None:
        return JsonResponse({"help": help_url, "success": True, "result": result})
    body = {"help": help_url, "success": False, "error": error.error()}
    return JsonResponse(body, status=error.status)


def _params(request) -> dict:
    params = {k: request.GET.get(k) for k in request.GET}
    if request.method == "POST" and request.body:
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise ckan.ActionError(400, "Bad request", "Bad request - JSON Error") from None
        if not isinstance(body, dict):
            raise ckan.ActionError(400, "Bad request", "Bad request - JSON Error")
        params.update(body)
    return params


@csrf_exempt
def ckan_action(request, action):
    if action not in ACTIONS:
        error = ckan.ActionError(
            400, "Bad request", f"Bad request - Action name not known: {action}"
        )
        return _envelope(request, action, error=error)
    try:
        params = _params(request)
        result = _run(request, action, params)
    except ckan.ActionError as e:
        return _envelope(request, action, error=e)
    return _envelope(request, action, result=result)


def ckan_help(request):
    name = request.GET.get("name", "")
    return JsonResponse(
        {
            "help": request.build_absolute_uri(),
            "success": True,
            "result": _("Acción %(name)s de la API de CKAN v3 (subconjunto de Cocrea).")
            % {"name": name},
        }
    )


def _text(params: dict, key: str) -> str:
    value = params.get(key)
    if value is None or value == "":
        raise ckan.invalid(key, "Missing value")
    if not isinstance(value, str):
        raise ckan.invalid(key, "Must be a string")
    return value


def _bool(params: dict, key: str) -> bool:
    value = params.get(key)
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1", "yes")


def _run(request, action: str, params: dict):
    if action == "status_show":
        return {
            "ckan_version": ckan.CKAN_VERSION,
            "site_title": "Cocrea · Datos abiertos",
            "site_description": _("Gobierno Abierto: Cocreación desde lo local"),
            "site_url": base_url(request),
            "locale_default": "es_MX",
            "extensions": [],
        }
    items = entries(request)
    if action == "package_list":
        limit = ckan._int(params.get("limit"), "limit", len(items), 0)
        offset = ckan._int(params.get("offset"), "offset", 0, 0)
        return sorted(e.id for e in items)[offset : offset + limit]
    if action == "package_search":
        return ckan.search(items, params)
    if action == "package_show":
        name = _text(params, "id")
        for e in items:
            if name in (e.id, ckan.package(e)["id"]):
                return ckan.package(e)
        raise ckan.not_found("package")
    if action == "resource_show":
        rid = _text(params, "id")
        for e in items:
            for position, d in enumerate(e.distributions):
                res = ckan.resource(e, d, position)
                if res["id"] == rid:
                    return res
        raise ckan.not_found("resource")
    if action in ("organization_list", "organization_show"):
        orgs = ckan.organizations(list(Entity.objects.order_by("code")))
        if action == "organization_list":
            if _bool(params, "all_fields"):
                return [ckan.organization_dict(o, items, False) for o in orgs]
            return [o["name"] for o in orgs]
        name = _text(params, "id")
        for o in orgs:
            if name in (o["name"], o["id"]):
                return ckan.organization_dict(o, items, _bool(params, "include_datasets"))
        raise ckan.not_found("organization")
    groups = ckan.groups(items)
    if action == "group_list":
        return groups if _bool(params, "all_fields") else [g["name"] for g in groups]
    name = _text(params, "id")
    for g in groups:
        if name in (g["name"], g["id"]):
            if _bool(params, "include_datasets"):
                return {**g, "packages": [ckan.package(e) for e in items if e.group == g["name"]]}
            return g
    raise ckan.not_found("group")
