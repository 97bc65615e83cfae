"""All-or-nothing CSV imports that name every bad line and field.

An importer reads the whole file, validates every row, and only then writes,
inside one transaction. Line numbers are those of the file, the header being line 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"línea {self.line}" if self.line else "archivo"
        column = f", campo «{self.field}»" if self.field else ""
        return f"{where}{column}: {self.message}"


class ImportFailed(Exception):
    """Raised with every problem found; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def open_text(source: str | Path | IO[bytes] | IO[str]) -> IO[str]:
    """Open a path or a binary upload as UTF-8 text (a leading BOM is ignored)."""
    if isinstance(source, (str, Path)):
        return open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115
    if isinstance(source, io.TextIOBase):
        return source
    return io.TextIOWrapper(source, encoding="utf-8-sig", newline="")


def open_text_any_encoding(source: str | Path | IO[bytes]) -> tuple[IO[str], str]:
    """Read a whole file as text: UTF-8 (with or without BOM), else Windows-1252.

    Official catalogues (INEGI's among them) are often published in ISO-8859-1 or
    Windows-1252; both decode every byte, so UTF-8 is tried first and wins when valid.
    """
    if isinstance(source, (str, Path)):
        raw = Path(source).read_bytes()
    else:
        raw = source.read()
        if isinstance(raw, str):
            return io.StringIO(raw), "utf-8"
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return io.StringIO(raw.decode(encoding), newline=""), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def read_rows(stream: IO[str], required: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) pairs; raise ImportFailed for a bad header or encoding."""
    try:
        reader = csv.DictReader(stream)
        header = reader.fieldnames
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [RowError(0, "", f"el archivo no está en UTF-8 ({exc.reason})")]
        ) from exc
    if not header:
        raise ImportFailed([RowError(1, "", "el archivo está vacío o no tiene encabezado")])
    normalized = [(h or "").strip().lower() for h in header]
    missing = [c for c in required if c not in normalized]
    if missing:
        raise ImportFailed([RowError(1, c, "falta esta columna en el encabezado") for c in missing])
    reader.fieldnames = normalized
    previous_end = reader.line_num
    try:
        for row in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if None in row:
                yield start, {"__extra__": "1", **{k: v for k, v in row.items() if k}}
                continue
            cleaned = {k: (v or "").strip() for k, v in row.items() if k}
            if not any(cleaned.values()):
                continue  # blank line
            yield start, cleaned
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [RowError(previous_end + 1, "", f"texto que no está en UTF-8 ({exc.reason})")]
        ) from exc
    except csv.Error as exc:
        raise ImportFailed([RowError(reader.line_num, "", f"CSV mal formado: {exc}")]) from exc
