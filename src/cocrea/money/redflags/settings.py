"""Settings in the INI format of Cardinal (`ocdscardinal indicators --settings`).

Properties before the first section are global (`currency`,
`price_comparison_procurement_methods`, `no_price_comparison_procurement_methods`).
A section named after an indicator code (e.g. `[R024]`) enables that indicator;
`[R003.procurement_method_details]` sets per-method thresholds (and enables R003).
Comments start with `;` or `#`, at the start of a line or after whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CODES = ("R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058")

# Allowed properties per section and their type: "int" (may be negative), "nat" (natural
# number), "float", "str" (pipe-separated lists are strings, split later).
_GLOBAL = {
    "currency": "str",
    "no_price_comparison_procurement_methods": "str",
    "price_comparison_procurement_methods": "str",
}
_SECTIONS: dict[str, dict[str, str]] = {
    "exclusions": {"procurement_method_details": "str"},
    "R003": {"threshold": "int", "procurement_methods": "str"},
    "R018": {"procurement_methods": "str"},
    "R024": {"threshold": "float"},
    "R025": {"percentile": "nat", "threshold": "float"},
    "R028": {},
    "R030": {},
    "R035": {"threshold": "nat"},
    "R036": {},
    "R038": {
        "threshold": "float",
        "minimum_submitted_bids": "nat",
        "minimum_contracting_processes": "nat",
    },
    "R048": {"digits": "nat", "threshold": "nat", "minimum_contracting_processes": "nat"},
    "R058": {"threshold": "float"},
}
# Sections that are ignored by the indicators command (they configure `prepare`).
_PREPARE_SECTIONS = ("defaults", "redactions", "corrections", "modifications", "codelists")

_SECTION_RE = re.compile(r"^\[\s*([^\]]+?)\s*\]$")
_INLINE_COMMENT_RE = re.compile(r"\s+[;#].*$")


class SettingsError(ValueError):
    """A settings file that cannot be used, with the line at fault."""


def split_pipes(value: str | None) -> frozenset[str]:
    """Split a pipe-separated list; a trailing pipe adds no empty member."""
    if not value:
        return frozenset()
    parts = value.split("|")
    if parts[-1] == "":
        parts.pop()
    return frozenset(parts)


@dataclass
class Settings:
    """Which indicators to run and how. An indicator runs if its code is in `enabled`."""

    enabled: set[str] = field(default_factory=set)
    currency: str | None = None
    no_price_comparison_procurement_methods: str | None = None
    price_comparison_procurement_methods: str | None = None
    exclusions: dict[str, str] = field(default_factory=dict)
    # Properties of each indicator section, already converted to int/float/str.
    indicators: dict[str, dict[str, object]] = field(default_factory=dict)
    r003_procurement_method_details: dict[str, int] = field(default_factory=dict)

    @classmethod
    def all_defaults(cls) -> Settings:
        """Every indicator enabled with its default configuration."""
        return cls(enabled=set(CODES))

    def get(self, code: str, key: str, default=None):
        return self.indicators.get(code, {}).get(key, default)


def _convert(kind: str, value: str, where: str):
    if kind == "str":
        return value
    if kind in {"int", "nat"}:
        if not re.fullmatch(r"[+-]?\d+", value) or (kind == "nat" and value.startswith("-")):
            expected = "un número natural" if kind == "nat" else "un número entero"
            raise SettingsError(f"{where}: se esperaba {expected}, no «{value}»")
        return int(value)
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{where}: se esperaba un número decimal, no «{value}»") from None
    return number


def parse_settings(text: str, name: str = "settings") -> Settings:
    """Parse the text of a settings file. Raises SettingsError naming the line at fault."""
    settings = Settings()
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        where = f"{name}, línea {number}"
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        match = _SECTION_RE.match(line)
        if match:
            section = match.group(1)
            if section in _SECTIONS:
                if section in CODES:
                    settings.enabled.add(section)
                    settings.indicators.setdefault(section, {})
            elif section == "R003.procurement_method_details":
                settings.enabled.add("R003")
                settings.indicators.setdefault("R003", {})
            elif section.split(".")[0] in _PREPARE_SECTIONS:
                pass
            else:
                raise SettingsError(f"{where}: sección desconocida [{section}]")
            continue
        if "=" not in line:
            raise SettingsError(f"{where}: se esperaba «nombre = valor» o «[sección]»")
        key, value = line.split("=", 1)
        key = key.strip()
        value = _INLINE_COMMENT_RE.sub("", value.strip()).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if not key:
            raise SettingsError(f"{where}: falta el nombre de la propiedad")
        if section is None:
            if key not in _GLOBAL:
                raise SettingsError(f"{where}: propiedad global desconocida «{key}»")
            setattr(settings, key, value)
        elif section == "exclusions":
            if key not in _SECTIONS["exclusions"]:
                raise SettingsError(f"{where}: propiedad desconocida «{key}» en [exclusions]")
            settings.exclusions[key] = value
        elif section == "R003.procurement_method_details":
            settings.r003_procurement_method_details[key] = _convert("int", value, where)
        elif section in _SECTIONS:
            allowed = _SECTIONS[section]
            if key not in allowed:
                raise SettingsError(f"{where}: propiedad desconocida «{key}» en [{section}]")
            settings.indicators[section][key] = _convert(allowed[key], value, where)
        # Properties of `prepare` sections are accepted and ignored.
    return settings


def load_settings(path: str | Path) -> Settings:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"{path}: no se puede leer ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: no está en UTF-8") from None
    return parse_settings(text, str(path))
