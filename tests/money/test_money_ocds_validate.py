"""Validation against the vendored OCDS 1.1 schema (offline, line numbers and reasons)."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import orjson
import pytest
from django.core.management import call_command

from cocrea.money.ocds import synthetic
from cocrea.money.ocds.schema import (
    fast_release_validator,
    release_validator,
    validation_errors,
)

EXAMPLE = Path(__file__).parent / "fixtures" / "fictional-example"

REPLACEMENTS = [None, "", "x", 0, 1.5, -3, True, [], {}, ["x"], [{}], {"id": 1}, "2024-01-01"]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))


def _mutate(release: dict, rng: random.Random) -> dict:
    release = copy.deepcopy(release)
    path = rng.choice([p for p in _paths(release) if p])
    parent = release
    for part in path[:-1]:
        parent = parent[part]
    if isinstance(parent, list) and rng.random() < 0.3:
        parent.append(copy.deepcopy(parent[path[-1]]))  # uniqueItems
    elif isinstance(parent, dict) and rng.random() < 0.25:
        del parent[path[-1]]  # maybe a required field
    else:
        parent[path[-1]] = copy.deepcopy(rng.choice(REPLACEMENTS))
    return release


def test_schema_is_loaded_from_the_project_and_refs_resolve_offline():
    validator = release_validator()
    assert validator.schema["$schema"].startswith("http://json-schema.org/draft-04")
    package = json.loads((EXAMPLE / "ocds-213czf-000-00001-04-award.json").read_text())
    assert validation_errors(package["releases"][0]) == []


def test_compiled_validator_agrees_with_jsonschema():
    rng = random.Random(11)
    releases = list(synthetic.releases(80, seed=2))
    for path in sorted(EXAMPLE.glob("ocds-213czf-000-00001-0*.json")):
        releases += json.loads(path.read_text())["releases"]
    fast = fast_release_validator()
    slow = release_validator()
    verdicts = {True: 0, False: 0}
    for release in releases:
        for candidate in (release, _mutate(release, rng), _mutate(release, rng)):
            expected = slow.is_valid(candidate)
            assert fast(candidate) is expected, orjson.dumps(candidate)[:500]
            verdicts[expected] += 1
    assert verdicts[True] > 200 and verdicts[False] > 200


def test_validation_errors_explain(capsys, tmp_path):
    good = json.loads((EXAMPLE / "ocds-213czf-000-00001-02-tender.json").read_text())["releases"][0]
    bad = copy.deepcopy(good)
    bad["tender"]["value"]["amount"] = "mucho"
    del bad["initiationType"]
    errors = validation_errors(bad)
    assert "tender/value/amount: 'mucho' is not of type 'number', 'null'" in errors or any(
        e.startswith("tender/value/amount:") for e in errors
    )
    assert any("'initiationType' is a required property" in e for e in errors)

    path = tmp_path / "releases.jsonl"
    path.write_bytes(orjson.dumps(good) + b"\n" + orjson.dumps(bad) + b"\n{oops\n")
    with pytest.raises(SystemExit):
        call_command("ocds", "validate", str(path))
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("line 2: ")
    assert "tender/value/amount" in out
    assert out.splitlines()[1].startswith("line 3: invalid JSON")
    assert "1 valid, 2 invalid" in err
