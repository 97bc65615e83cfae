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
