"""Every indicator's documented demonstration gives exactly the output its page shows."""

import io
import json
from pathlib import Path

import pytest

from cocrea.money.redflags import CODES, EXPLANATIONS, load_settings, run
from cocrea.money.redflags.cli import execute
from cocrea.money.redflags.engine import dumps

FIXTURES = Path(__file__).parent / "fixtures" / "redflags"
DEMOS = json.loads((FIXTURES / "demonstrations.json").read_text(encoding="utf-8"))


def test_every_indicator_has_a_demonstration():
    assert sorted(DEMOS) == sorted(CODES)


@pytest.mark.parametrize("code", sorted(DEMOS))
def test_demonstration_output(code):
    demo = DEMOS[code]
    settings = load_settings(FIXTURES / demo["settings"])
    result, _ = run(FIXTURES / demo["input"], settings, meta=not demo["no_meta"])
    # Compare as parsed JSON, through the same serialization the command prints.
    assert json.loads(dumps(result)) == demo["output"]


@pytest.mark.parametrize("code", sorted(DEMOS))
def test_demonstration_from_a_stream(code):
    """Standard input is not seekable: R024/R058 spool it for their second pass."""
    demo = DEMOS[code]

    class Pipe(io.BytesIO):
        def seekable(self):
            return False

    data = (FIXTURES / demo["input"]).read_bytes()
    settings = load_settings(FIXTURES / demo["settings"])
    result, _ = run(Pipe(data), settings, meta=False)
    assert json.loads(dumps(result)) == demo["output"]


def test_demonstration_meta_of_r024():
    """Quartiles and fences in Meta, rounded to 4 decimals."""
    settings = load_settings(FIXTURES / "R" / "024.ini")
    result, _ = run(FIXTURES / "R" / "024.jsonl", settings)
    # Ratios: 1 (F) and 99 (four processes); type-8 quartiles.
    assert result["Meta"] == {"R024": {"q1": 66.3333, "q3": 99.0, "lower_fence": 17.3333}}


def test_demonstration_meta_of_r025():
    settings = load_settings(FIXTURES / "R" / "025.ini")
    result, _ = run(FIXTURES / "R" / "025.jsonl", settings)
    assert result["Meta"] == {
        "R025": {"q1": 0.9306, "q3": 1.0, "upper_fence": 1.4167, "lower_fence": 0.8264}
    }


def test_all_demonstrations_at_once_with_the_global_settings():
    """The shared settings.ini enables all eleven indicators; each demo still flags its own."""
    settings = load_settings(FIXTURES / "settings.ini")
    assert settings.enabled == set(CODES)
    for code in ("R003", "R018", "R028", "R036", "R038", "R058"):
        result, _ = run(FIXTURES / DEMOS[code]["input"], settings, meta=False)
        assert result == DEMOS[code]["output"], code


def test_spanish_explanations_cover_every_indicator():
    assert set(EXPLANATIONS) == set(CODES)
    for code, text in EXPLANATIONS.items():
        assert text["title"] and text["description"], code
        assert "oferta" in (text["title"] + text["description"]).lower() or code in {
            "R003",
            "R048",
        }


@pytest.mark.parametrize("code", sorted(DEMOS))
def test_demonstration_through_the_command(code):
    """The command streams its output (the OCID group from disk): same JSON."""
    demo = DEMOS[code]
    out, err = io.BytesIO(), io.StringIO()
    status = execute(
        str(FIXTURES / demo["input"]),
        str(FIXTURES / demo["settings"]),
        no_meta=demo["no_meta"],
        stdout=out,
        stderr=err,
    )
    assert status == 0, err.getvalue()
    assert json.loads(out.getvalue()) == demo["output"]


def test_describe_flags_for_the_web():
    from cocrea.money.redflags import describe

    described = describe({"R058": 99.0, "R024": 1.0, "X999": 1.0})
    assert [d["code"] for d in described] == ["R024", "R058"]
    assert described[1]["value"] == 99.0
    assert described[1]["title"] == EXPLANATIONS["R058"]["title"]


@pytest.mark.parametrize("code", sorted(DEMOS))
def test_demonstration_from_objects_in_memory(code):
    from cocrea.money.redflags import compute

    demo = DEMOS[code]
    lines = (FIXTURES / demo["input"]).read_text(encoding="utf-8").splitlines()
    releases = [json.loads(line) for line in lines if line.strip()]
    settings = load_settings(FIXTURES / demo["settings"])
    assert json.loads(dumps(compute(releases, settings, meta=False))) == demo["output"]
