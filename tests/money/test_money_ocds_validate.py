"""Validation against the vendored OCDS 1.1 schema (offline, line numbers and reasons)."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import orjson
import pytest
from django.core.management import call_command
from json_paths import json_paths

from cocrea.money.ocds import synthetic
from cocrea.money.ocds.schema import load_schema, release_validator, validation_errors

EXAMPLE = Path(__file__).parent / "fixtures" / "fictional-example"

REPLACEMENTS = [None, "", "x", 0, 1.5, -3, True, [], {}, ["x"], [{}], {"id": 1}, "2024-01-01"]


def _mutate(release: dict, rng: random.Random) -> dict:
    release = copy.deepcopy(release)
    path = rng.choice([p for p in json_paths(release) if p])
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
    assert load_schema()["$schema"].startswith("http://json-schema.org/draft-04")
    package = json.loads((EXAMPLE / "ocds-213czf-000-00001-04-award.json").read_text())
    assert validation_errors(package["releases"][0]) == []


def test_validator_agrees_with_jsonschema():
    """jsonschema-rs gives the verdict of jsonschema's Draft4Validator (no format checker, as
    the OCDS tools use it) on valid releases and on many invalid variants of them."""
    from jsonschema import Draft4Validator

    rng = random.Random(11)
    releases = list(synthetic.releases(80, seed=2))
    for path in sorted(EXAMPLE.glob("ocds-213czf-000-00001-0*.json")):
        releases += json.loads(path.read_text())["releases"]
    reference = Draft4Validator(load_schema())
    ours = release_validator()
    verdicts = {True: 0, False: 0}
    for release in releases:
        for candidate in (release, _mutate(release, rng), _mutate(release, rng)):
            expected = reference.is_valid(candidate)
            assert ours.is_valid(candidate) is expected, orjson.dumps(candidate)[:500]
            assert (validation_errors(candidate) == []) is expected
            verdicts[expected] += 1
    assert verdicts[True] > 200 and verdicts[False] > 200


def test_formats_are_not_asserted_and_integers_are_draft4_integers():
    """As jsonschema without a format checker: a malformed date is still a string; as
    Draft 4: 1.0 is a number but not an integer."""
    from jsonschema import Draft4Validator

    reference = Draft4Validator(load_schema())
    good = json.loads((EXAMPLE / "ocds-213czf-000-00001-02-tender.json").read_text())["releases"][0]
    cases = []
    for field, value in (("date", "ayer"), ("date", "2024-13-45"), ("id", 1.0), ("id", 7)):
        candidate = copy.deepcopy(good)
        candidate[field] = value
        cases.append(candidate)
    candidate = copy.deepcopy(good)
    candidate["tender"]["numberOfTenderers"] = 3.0
    cases.append(candidate)
    candidate = copy.deepcopy(good)
    candidate["tender"]["tenderPeriod"]["startDate"] = "not a date"
    cases.append(candidate)
    for candidate in cases:
        assert release_validator().is_valid(candidate) is reference.is_valid(candidate)


def test_validation_errors_explain(capsys, tmp_path):
    good = json.loads((EXAMPLE / "ocds-213czf-000-00001-02-tender.json").read_text())["releases"][0]
    bad = copy.deepcopy(good)
    bad["tender"]["value"]["amount"] = "mucho"
    del bad["initiationType"]
    errors = validation_errors(bad)
    assert 'tender/value/amount: "mucho" is not of types "null", "number"' in errors
    assert '(release): "initiationType" is a required property' in errors
    assert validation_errors(bad, explain=False) == [
        "not valid against the OCDS 1.1 release schema"
    ]
    assert len(validation_errors(bad, limit=1)) == 1

    path = tmp_path / "releases.jsonl"
    path.write_bytes(orjson.dumps(good) + b"\n" + orjson.dumps(bad) + b"\n{oops\n")
    with pytest.raises(SystemExit):
        call_command("ocds", "validate", str(path))
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("line 2: ")
    assert "tender/value/amount" in out
    assert out.splitlines()[1].startswith("line 3: invalid JSON")
    assert "1 valid, 2 invalid" in err
