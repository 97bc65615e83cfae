"""Budget import into Parquet snapshots, validation errors, and the Fiscal Data Package."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cocrea.core.csvimport import ImportFailed
from cocrea.core.models import AuditEntry
from cocrea.money import services
from cocrea.money.budget import moments

HEADER = (
    "ciclo,entidad,ramo,unidad_responsable,programa,clave_programa,partida,"
    "fuente_financiamiento,aprobado,modificado,comprometido,devengado,ejercido,pagado\n"
)
GOOD = HEADER + (
    '2025,17,Salud,SSM,Atención médica,E001,21101,Estatal,"1,234,567.89",1234567.8,'
    "1000000,900000,800000,700000\n"
    '2025,7,Educación,SEM,Útiles escolares,S002,21101,FAEB,1234.5,"1,234.50",0,0,0,\n'
)


@pytest.fixture
def money_dir(settings, tmp_path):
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    return settings.COCREA_MONEY_DIR


def write(tmp_path, text, name="b.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def lines():
    return duckdb.sql(
        f"SELECT source, entidad, clave_programa, aprobado, modificado, pagado "
        f"FROM {moments.read_parquet_sql()} ORDER BY entidad, source"
    ).fetchall()


def test_parse_amount_formats():
    assert moments.parse_amount("1234.5") == Decimal("1234.50")
    assert moments.parse_amount("1,234.50") == Decimal("1234.50")
    assert moments.parse_amount("$ 1,234,567.89") == Decimal("1234567.89")
    assert moments.parse_amount("") == Decimal("0.00")
    for bad in ["1.234,50", "12,34", "1234.567", "abc", "-5"]:
        with pytest.raises(ValueError):
            moments.parse_amount(bad)


@pytest.mark.django_db
def test_import_writes_parquet_and_replaces_source(money_dir, tmp_path):
    result = services.import_budget(None, write(tmp_path, GOOD), "sefin-2025")
    assert result.lines == 2 and result.replaced == 0 and result.total_lines == 2
    assert result.totals["aprobado"] == Decimal("1235802.39")
    assert lines() == [
        ("sefin-2025", "07", "S002", Decimal("1234.50"), Decimal("1234.50"), Decimal("0.00")),
        (
            "sefin-2025",
            "17",
            "E001",
            Decimal("1234567.89"),
            Decimal("1234567.80"),
            Decimal("700000.00"),
        ),
    ]
    first = moments.current_snapshot()
    # Another source is added; the same source again replaces its own lines.
    services.import_budget(None, write(tmp_path, GOOD, "c.csv"), "otra")
    again = services.import_budget(None, write(tmp_path, GOOD), "sefin-2025")
    assert again.replaced == 2 and again.total_lines == 4
    assert moments.current_snapshot() != first
    assert sorted({row[0] for row in lines()}) == ["otra", "sefin-2025"]
    assert AuditEntry.objects.filter(action="money.budget.import").count() == 3


@pytest.mark.django_db
def test_bad_rows_name_line_and_field_and_import_nothing(money_dir, tmp_path):
    services.import_budget(None, write(tmp_path, GOOD), "base")
    before = moments.current_snapshot()
    bad = GOOD + (
        "20x5,17,Salud,SSM,Atención,E001,21101,Estatal,1,1,1,1,1,1\n"
        "2025,40,Salud,SSM,,E001,21101,Estatal,1.234,1,1,1,1,1\n"
    )
    with pytest.raises(ImportFailed) as info:
        services.import_budget(None, write(tmp_path, bad, "bad.csv"), "nueva")
    messages = [str(e) for e in info.value.errors]
    assert any(m.startswith("línea 4, campo «ciclo»") for m in messages)
    assert any(m.startswith("línea 5, campo «entidad»") for m in messages)
    assert any(m.startswith("línea 5, campo «programa»") for m in messages)
    assert any(m.startswith("línea 5, campo «aprobado»") and "1.234" in m for m in messages)
    assert moments.current_snapshot() == before
    assert {row[0] for row in lines()} == {"base"}


@pytest.mark.django_db
def test_missing_columns_and_empty_file(money_dir, tmp_path):
    with pytest.raises(ImportFailed) as info:
        services.import_budget(None, write(tmp_path, "ciclo,entidad\n2025,17\n"), "x")
    assert any("«pagado»" in str(e) for e in info.value.errors)
    with pytest.raises(ImportFailed):
        services.import_budget(None, write(tmp_path, HEADER), "x")
    assert moments.current_snapshot() is None


@pytest.mark.django_db
def test_command_and_registry(money_dir, tmp_path):
    out = io.StringIO()
    call_command("money_import_budget", str(write(tmp_path, GOOD)), source="cli", stdout=out)
    text = out.getvalue()
    assert "2 líneas importadas" in text
    assert "Aprobado: $1,235,802.39 MXN" in text
    err = io.StringIO()
    with pytest.raises(CommandError, match="No se importó nada"):
        call_command(
            "money_import_budget",
            str(write(tmp_path, HEADER + "2025,17,,,P,E1,,,x,0,0,0,0,0\n", "bad.csv")),
            source="cli",
            stderr=err,
        )
    assert "línea 2, campo «aprobado»" in err.getvalue()
    call_command(
        "import", "budget", str(write(tmp_path, GOOD, "Registro 2025.csv")), stdout=io.StringIO()
    )
    assert {row[0] for row in lines()} == {"cli", "registro-2025.csv"}


@pytest.mark.django_db
def test_fiscal_data_package_is_valid(money_dir, tmp_path):
    from frictionless import validate

    services.import_budget(None, write(tmp_path, GOOD), "sefin")
    out = io.StringIO()
    call_command("money_export_budget", str(tmp_path / "fdp"), stdout=out)
    descriptor = json.loads((tmp_path / "fdp" / "datapackage.json").read_text())
    assert set(descriptor["model"]["measures"]) == set(moments.MOMENTS)
    report = validate(str(tmp_path / "fdp" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    csv_text = (tmp_path / "fdp" / "presupuesto.csv").read_text()
    assert "sefin,2025,17,Salud,SSM,Atención médica,E001,21101,Estatal,1234567.89" in csv_text
    # Filter by entity.
    call_command("money_export_budget", str(tmp_path / "fdp7"), entity="7", stdout=out)
    rows = (tmp_path / "fdp7" / "presupuesto.csv").read_text().splitlines()
    assert len(rows) == 2 and ",07," in rows[1]
