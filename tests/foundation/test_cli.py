"""The `cocrea` command end to end, as a person runs it, on its own SQLite file."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.filterwarnings("ignore")


def run(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "cocrea.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def cli_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env["COCREA_VAR_DIR"] = str(tmp_path / "var")
    env["COCREA_DEBUG"] = "1"
    return env


def test_reference_only_then_participants_import(cli_env, tmp_path):
    setup = run("demo", "--no-demo-data", "--no-serve", env=cli_env)
    assert setup.returncode == 0, setup.stderr
    assert "32 entidades, 26 adhesiones" in setup.stdout

    good = tmp_path / "p.csv"
    good.write_text(
        "entidad,organizacion,tipo,poder\n"
        "Morelos,Congreso del Estado,autoridad,legislativo\n"
        "estado de méxico,Instituto de Transparencia,organismo_garante,\n"
        "09,Red Ciudadana,sociedad_civil,\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text() + "Narnia,Otra,otro,\n", encoding="utf-8")

    failed = run("import", "participants", str(bad), env=cli_env)
    assert failed.returncode != 0
    assert "línea 5" in failed.stderr and "entidad" in failed.stderr

    ok = run("import", "participants", str(good), env=cli_env)
    assert ok.returncode == 0, ok.stderr
    again = run("import", "participants", str(good), env=cli_env)
    assert "0 nuevas, 0 actualizadas, 3 sin cambios" in again.stdout

    script = (
        "import json; from django.test import Client; "
        "print(json.dumps(Client(HTTP_HOST='localhost').get('/api/v1/stats/national').json()))"
    )
    shell = run("manage", "shell", "-c", script, env=cli_env)
    stats = json.loads(shell.stdout.strip().splitlines()[-1])
    assert stats["participants"]["authorities"] == 1
    assert stats["participants"]["guarantor_bodies"] == 1
    assert stats["participants"]["civil_society"] == 1


def test_help_lists_the_commands(cli_env):
    result = run("--help", env=cli_env)
    assert result.returncode == 0
    for command in ("demo", "serve", "manage", "load-reference", "import"):
        assert command in result.stdout


def test_secret_key_required_outside_debug(cli_env):
    env = {**cli_env, "COCREA_DEBUG": "0"}
    env.pop("SECRET_KEY", None)
    result = run("manage", "check", env=env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_serve_runs_gunicorn_with_collected_static_files(cli_env, tmp_path):
    import signal
    import socket
    import time
    import urllib.request

    assert run("demo", "--no-demo-data", "--no-serve", env=cli_env).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Production mode over plain HTTP on loopback: without COCREA_HTTPS=0 it redirects to https.
    env = {**cli_env, "COCREA_DEBUG": "0", "COCREA_HTTPS": "0", "SECRET_KEY": "test-serve-secret"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cocrea.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        body = None
        for _ in range(120):  # the server starts within seconds; give up after a minute
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body is not None, "gunicorn did not answer"
        assert "26</span> de las 32 entidades federativas" in body
        css = body.split('href="/static/cocrea/cocrea.')[1].split('"')[0]
        url = f"http://127.0.0.1:{port}/static/cocrea/cocrea.{css}"
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200 and b".card" in response.read()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
