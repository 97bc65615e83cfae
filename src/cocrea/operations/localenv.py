"""The local settings file of a demo: `COCREA_VAR_DIR/local.env` (never committed).

`cocrea demo` writes it once with a generated `SECRET_KEY`, so that every other command run
later in a new shell (`cocrea import participants FILE.csv`, …) finds the same settings as
the demo. The settings read it before anything else; variables of the environment win over
the file. A production start without `SECRET_KEY` and without such a file still refuses.
Plain `KEY=value` lines, read with python-dotenv; no Django import here.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from dotenv import dotenv_values

FILENAME = "local.env"


def var_dir(base_dir: Path) -> Path:
    return Path(os.environ.get("COCREA_VAR_DIR", base_dir / "var"))


def load(var: Path) -> Path | None:
    """Put the file's variables into os.environ (without overriding); its path, if any."""
    path = var / FILENAME
    if not path.is_file():
        return None
    for key, value in dotenv_values(path).items():
        if value is not None:
            os.environ.setdefault(key, value)
    return path


def ensure(var: Path) -> Path:
    """Create the file with a new secret key unless it exists; its path."""
    path = var / FILENAME
    if path.is_file():
        return path
    var.mkdir(parents=True, exist_ok=True)
    text = (
        "# Written once by `cocrea demo`: the settings of this local installation.\n"
        "# Never commit it. Variables of the environment take precedence.\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path
