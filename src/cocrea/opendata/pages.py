"""What the catalogue pages show: every dataset by capability, searchable, with its
formats, licence, last update (from the data) and an example call."""

from __future__ import annotations

import unicodedata

from django.urls import reverse

from cocrea.core.registry import PublicDataset, dataset_groups

from . import catalogue


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def _matches(d: PublicDataset, words: list[str]) -> bool:
    text = _fold(" ".join([d.name, str(d.title), str(d.description), *map(str, d.keywords)]))
    return all(w in text for w in words)


def example_call(base: str, d: PublicDataset) -> str:
    if d.json_url:
        url = base + d.json_url
        if d.per_entity and d.entity_json_param:
            url += f"?{d.entity_json_param}=14"
        return f'curl -s "{url}"'
    if d.csv_url:
        return f'curl -sO "{base}{d.csv_url}"'
    return ""


def _row(base: str, d: PublicDataset) -> dict:
    coverage = d.coverages()[None]
    modified = catalogue.as_datetime(coverage.modified or coverage.issued)
    return {
        "name": d.name,
        "title": d.title,
        "description": d.description,
        "page_url": d.page_url,
        "catalogue_url": reverse("opendata:dataset", args=[d.name]),
        "csv_url": d.csv_url,
        "json_url": d.json_url,
        "formats": d.other_formats,
        "available": d.is_available(),
        "licence": d.licence_info,
        "modified": modified,
        "records": coverage.records,
        "keywords": [str(k) for k in d.keywords],
        "per_entity": d.per_entity,
        "example": example_call(base, d),
    }


def catalogue_context(request) -> dict:
    q = request.GET.get("q", "").strip()[:200]
    words = _fold(q).split()
    base = catalogue.base_url(request)
    groups = []
    for title, datasets in dataset_groups():
        rows = [_row(base, d) for d in datasets if _matches(d, words)]
        if rows:
            groups.append({"title": title, "datasets": rows})
    return {
        "groups": groups,
        "q": q,
        "found": sum(len(g["datasets"]) for g in groups),
        "licence": catalogue.LIBRE_USO_MX,
    }


def dataset_context(request, d: PublicDataset, entity) -> dict | None:
    found = [
        e
        for e in catalogue.entries(request, with_data_only=False, only=d.name)
        if e.entity == entity
    ]
    if not found:
        return None
    e = found[0]
    entity_pages = []
    if entity is None and d.per_entity:
        entity_pages = [x for x in catalogue.entries(request, only=d.name) if x.entity]
    return {
        "entry": e,
        "dataset": d,
        "entity": entity,
        "entity_pages": entity_pages,
        "example": example_call(catalogue.base_url(request), d),
        "publisher": catalogue.PUBLISHER,
    }
