"""The catalogue of public datasets, built from the registry (`core.registry.DATASETS`).

Each registered dataset gives one national `Entry` and, when registered `per_entity`, one
entry per entity with data. Dates and temporal coverage come from the dataset's own
`coverage()` (the data), never from the time of the request. The machine-readable
renderings (/data.json, DCAT, the CKAN API) list the entries that hold data (a known date of
last modification); the page for people lists every dataset.

No personal data is ever part of an entry: entries only describe the registered datasets,
whose registrations promise that; the tests read every distribution to check it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import translation

from cocrea.core.coverage import as_datetime
from cocrea.core.registry import DATASETS, LIBRE_USO_MX, Coverage, PublicDataset
from cocrea.territory.models import Entity

PUBLISHER = "Cocrea · Gobierno Abierto: Cocreación desde lo local"
NATIONAL_ORG = "nacional"
__all__ = ["LIBRE_USO_MX", "as_datetime", "entries", "entry"]

MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
    "atom": "application/atom+xml",
}


@dataclass(frozen=True)
class Distribution:
    title: str
    format: str  # CSV, JSON, Parquet, ...
    media_type: str
    url: str  # absolute

    @property
    def id(self) -> str:
        import hashlib

        return hashlib.sha1(self.url.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Entry:
    id: str  # stable: the dataset's name, or name-<entity code>
    dataset: PublicDataset
    entity: Entity | None
    title: str
    description: str
    keywords: tuple[str, ...]
    coverage: Coverage
    spatial: str
    landing_page: str
    distributions: tuple[Distribution, ...] = field(default_factory=tuple)

    @property
    def organization(self) -> str:
        return self.entity.slug if self.entity else NATIONAL_ORG

    @property
    def issued(self) -> datetime | None:
        return as_datetime(self.coverage.issued or self.coverage.modified)

    @property
    def modified(self) -> datetime | None:
        return as_datetime(self.coverage.modified or self.coverage.issued)

    @property
    def temporal(self) -> tuple[date, date] | None:
        c = self.coverage
        if c.start and c.end:
            return (c.start, c.end)
        return None

    @property
    def licence(self) -> dict:
        return self.dataset.licence_info

    @property
    def group(self) -> str:
        return self.dataset.group


def contact_email() -> str:
    """The open-data desk's institutional mailbox (setting COCREA_OPEN_DATA_EMAIL)."""
    return settings.COCREA_OPEN_DATA_EMAIL


def base_url(request=None) -> str:
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.COCREA_BASE_URL


def _ext(url: str) -> str:
    path = url.split("?", 1)[0]
    return path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""


def _with(url: str, param: str, code: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{param}={code}"


def _distributions(d: PublicDataset, base: str, entity: Entity | None) -> list[Distribution]:
    out = []
    available = d.is_available()
    if d.csv_url and available and (entity is None or d.entity_csv_param):
        url = d.csv_url if entity is None else _with(d.csv_url, d.entity_csv_param, entity.code)
        out.append(Distribution("CSV", "CSV", MEDIA_TYPES["csv"], base + url))
    if d.json_url and (entity is None or d.entity_json_param):
        url = d.json_url if entity is None else _with(d.json_url, d.entity_json_param, entity.code)
        out.append(Distribution("JSON (API)", "JSON", MEDIA_TYPES["json"], base + url))
    if available:
        for f in d.other_formats:
            if not f.url or (entity is not None and not f.entity_param):
                continue
            ext = _ext(f.url)
            label = str(f.label)
            fmt = {"jsonl": "JSONL"}.get(ext, label if ext != "json" else "JSON")
            media = MEDIA_TYPES.get(ext, "application/octet-stream")
            if "/ftm/" in f.url:
                fmt, media = "JSONL", MEDIA_TYPES["jsonl"]
            elif f.url.startswith("/api/"):
                fmt, media = "JSON", MEDIA_TYPES["json"]
            url = f.url if entity is None else _with(f.url, f.entity_param, entity.code)
            out.append(Distribution(label, fmt, media, base + url))
    return out


def _page(d: PublicDataset, entity: Entity | None) -> str:
    from django.urls import reverse

    if entity is None:
        return reverse("opendata:dataset", args=[d.name])
    return reverse("opendata:dataset_entity", args=[d.name, entity.code])


def entries(request=None, *, with_data_only: bool = True, only: str | None = None) -> list[Entry]:
    """Every entry of the catalogue (or of the dataset `only`), in registration order,
    each dataset's national entry before its entities', in Spanish (the site's language)."""
    base = base_url(request)
    entities = {e.code: e for e in Entity.objects.all()}
    out: list[Entry] = []
    with translation.override(settings.LANGUAGE_CODE):
        for d in DATASETS.values():
            if only is not None and d.name != only:
                continue
            coverages = d.coverages()
            national = coverages[None]
            items = [(None, national)] + [
                (entities[code], c)
                for code, c in sorted(coverages.items(), key=_code)
                if code in entities
            ]
            for entity, coverage in items:
                if with_data_only and coverage.modified is None and coverage.issued is None:
                    continue
                title = str(d.title) if entity is None else f"{d.title} · {entity.common_name}"
                out.append(
                    Entry(
                        id=d.name if entity is None else f"{d.name}-{entity.code}",
                        dataset=d,
                        entity=entity,
                        title=title,
                        description=str(d.description),
                        keywords=tuple(str(k) for k in d.keywords) or (str(d.group_title),),
                        coverage=coverage,
                        spatial=d.spatial if entity is None else entity.name,
                        landing_page=base + _page(d, entity),
                        distributions=tuple(_distributions(d, base, entity)),
                    )
                )
    return out


def _code(item):
    return item[0] or ""


def entry(entry_id: str, request=None) -> Entry | None:
    for e in entries(request):
        if e.id == entry_id:
            return e
    return None
