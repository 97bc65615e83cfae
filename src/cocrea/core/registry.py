"""Importers and exporters that `cocrea import KIND FILE` / `cocrea export KIND` dispatch to.

Each app registers its own in AppConfig.ready(), so the CLI and the back office share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime


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


# The same for the public page of a municipality: `summary(municipality)` returns None (no
# block) or a dict with `title`, `url` and `facts`, in a bounded number of queries.
MUNICIPALITY_SECTIONS: list[EntitySection] = []


def register_municipality_section(name: str, summary: Callable, order: int = 100) -> None:
    MUNICIPALITY_SECTIONS[:] = [s for s in MUNICIPALITY_SECTIONS if s.name != name]
    MUNICIPALITY_SECTIONS.append(EntitySection(name, summary, order))
    MUNICIPALITY_SECTIONS.sort(key=lambda s: (s.order, s.name))


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


# The licence of every dataset unless its registration says otherwise.
LIBRE_USO_MX = {
    "id": "libre-uso-mx",
    "title": "Términos de Libre Uso MX",
    "url": "https://datos.gob.mx/libreusomx",
}
NATIONAL_SPATIAL = "México"


@dataclass(frozen=True)
class Coverage:
    """What the data itself says about a dataset (or its slice for one entity).

    `issued` is when its first record was published, `modified` when one last changed;
    `start`/`end` the period the records are about (temporal coverage). None: unknown.
    """

    issued: datetime | date | None = None
    modified: datetime | date | None = None
    start: date | None = None
    end: date | None = None
    records: int | None = None  # how many rows the dataset has (its size); None: unknown


@dataclass(frozen=True)
class DatasetFormat:
    label: str
    url: str | None
    entity_param: str | None = None  # the query parameter that keeps one entity's data


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
    keywords: tuple = ()
    coverage: Callable | None = None
    per_entity: bool = False
    entity_csv_param: str | None = None
    entity_json_param: str | None = "entity"
    spatial: str = NATIONAL_SPATIAL
    licence: dict | None = None

    @property
    def licence_info(self) -> dict:
        return self.licence or LIBRE_USO_MX

    def coverages(self) -> dict:
        """{None: national Coverage, entity code: Coverage, ...} from the data itself.

        Per-entity datasets give one key per entity with data; the others only None.
        """
        if self.coverage is None:
            return {None: Coverage()}
        found = dict(self.coverage())
        found.setdefault(None, Coverage())
        if not self.per_entity:
            found = {None: found[None]}
        return found

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
        return [
            DatasetFormat(f[0], resolve_url(f[1]), f[2] if len(f) > 2 else None)
            for f in self.formats
        ]

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
    keywords: list | tuple = (),
    coverage: Callable | None = None,
    per_entity: bool = False,
    entity_csv_param: str | None = None,
    entity_json_param: str | None = "entity",
    spatial: str = NATIONAL_SPATIAL,
    licence: dict | None = None,
) -> PublicDataset:
    """Add (or replace) a public dataset in the open-data catalogue; see PublicDataset.

    Catalogue metadata (/data.json, DCAT, CKAN API): `keywords`; `coverage()` returns
    {None: Coverage, entity code: Coverage, ...} computed from the data (issue and last
    modification dates, temporal coverage), in a bounded number of queries; with
    `per_entity` the catalogue also lists one dataset per entity with data, whose JSON
    (and CSV, if `entity_csv_param` names the CSV's filter) take the entity's INEGI code in
    the query parameter `entity_json_param`; `licence` defaults to the Términos de Libre
    Uso MX.
    """
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
        keywords=tuple(keywords),
        coverage=coverage,
        per_entity=per_entity,
        entity_csv_param=entity_csv_param,
        entity_json_param=entity_json_param,
        spatial=spatial,
        licence=licence,
    )
    DATASETS[name] = dataset
    ordered = sorted(DATASETS.values(), key=lambda d: (d.order, d.name))
    DATASETS.clear()
    DATASETS.update((d.name, d) for d in ordered)
    return dataset


def add_dataset_formats(name: str, formats: list | tuple) -> PublicDataset:
    """More downloads of a registered dataset, offered by a higher app (e.g. the OCDS
    packages of the contracting processes): (label, url[, entity query parameter])."""
    from dataclasses import replace

    dataset = DATASETS[name]
    known = {f[1] for f in dataset.formats}
    extra = tuple(tuple(f) for f in formats if f[1] not in known)
    DATASETS[name] = replace(dataset, formats=dataset.formats + extra)
    return DATASETS[name]


def dataset_groups() -> list[tuple[str, list[PublicDataset]]]:
    """The catalogue by publishing app: [(group title, datasets)], in registration order."""
    groups: dict[str, list[PublicDataset]] = {}
    for dataset in DATASETS.values():
        groups.setdefault(dataset.group, []).append(dataset)
    return [(items[0].group_title, items) for items in groups.values()]


# --------------------------------------------------------------------------- search
# Every app offers what the platform-wide search may find; the search app runs them.


@dataclass(frozen=True)
class SearchSource:
    """Something the one search box finds, offered by the app that owns it.

    Either an ORM source — `queryset()` gives the *public* rows only (hidden and
    unpublished things never), `fields` the text columns by weight (A, B…: the first is
    the title), `url(obj)` the page — or a callable `search(q, limit)` that returns
    [(title, url, snippet)] for data outside the database (Sigue el Dinero's store).
    `group` orders the kinds on the results page.
    """

    kind: str
    label: str
    order: int
    queryset: Callable | None = None
    fields: tuple = ()
    url: Callable | None = None
    subtitle: Callable | None = None
    search: Callable | None = None


SEARCH_SOURCES: dict[str, SearchSource] = {}


def register_search_source(kind: str, label, *, order: int = 100, **spec) -> SearchSource:
    source = SearchSource(kind=kind, label=label, order=order, **spec)
    if (source.queryset is None) == (source.search is None):
        raise ValueError(f"search source {kind!r}: give a queryset or a search callable")
    SEARCH_SOURCES[kind] = source
    ordered = sorted(SEARCH_SOURCES.values(), key=lambda s: (s.order, s.kind))
    SEARCH_SOURCES.clear()
    SEARCH_SOURCES.update((s.kind, s) for s in ordered)
    return source


# --------------------------------------------------------------------------- Mi espacio
# Each app tells a person what is theirs and what waits for them; accounts shows it all.


@dataclass(frozen=True)
class WorkspaceSection:
    """A block of *Mi espacio*. `build(user)` returns None (nothing for this person) or a
    dict with `title`, `items` — a list of (text, url, detail) where the url is where the
    item is acted on — and optionally `empty` (what to say when items is empty). It must
    run a bounded number of queries whatever the data."""

    name: str
    build: Callable
    order: int


WORKSPACE_SECTIONS: list[WorkspaceSection] = []


def register_workspace_section(name: str, build: Callable, order: int = 100) -> None:
    WORKSPACE_SECTIONS[:] = [s for s in WORKSPACE_SECTIONS if s.name != name]
    WORKSPACE_SECTIONS.append(WorkspaceSection(name, build, order))
    WORKSPACE_SECTIONS.sort(key=lambda s: (s.order, s.name))


# --------------------------------------------------------------------------- ratings
# Who rates commitments (evaluation) offers, per commitment id, the OGP evaluation columns
# (specificity, potential_impact, completion, did_it_open_government, starred) that the
# plans' OGP commitments data shows beside each commitment.

COMMITMENT_RATINGS: list[Callable] = []


def register_commitment_ratings(provider: Callable) -> None:
    """`provider(entity_code or None)` -> {commitment id: {column: value}} (bounded queries)."""
    if provider not in COMMITMENT_RATINGS:
        COMMITMENT_RATINGS.append(provider)


# --------------------------------------------------------------------------- demo commitments
# Money's demo links its programmes to the «Sigue el Dinero» commitments of the plans' demo.
# The room that keeps the commitments (plans, above money) offers them here, so that money
# finds them without importing it.

DEMO_PROGRAM_COMMITMENTS: list[Callable] = []


def register_demo_program_commitments(provider: Callable) -> None:
    """`provider()` -> {entity code: the commitment its demo programmes link} (one query)."""
    if provider not in DEMO_PROGRAM_COMMITMENTS:
        DEMO_PROGRAM_COMMITMENTS.append(provider)


def demo_program_commitments() -> dict:
    """Every provider's commitments by entity code (none when no room offers them)."""
    found: dict = {}
    for provider in DEMO_PROGRAM_COMMITMENTS:
        for code, commitment in provider().items():
            found.setdefault(code, commitment)
    return found


# --------------------------------------------------------------------------- personal data
# The personal-data download asks every app for its part about one account; an app that
# keeps something about a person registers `collect(user) -> JSON-ready data` here.

ACCOUNT_DATA: dict[str, Callable] = {}


def register_account_data(name: str, collect: Callable) -> None:
    ACCOUNT_DATA[name] = collect


def account_data(user) -> dict:
    """Every registered app's part of the account's personal data, by name."""
    return {name: collect(user) for name, collect in sorted(ACCOUNT_DATA.items())}


# What an app must do with its rows before an account is deleted (e.g. correct counters it
# keeps of the person's supports): `prepare(user) -> dict` of figures for the audit entry.
ACCOUNT_DELETION: dict[str, Callable] = {}


def register_account_deletion(name: str, prepare: Callable) -> None:
    ACCOUNT_DELETION[name] = prepare


def before_account_deletion(user) -> dict:
    summary: dict = {}
    for _name, prepare in sorted(ACCOUNT_DELETION.items()):
        summary.update(prepare(user) or {})
    return summary


# --------------------------------------------------------------------------- page widgets
# Small blocks a page shows for another capability it does not import (e.g. the follow
# button): `{% widget "follow" kind=... target=... %}` renders what the owner registered,
# or nothing when no app registered that widget.

WIDGETS: dict[str, Callable] = {}


def register_widget(name: str, render: Callable) -> None:
    """`render(context, **kwargs) -> str` (safe HTML)."""
    WIDGETS[name] = render
