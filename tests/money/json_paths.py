"""Test helper: every path (tuple of keys and indexes) inside a JSON value, root first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def json_paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from json_paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from json_paths(v, (*path, i))
