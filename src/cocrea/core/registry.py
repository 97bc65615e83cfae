"""Importers and exporters that `cocrea import KIND FILE` / `cocrea export KIND` dispatch to.

Each app registers its own in AppConfig.ready(), so the CLI and the back office share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Importer:
    kind: str
    run: Callable
    columns: str


@dataclass(frozen=True)
class Exporter:
    kind: str
    run: Callable


IMPORTERS: dict[str, Importer] = {}
EXPORTERS: dict[str, Exporter] = {}


def register_importer(kind: str, run: Callable, columns: str) -> None:
    IMPORTERS[kind] = Importer(kind, run, columns)


def register_exporter(kind: str, run: Callable) -> None:
    EXPORTERS[kind] = Exporter(kind, run)


@dataclass(frozen=True)
class DemoLoader:
    name: str
    run: Callable
    order: int


DEMO_LOADERS: list[DemoLoader] = []


def register_demo_loader(name: str, run: Callable, order: int = 100) -> None:
    """Add a deterministic demo-data loader; loaders run by ascending `order`."""
    DEMO_LOADERS[:] = [d for d in DEMO_LOADERS if d.name != name]
    DEMO_LOADERS.append(DemoLoader(name, run, order))
    DEMO_LOADERS.sort(key=lambda d: (d.order, d.name))


@dataclass(frozen=True)
class EntitySection:
    """A capability's block on the public entity page.

    `summary(entity)` returns None (nothing to show) or a dict with `title`, `url`,
    and `facts` (a list of short sentences); it must run a bounded number of queries.
    """

    name: str
    summary: Callable
    order: int


ENTITY_SECTIONS: list[EntitySection] = []


def register_entity_section(name: str, summary: Callable, order: int = 100) -> None:
    ENTITY_SECTIONS[:] = [s for s in ENTITY_SECTIONS if s.name != name]
    ENTITY_SECTIONS.append(EntitySection(name, summary, order))
    ENTITY_SECTIONS.sort(key=lambda s: (s.order, s.name))


# --------------------------------------------------------------------------- open data
# Every public dataset, whatever app publishes it, is listed in the catalogue at /datos/.
# A URL is given as a path ("/api/v1/plans"), a URL name ("plans:plans_csv") or a tuple
# (URL name, *args); names are reversed when read, so the active language's prefix applies.

UrlSpec = str | tuple

# The public site serves `/datos/<name>.csv` for datasets registered with `columns` and `rows`.
GENERIC_CSV_VIEW = "web:dataset_csv"


def resolve_url(spec: UrlSpec | None) -> str | None:
    if spec is None:
        return None
    if isinstance(spec, tuple):
        from django.urls import reverse

        return reverse(spec[0], args=spec[1:])
    if spec.startswith("/"):
        return spec
    from django.urls import reverse

    return reverse(spec)


@dataclass(frozen=True)
class DatasetFormat:
    label: str
    url: str | None


@dataclass(frozen=True)
class PublicDataset:
    """One public dataset of the catalogue. No personal data may ever be part of one.

    `group` is the label of the app that publishes it (its verbose_name heads the group);
    `csv` and `json` are its CSV download and its JSON endpoint (a path documented in the
    OpenAPI, `/api/v1/...`); `page` the page that shows it; `formats` other downloads as
    (label, url) pairs; `available()` says whether the files exist yet (None: always).
    With `columns` and `rows()` (an iterator of lists) and no `csv`, the public site serves
    the CSV itself at /datos/<name>.csv.
    """

    name: str
    title: str
    description: str
    group: str
    csv: UrlSpec | None = None
    json: UrlSpec | None = None
    page: UrlSpec | None = None
    formats: tuple = ()
    order: int = 100
    available: Callable | None = None
    columns: tuple = ()
    rows: Callable | None = None

    @property
    def csv_url(self) -> str | None:
        if self.csv is None and self.rows is not None:
            return resolve_url((GENERIC_CSV_VIEW, self.name))
        return resolve_url(self.csv)

    @property
    def json_url(self) -> str | None:
        return resolve_url(self.json)

    @property
    def page_url(self) -> str | None:
        return resolve_url(self.page)

    @property
    def other_formats(self) -> list[DatasetFormat]:
        return [DatasetFormat(label, resolve_url(spec)) for label, spec in self.formats]

    def is_available(self) -> bool:
        return self.available is None or bool(self.available())

    @property
    def group_title(self) -> str:
        from django.apps import apps

        try:
            return apps.get_app_config(self.group).verbose_name
        except LookupError:
            return self.group


DATASETS: dict[str, PublicDataset] = {}


def register_dataset(
    name: str,
    title: str,
    description: str,
    *,
    group: str,
    csv_url: UrlSpec | None = None,
    json_url: UrlSpec | None = None,
    page_url: UrlSpec | None = None,
    formats: list | tuple = (),
    order: int = 100,
    available: Callable | None = None,
    columns: list | tuple = (),
    rows: Callable | None = None,
) -> PublicDataset:
    """Add (or replace) a public dataset in the open-data catalogue; see PublicDataset."""
    if rows is not None and not columns:
        raise ValueError(f"dataset {name!r}: rows() needs its columns")
    if json_url is not None and not (isinstance(json_url, str) and json_url.startswith("/api/v1/")):
        raise ValueError(f"dataset {name!r}: the JSON endpoint is an /api/v1/ path")
    dataset = PublicDataset(
        name=name,
        title=title,
        description=description,
        group=group,
        csv=csv_url,
        json=json_url,
        page=page_url,
        formats=tuple(formats),
        order=order,
        available=available,
        columns=tuple(columns),
        rows=rows,
    )
    DATASETS[name] = dataset
    ordered = sorted(DATASETS.values(), key=lambda d: (d.order, d.name))
    DATASETS.clear()
    DATASETS.update((d.name, d) for d in ordered)
    return dataset


def dataset_groups() -> list[tuple[str, list[PublicDataset]]]:
    """The catalogue by publishing app: [(group title, datasets)], in registration order."""
    groups: dict[str, list[PublicDataset]] = {}
    for dataset in DATASETS.values():
        groups.setdefault(dataset.group, []).append(dataset)
    return [(items[0].group_title, items) for items in groups.values()]


# --------------------------------------------------------------------------- personal data
# The personal-data download asks every app for its part about one account; an app that
# keeps something about a person registers `collect(user) -> JSON-ready data` here.

ACCOUNT_DATA: dict[str, Callable] = {}


def register_account_data(name: str, collect: Callable) -> None:
    ACCOUNT_DATA[name] = collect


def account_data(user) -> dict:
    """Every registered app's part of the account's personal data, by name."""
    return {name: collect(user) for name, collect in sorted(ACCOUNT_DATA.items())}


# --------------------------------------------------------------------------- page widgets
# Small blocks a page shows for another capability it does not import (e.g. the follow
# button): `{% widget "follow" kind=... target=... %}` renders what the owner registered,
# or nothing when no app registered that widget.

WIDGETS: dict[str, Callable] = {}


def register_widget(name: str, render: Callable) -> None:
    """`render(context, **kwargs) -> str` (safe HTML)."""
    WIDGETS[name] = render
