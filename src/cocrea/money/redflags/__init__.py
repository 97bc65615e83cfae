"""Red flags of public procurement, compatible with Cardinal (`ocdscardinal indicators`).

Pure Python (no Django): `run(path_or_stream, settings)` returns the same JSON object as
Cardinal for the indicators R003, R018, R024, R025, R028, R030, R035, R036, R038, R048, R058
(groups OCID, Buyer, ProcuringEntity, Tenderer; Meta with quartiles and fences rounded to 4
decimals; Maps with --map), with the same INI settings and exclusions. `compute(releases)`
does the same for releases already in memory. `EXPLANATIONS` and `describe()` give a Spanish
title and description of each flag, for the web pages.

Where this differs from Cardinal, on purpose:
- Without a settings file every indicator runs with its defaults (Cardinal runs none).
- A line that is not JSON stops the run with its line number (Cardinal warns and skips it).
  Blank lines are skipped and JSON values that are not objects are skipped with a warning.
- Lines are read in order, so the "first observed currency" is the first in the file
  (Cardinal reads in parallel). As in Cardinal, each ocid is expected on one line only.
- Settings may carry inline comments (`threshold = 15 ; default`).
"""

from .engine import Engine
from .explanations import DISCLAIMER, EXPLANATIONS, GROUP_LABELS, describe, explain
from .files import compute, process, run
from .reading import InputError, dumps
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
