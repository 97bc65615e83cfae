"""After `cocrea demo`, the README's commands work as written in a new, clean shell.

The demo leaves its settings (a generated secret key) in COCREA_VAR_DIR/local.env; each
command below runs in a minimal environment (no SECRET_KEY, no DATABASE_URL, no debug) and
finds them there. Without that file a production start still refuses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ops_helpers import ROOT

pytestmark = pytest.mark.filterwarnings("ignore")

COCREA = str(Path(sys.executable).parent / "cocrea")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_env(var_dir: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "COCREA_VAR_DIR": str(var_dir),
    }


def cocrea(*args: str, env, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [COCREA, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("demo") / "var"
    env = shell_env(var_dir)
    done = cocrea("demo", "--no-serve", env=env, cwd=var_dir.parent)
    assert done.returncode == 0, done.stderr
    local = var_dir / "local.env"
    assert local.is_file() and (local.stat().st_mode & 0o077) == 0
    assert "SECRET_KEY=" in local.read_text()
    return var_dir, env


# (the form the README gives, the arguments run here)
COMMANDS = [
    ("cocrea load-reference", ["load-reference"]),
    ("cocrea import participants FILE.csv", ["import", "participants", "{participants}"]),
    ("cocrea export milestones [--entity CODE]", ["export", "milestones", "--entity", "17"]),
    ("cocrea import milestones FILE.csv", ["import", "milestones", "{milestones}"]),
    ("cocrea export cocreacion-propuestas", ["export", "cocreacion-propuestas"]),
    ("cocreacion-procesos [--entity CODE]", ["export", "cocreacion-procesos"]),
    ("cocrea money sync-flows [--force]", ["money", "sync-flows"]),
    ("cocrea events list", ["events", "list"]),
    ("cocrea worker [--batch]", ["worker", "--batch", "--no-startup-delay"]),
    ("cocrea manage …", ["manage", "check"]),
]


def test_readme_commands_run_in_a_new_shell(demo, tmp_path):
    var_dir, env = demo
    participants = tmp_path / "participantes.csv"
    participants.write_text(
        "entidad,organizacion,tipo,poder\nMorelos,Congreso del Estado,autoridad,legislativo\n",
        encoding="utf-8",
    )
    milestones = tmp_path / "hitos.csv"
    values = {"participants": str(participants), "milestones": str(milestones)}
    for form, args in COMMANDS:
        assert f"`{form}" in README or form in README, f"README lost «{form}»"
        done = cocrea(*[a.format(**values) for a in args], env=env, cwd=tmp_path)
        assert done.returncode == 0, f"{form}: {done.stderr[-2000:]}"
        if args[:2] == ["export", "milestones"]:
            milestones.write_text(done.stdout, encoding="utf-8")
            assert done.stdout.startswith("id,")
    again = cocrea("import", "milestones", str(milestones), env=env, cwd=tmp_path)
    assert again.returncode == 0 and " 0 actualizad" in again.stdout, again.stdout


def test_without_the_local_file_production_still_refuses(demo, tmp_path):
    _var_dir, env = demo
    done = cocrea("manage", "check", env={**env, "COCREA_VAR_DIR": str(tmp_path)}, cwd=tmp_path)
    assert done.returncode != 0 and "SECRET_KEY must be set" in done.stderr
