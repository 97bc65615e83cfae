"""The open-data catalogue at /datos/: every public dataset that an app registered, by app.

With the whole demo loaded, every dataset is listed; each CSV link, JSON link and other
download answers 200 with no e-mail address, phone number or private person's identity;
every JSON link is a path of the OpenAPI document.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from cocrea.core import registry

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(
    r"(?<![\w.,/-])(?:\+?52[ -]?)?(?:\(?\d{2,3}\)?[ -]?)\d{3,4}[ -]\d{4}(?![\w.,/-])"
)
HREF = re.compile(r'<a href="([^"]+)"')

# Every capability publishes its datasets; a registration that disappears must fail here.
EXPECTED = {
    "entidades", "participantes", "planes", "compromisos", "hitos", "cocreacion-procesos",
    "cocreacion-propuestas", "dinero-programas", "dinero-presupuesto", "dinero-procesos",
    "dinero-adjudicaciones", "dinero-contratos", "dinero-pagos", "dinero-banderas",
    "dinero-proveedores", "dinero-compradores", "eventos", "eventos-programa",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _restore_language():
    """Requests to /en/ activate English in this thread; later tests must not inherit it."""
    previous = translation.get_language()
    yield
    translation.activate(previous) if previous else translation.deactivate()


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (every app's loader), Sigue el Dinero files in a temporary directory."""
    from django.core.management import call_command
    from django.test import override_settings

    from cocrea.accounts.models import User
    from cocrea.core.demo import load_demo_data
    from cocrea.events.models import Registration
    from cocrea.participation.models import Proposal
    from cocrea.territory.services import load_reference

    money_dir = override_settings(COCREA_MONEY_DIR=tmp_path_factory.mktemp("money"))
    money_dir.enable()
    with django_db_blocker.unblock():
        load_reference()
        load_demo_data(log=lambda *_: None)
        private = {
            "emails": set(User.objects.exclude(email="").values_list("email", flat=True))
            | set(Registration.objects.values_list("email", flat=True)),
            "registrants": set(Registration.objects.values_list("name", flat=True)),
            "proposers": set(
                Proposal.objects.values_list("author__username", flat=True).distinct()
            ),
        }
    yield private
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
    money_dir.disable()


def _body(response, tmp_path=None) -> str:
    """The response as text; a Parquet file is read back and its values joined."""
    data = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if "parquet" not in response.get("Content-Type", ""):
        return data.decode("utf-8", "replace")
    import duckdb

    path = tmp_path / "download.parquet"
    path.write_bytes(data)
    rows = duckdb.connect().execute(f"SELECT * FROM read_parquet('{path}')").fetchall()
    return "\n".join("\t".join(str(v) for v in row) for row in rows)


def _personal_data(url: str, text: str, private: dict) -> list[str]:
    found = [f"{url}: e-mail {m}" for m in EMAIL.findall(text)]
    found += [f"{url}: phone-like {m}" for m in PHONE.findall(text)]
    found += [f"{url}: e-mail {e}" for e in private["emails"] if e and e in text]
    found += [f"{url}: registrant {n}" for n in private["registrants"] if n and n in text]
    found += [
        f"{url}: proposer account {u}"
        for u in private["proposers"]
        if u and re.search(rf"(?<![\w-]){re.escape(u)}(?![\w-])", text)
    ]
    return found


def test_every_capability_registers_its_datasets():
    assert set(registry.DATASETS) >= EXPECTED
    groups = {d.group for d in registry.DATASETS.values()}
    assert {"territory", "participants", "plans", "participation", "money", "events"} <= groups
    for dataset in registry.DATASETS.values():
        assert dataset.csv_url or dataset.json_url or dataset.other_formats, dataset.name
    # Sigue el Dinero: every table has its CSV download and its JSON list.
    for name in (n for n in EXPECTED if n.startswith("dinero-")):
        dataset = registry.DATASETS[name]
        assert dataset.csv_url and dataset.json_url.startswith("/api/v1/money/"), name


@pytest.mark.django_db
def test_catalogue_lists_every_dataset_by_capability(demo_site, client):
    html = client.get("/datos/").content.decode()
    titles = re.findall(r"<h2>([^<]+)</h2>", html)
    assert titles[:6] == [
        "Territorio e iniciativa", "Participantes", "Secretariados y planes de acción",
        "Cocreación", "Sigue el Dinero", "Eventos",
    ]  # fmt: skip
    for dataset in registry.DATASETS.values():
        assert f'<tr id="{dataset.name}">' in html, dataset.name
        row = html.split(f'<tr id="{dataset.name}">', 1)[1].split("</tr>", 1)[0]
        assert str(dataset.title) in row
        links = set(HREF.findall(row))
        expected = {dataset.csv_url, dataset.json_url, dataset.page_url}
        expected |= {f.url for f in dataset.other_formats}
        assert links == expected - {None}, dataset.name
        assert "sin datos por ahora" not in row, f"{dataset.name} has no data in the demo"
    # The foundation's datasets keep their URLs.
    assert registry.DATASETS["entidades"].csv_url == "/datos/entidades.csv"
    assert registry.DATASETS["participantes"].csv_url == "/datos/participantes.csv"


