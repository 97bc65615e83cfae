"""`cocrea redflags` and `python -m cocrea.money.redflags`: files, standard input, errors."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cocrea.money.redflags.cli import execute

FIXTURES = Path(__file__).parent / "fixtures" / "redflags"


def standalone(*args, stdin=b""):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "cocrea.money.redflags", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def run_execute(file, settings_file=None, **options):
    out, err = io.BytesIO(), io.StringIO()
    status = execute(file, settings_file, stdout=out, stderr=err, **options)
    return status, out.getvalue(), err.getvalue()


def test_standalone_with_settings_file_and_standard_input():
    data = (FIXTURES / "R" / "024.jsonl").read_bytes()
    done = standalone("--settings", str(FIXTURES / "R" / "024.ini"), "--no-meta", "-", stdin=data)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "OCID": {"F": {"R024": 1.0}},
        "Tenderer": {"W": {"R024": 0.0}, "L": {"R024": 0.0}},
    }


def test_invalid_json_line_is_an_error_with_its_line_number(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_bytes(b'{"ocid": "a"}\n\n{"ocid": "b", \n{"ocid": "c"}\n')
    status, out, err = run_execute(str(path))
    assert status == 1
    assert out == b""
    assert "línea 3: JSON no válido" in err


def test_invalid_utf8_is_an_error_with_its_line_number(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"ocid": "a"}\n{"ocid": "Pe\xf1a"}\n')
    status, _, err = run_execute(str(path))
    assert status == 1
    assert "línea 2" in err


def test_empty_input(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    status, out, _ = run_execute(str(path), no_meta=True)
    assert (status, json.loads(out)) == (0, {})
    # With Meta, the outlier indicators report quartiles of nothing as null.
    status, out, _ = run_execute(str(path))
    meta = json.loads(out)["Meta"]
    assert meta["R024"] == {"q1": None, "q3": None, "lower_fence": None}
    assert meta["R048"] == {"q1": None, "q3": None, "upper_fence": None}
    assert "R038" not in meta  # nobody to compare


def test_blank_lines_and_non_objects_are_skipped(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b'\n  \n[1, 2]\n{"ocid":"F","tender":{"numberOfTenderers":1,"procurementMethod":"open"}}\n'
    )
    status, out, err = run_execute(str(path), no_meta=True)
    assert status == 0
    assert json.loads(out) == {"OCID": {"F": {"R018": 1.0}}}
    assert "1 líneas no son objetos JSON" in err


def test_bad_settings_and_missing_file(tmp_path):
    ini = tmp_path / "bad.ini"
    ini.write_text("[R003]\nthreshold = pronto\n", encoding="utf-8")
    status, out, err = run_execute(str(FIXTURES / "R" / "003.jsonl"), str(ini))
    assert (status, out) == (2, b"")
    assert "bad.ini, línea 2" in err
    status, _, err = run_execute(str(tmp_path / "nope.jsonl"))
    assert status == 1
    assert "no se puede leer" in err


def test_map_and_count():
    status, out, err = run_execute(
        str(FIXTURES / "R" / "028.jsonl"), str(FIXTURES / "settings.ini"), map=True, count=True
    )
    assert status == 0
    result = json.loads(out)
    assert result["Maps"]["ocid_tenderer_r028"] == {"F": ["D", "V"]}
    assert result["Maps"]["ocid_tenderer"] == {"F": ["D", "V"]}
    assert set(result["Maps"]) == {
        "ocid_buyer_r038",
        "ocid_procuringentity_r038",
        "ocid_tenderer",
        "ocid_tenderer_r024",
        "ocid_tenderer_r028",
        "ocid_tenderer_r030",
        "ocid_tenderer_r035",
        "ocid_tenderer_r058",
    }
    assert "OCID: 1\nTenderer: 2\n" in err


def test_map_of_r038_and_r024():
    status, out, _ = run_execute(
        str(FIXTURES / "R" / "038.jsonl"), str(FIXTURES / "settings.ini"), map=True, no_meta=True
    )
    assert json.loads(out)["Maps"]["ocid_buyer_r038"] == {"0": "B"}
    status, out, _ = run_execute(
        str(FIXTURES / "R" / "024.jsonl"), str(FIXTURES / "R" / "024.ini"), map=True, no_meta=True
    )
    assert json.loads(out)["Maps"]["ocid_tenderer_r024"] == {"F": ["L", "W"]}


def test_django_command():
    out = io.StringIO()
    call_command(
        "redflags",
        str(FIXTURES / "R" / "035.jsonl"),
        settings_file=str(FIXTURES / "R" / "035.ini"),
        no_meta=True,
        stdout=out,
    )
    assert json.loads(out.getvalue()) == {
        "OCID": {"F": {"R035": 1.0}},
        "Tenderer": {"V": {"R035": 0.0}},
    }


def test_django_command_fails_on_bad_input(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_bytes(b"{nope}\n")
    with pytest.raises(CommandError):
        call_command("redflags", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_warning_when_both_price_comparison_settings(tmp_path):
    ini = tmp_path / "both.ini"
    ini.write_text(
        "price_comparison_procurement_methods = A\nno_price_comparison_procurement_methods = B\n"
        "[R028]\n",
        encoding="utf-8",
    )
    status, out, err = run_execute(str(FIXTURES / "R" / "028.jsonl"), str(ini), no_meta=True)
    assert status == 0
    assert json.loads(out) == {}  # F has no procurementMethodDetails, so it is not compared
    assert "no tiene efecto" in err


def test_rows_for_a_table():
    from cocrea.money.redflags import load_settings, process

    engine = process(FIXTURES / "R" / "024.jsonl", load_settings(FIXTURES / "R" / "024.ini"))
    try:
        rows = list(engine.iter_rows())
    finally:
        engine.close()
    assert rows == [
        ("OCID", "F", "R024", 1.0),
        ("Tenderer", "W", "R024", 0.0),
        ("Tenderer", "L", "R024", 0.0),
    ]


def test_cocrea_console_command_takes_cardinal_options():
    """`cocrea redflags --settings F.ini FILE`, as the issue spells it."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cocrea.cli",
            "redflags",
            "--settings",
            str(FIXTURES / "R" / "024.ini"),
            "--no-meta",
            str(FIXTURES / "R" / "024.jsonl"),
        ],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "OCID": {"F": {"R024": 1.0}},
        "Tenderer": {"W": {"R024": 0.0}, "L": {"R024": 0.0}},
    }
