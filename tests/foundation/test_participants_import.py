import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cocrea.core.csvimport import ImportFailed
from cocrea.core.models import AuditEntry
from cocrea.participants.models import Organization
from cocrea.participants.services import import_participants
from cocrea.territory.selectors import joined_adhesions


def seed_csv(path, authorities=80, guarantors=26, civil_society=123, extra_rows=()):
    """A participants file across the joined entities with the seed's totals."""
    entities = [a.entity for a in joined_adhesions()]
    powers = ["ejecutivo", "legislativo", "judicial", "autonomo", "municipal"]
    spellings = ["code", "name", "common_name"]
    rows = []
    for i in range(authorities):
        e = entities[i % len(entities)]
        rows.append([e.code, f"Autoridad {i} de {e.common_name}", "autoridad", powers[i % 5]])
    for i in range(guarantors):
        e = entities[i % len(entities)]
        rows.append(
            [getattr(e, spellings[i % 3]), f"Órgano Garante {e.name}", "organismo_garante", ""]
        )
    for i in range(civil_society):
        e = entities[i % len(entities)]
        rows.append([e.common_name.upper(), f"Colectivo Cívico Número {i}", "sociedad_civil", ""])
    rows.extend(extra_rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["entidad", "organizacion", "tipo", "poder", "sitio_web"])
        writer.writerows(rows)
    return path


def test_import_counts_match_the_seed_and_reimport_is_idempotent(reference, tmp_path, client):
    path = seed_csv(tmp_path / "participantes.csv")
    result = import_participants(path)
    assert (result.created, result.updated, result.unchanged) == (229, 0, 0)
    stats = client.get("/api/v1/stats/national").json()
    assert stats["participants"] == {
        "authorities": 80,
        "guarantor_bodies": 26,
        "civil_society": 123,
        "academia": 0,
        "other": 0,
    }
    audits = AuditEntry.objects.count()
    again = import_participants(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 229)
    assert Organization.objects.count() == 229
    assert AuditEntry.objects.count() == audits


def test_names_match_ignoring_case_accents_and_punctuation(reference):
    first = "entidad,organizacion,tipo,poder\nMorelos,Ciudadanía Activa A.C.,sociedad_civil,\n"
    second = "entidad,organizacion,tipo,poder\n17,CIUDADANIA ACTIVA AC,Sociedad Civil,\n"
    import_participants(io.StringIO(first))
    result = import_participants(io.StringIO(second))
    assert result.updated == 1
    assert Organization.objects.get().name == "CIUDADANIA ACTIVA AC"


def test_one_bad_row_imports_nothing_and_names_line_and_field(reference, tmp_path):
    path = seed_csv(
        tmp_path / "malo.csv",
        extra_rows=[["Atlantis", "Organización Perdida", "sociedad_civil", ""]],
    )
    with pytest.raises(ImportFailed) as exc:
        import_participants(path)
    assert [(e.line, e.field) for e in exc.value.errors] == [(231, "entidad")]
    assert "Atlantis" in str(exc.value)
    assert Organization.objects.count() == 0


def test_every_bad_row_is_reported(reference):
    text = (
        "entidad,organizacion,tipo,poder\n"
        "Morelos,Congreso de Morelos,autoridad,\n"  # line 2: authority without power
        "Morelos,,sociedad_civil,\n"  # line 3: empty name
        "Jalisco,Instituto X,organismo_garante,judicial\n"  # line 4: power on a non-authority
        "Jalisco,Red Y,sindicato,\n"  # line 5: unknown type
        "Jalisco,Red Z,sociedad_civil,\n"  # fine
        "Jalisco,RED Z,sociedad_civil,\n"  # line 7: duplicate of line 6
        "Oaxaca,Tribunal,autoridad,imperial\n"  # line 8: unknown power
    )
    with pytest.raises(ImportFailed) as exc:
        import_participants(io.StringIO(text))
    assert [(e.line, e.field) for e in exc.value.errors] == [
        (2, "poder"),
        (3, "organizacion"),
        (4, "poder"),
        (5, "tipo"),
        (7, "organizacion"),
        (8, "poder"),
    ]
    assert Organization.objects.count() == 0


def test_missing_column_and_empty_file_are_clear_errors(reference):
    with pytest.raises(ImportFailed) as exc:
        import_participants(io.StringIO("entidad,nombre\nMorelos,X\n"))
    assert [(e.line, e.field) for e in exc.value.errors] == [(1, "organizacion"), (1, "tipo")]
    with pytest.raises(ImportFailed) as exc:
        import_participants(io.StringIO(""))
    assert exc.value.errors[0].line == 1


def test_non_utf8_file_is_refused(reference, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "entidad,organizacion,tipo,poder\nMorelos,Ciudadanía,sociedad_civil,\n".encode("latin-1")
    )
    with pytest.raises(ImportFailed) as exc:
        import_participants(path)
    assert "UTF-8" in str(exc.value)
    assert Organization.objects.count() == 0


def test_extra_columns_are_kept(reference):
    text = "entidad,organizacion,tipo,poder,sitio_web\nMorelos,Red A,sociedad_civil,,https://a.mx\n"
    import_participants(io.StringIO(text))
    assert Organization.objects.get().extra == {"sitio_web": "https://a.mx"}


def test_cli_command_exits_nonzero_and_names_the_row(reference, tmp_path, capsys):
    path = tmp_path / "malo.csv"
    path.write_text(
        "entidad,organizacion,tipo,poder\nMorelos,Red A,sociedad_civil,\nMars,Red B,otro,\n"
    )
    with pytest.raises(CommandError):
        call_command("import", "participants", str(path))
    err = capsys.readouterr().err
    assert "línea 3" in err and "entidad" in err
    assert Organization.objects.count() == 0