@pytest.mark.django_db
def test_every_link_answers_without_personal_data(demo_site, client, tmp_path):
    assert all(demo_site.values()), "the demo has users, registrants and proposers to look for"
    problems, broken, checked = [], [], 0
    for dataset in registry.DATASETS.values():
        urls = [dataset.csv_url, dataset.json_url] + [f.url for f in dataset.other_formats]
        for url in filter(None, urls):
            response = client.get(url)
            checked += 1
            if response.status_code != 200:
                broken.append(f"{dataset.name}: {url} → {response.status_code}")
                continue
            body = _body(response, tmp_path)
            if not body.strip():
                broken.append(f"{dataset.name}: {url} is empty")
            problems += _personal_data(url, body, demo_site)
    assert checked >= 40, checked
    assert not broken, "\n".join(broken)
    assert not problems, "\n".join(problems[:50])


@pytest.mark.django_db
def test_csv_and_json_links_hold_the_data(demo_site, client):
    for dataset in registry.DATASETS.values():
        if dataset.csv_url:
            response = client.get(dataset.csv_url)
            assert response["Content-Type"].startswith("text/csv"), dataset.name
            lines = _body(response).lstrip("\ufeff").strip().splitlines()
            assert len(lines) >= 2, f"{dataset.name}: {dataset.csv_url} has no rows"
            if dataset.columns:
                assert lines[0] == ",".join(dataset.columns)
        if dataset.json_url:
            data = client.get(dataset.json_url).json()
            assert isinstance(data, list) and data, f"{dataset.name}: {dataset.json_url}"


@pytest.mark.django_db
def test_json_links_are_documented_in_openapi(demo_site, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    json_urls = {d.name: d.json_url for d in registry.DATASETS.values() if d.json_url}
    assert len(json_urls) >= 16
    # Every dataset has its JSON list (Sigue el Dinero's too: budget, processes, awards...).
    for name in EXPECTED:
        assert name in json_urls, f"{name} has no JSON endpoint"
    for name, url in json_urls.items():
        assert url in paths and "get" in paths[url], f"{name}: {url} is not in the OpenAPI"


@pytest.mark.django_db
def test_catalogue_in_english_links_to_english_pages(demo_site, client):
    html = client.get("/en/datos/").content.decode()
    assert "<h1>Open data</h1>" in html
    assert "Action plans" in html or "action plans" in html
    for href in ("/en/datos/entidades.csv", "/en/seguimiento/descargas/planes.csv",
                 "/en/cocreacion/datos/propuestas.csv", "/en/sigue-el-dinero/descargas/procesos.csv",
                 "/en/datos/eventos.csv", 'href="/api/v1/plans"'):  # fmt: skip
        assert href in html, href
    response = client.get("/en/datos/eventos-programa.csv")
    assert response.status_code == 200 and "evento,sesion_id" in _body(response)


@pytest.mark.django_db
def test_catalogue_page_runs_no_query_per_dataset(demo_site, client, django_assert_max_num_queries):
    # Each dataset's last update comes from its own data (cocrea.opendata): its coverage
    # runs at most two aggregate queries, whatever the number of rows.
    with django_assert_max_num_queries(2 + 2 * len(registry.DATASETS)):
        assert client.get("/datos/").status_code == 200


@pytest.mark.django_db
def test_app_served_and_unknown_names_are_not_served_under_datos(demo_site, client):
    assert client.get("/datos/no-existe.csv").status_code == 404
    # Plans serve their own CSV; /datos/ only serves datasets registered with rows().
    assert client.get("/datos/planes.csv").status_code == 404
    assert client.get("/datos/eventos.csv").status_code == 200


@pytest.mark.django_db
def test_money_datasets_without_files_are_shown_without_links(
    reference, client, settings, tmp_path
):
    settings.COCREA_MONEY_DIR = tmp_path / "empty"
    html = client.get("/datos/").content.decode()
    row = html.split('<tr id="dinero-presupuesto">', 1)[1].split("</tr>", 1)[0]
    assert "sin datos por ahora" in row and "presupuesto.csv" not in row
    programs = html.split('<tr id="dinero-programas">', 1)[1].split("</tr>", 1)[0]
    assert "programas.csv" in programs  # served from the database, always available
