"""Red flags of public procurement, compatible with Cardinal (`ocdscardinal indicators`).

Pure Python (no Django): `run(path_or_stream, settings)` returns the same JSON object as
Cardinal for the indicators R003, R018, R024, R025, R028, R030, R035, R036, R038, R048, R058.
`EXPLANATIONS` has a Spanish title and description of each, for the web pages.
"""

from .engine import Engine, InputError, compute, dumps, process, run
from .explanations import DISCLAIMER, EXPLANATIONS, GROUP_LABELS, describe, explain
from .settings import CODES, Settings, SettingsError, load_settings, parse_settings

__all__ = [
    "CODES",
    "DISCLAIMER",
    "EXPLANATIONS",
    "GROUP_LABELS",
    "Engine",
    "compute",
    "InputError",
    "Settings",
    "SettingsError",
    "describe",
    "dumps",
    "explain",
    "load_settings",
    "process",
    "parse_settings",
    "run",
]
