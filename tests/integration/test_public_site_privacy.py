"""The whole demo, crawled as a visitor: every public page answers, no personal data leaks,
and the Spanish pages write their dates as Spanish does (lower-case months and days).

Loads every app's demo data, then follows the links of the public site (bounded), every
parameter-free GET endpoint of the OpenAPI document and every CSV download, and checks that
no e-mail address, phone number or private person's account name appears anywhere.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest

from cocrea.accounts.models import User
from cocrea.core.demo import load_demo_data
from cocrea.territory.services import load_reference

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(
    r"(?<![\w.,/-])(?:\+?52[ -]?)?(?:\(?\d{2,3}\)?[ -]?)\d{3,4}[ -]\d{4}(?![\w.,/-])"
)
HREF = re.compile(r'href="([^"#?][^"]*)"')
_MONTHS = "Enero|Febrero|Marzo|Abril|Mayo|Junio|Julio|Agosto|Septiembre|Octubre|Noviembre|Diciembre"
_SHORT = "Ene|Feb|Mar|Abr|May|Jun|Jul|Ago|Sep|Sept|Oct|Nov|Dic"
_DAYS = "Lunes|Martes|Miércoles|Jueves|Viernes|Sábado|Domingo"
# A date written with a capitalised month or day, which Spanish writes in lower case.
CAPITALISED_DATE = re.compile(
    rf"\b\d{{1,2}}(?: de)? (?:{_MONTHS}|{_SHORT})\b\.?|\b(?:{_MONTHS}|{_SHORT})\.?(?: de)? \d{{4}}\b"
    rf"|\b(?:{_DAYS}),? \d{{1,2}}\b"
)
SKIP_PREFIXES = ("/admin", "/static", "/media", "/i18n", "/cuenta", "/api/v1/docs")
MAX_PAGES = 400


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    # Sigue el Dinero writes Parquet snapshots: keep them out of the working tree.
    money_dir = override_settings(COCREA_MONEY_DIR=tmp_path_factory.mktemp("money"))
    money_dir.enable()
    with django_db_blocker.unblock():
        load_reference()
        load_demo_data(log=lambda *_: None)
        private = {
            "emails": set(User.objects.exclude(email="").values_list("email", flat=True)),
            "usernames": set(User.objects.values_list("username", flat=True)),
        }
    yield private
    with django_db_blocker.unblock():
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
    money_dir.disable()


def _allowed_email(address: str) -> bool:
    # Addresses of institutions printed on purpose: the open-data desk's mailbox, the
    # contact point that Project Open Data and DCAT require of a catalogue (/data.json).
    from django.conf import settings

    return address == settings.COCREA_OPEN_DATA_EMAIL


def _check_text(url: str, text: str, private: dict) -> list[str]:
    problems = []
    for match in EMAIL.findall(text):
        if not _allowed_email(match) and not match.endswith((".png", ".svg", ".js", ".css")):
            problems.append(f"{url}: e-mail {match}")
    for match in PHONE.findall(text):
        problems.append(f"{url}: phone-like {match}")
    for email in private["emails"]:
        if email in text:
            problems.append(f"{url}: user e-mail {email}")
    return problems


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


# Values for the required query parameters of the API's list endpoints.
QUERY_EXAMPLES = {"q": "de"}


@pytest.mark.django_db
def test_crawl_public_pages_api_and_downloads(demo_site, client):
    problems: list[str] = []
    broken: list[str] = []
    seen: set[str] = set()
    queue = deque(["/", "/en/", "/datos/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400 and response.status_code != 405:
            broken.append(f"{url}: {response.status_code}")
            continue
        if response.status_code in (301, 302):
            continue
        body = _body(response)
        problems += _check_text(url, body, demo_site)
        if "html" not in response.get("Content-Type", ""):
            continue
        if not url.startswith("/en/"):
            for match in CAPITALISED_DATE.findall(body):
                problems.append(f"{url}: capitalised date «{match}»")
        for href in HREF.findall(body):
            href = urldefrag(href)[0].replace("&amp;", "&")
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/"):
                continue
            if href.startswith(SKIP_PREFIXES) or href in seen:
                continue
            if any(seg.isdigit() and int(seg) > 0 for seg in href.split("/")) and len(seen) > 250:
                continue  # enough object pages; keep the crawl bounded
            queue.append(href)

    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        if "get" not in operations or "{" in path:
            continue
        # Required query parameters get an example value (a new one must be added here).
        required = [
            p["name"]
            for p in operations["get"].get("parameters", [])
            if p.get("required") and p["in"] == "query"
        ]
        response = client.get(path, {name: QUERY_EXAMPLES[name] for name in required})
        if response.status_code >= 400:
            broken.append(f"{path}: {response.status_code}")
            continue
        problems += _check_text(path, _body(response), demo_site)

    assert len(seen) > 30, f"the crawl reached only {len(seen)} pages"
    assert not broken, "\n".join(broken[:50])
    assert not problems, "\n".join(problems[:50])


@pytest.mark.django_db
def test_commitment_page_shows_its_origin_and_its_money(demo_site, client):
    from cocrea.money.models import Program
    from cocrea.participation.models import Proposal

    proposal = Proposal.objects.filter(
        response__commitment__isnull=False, response__published_at__isnull=False
    ).first()
    assert proposal is not None, "the demo has proposals incorporated into commitments"
    commitment = proposal.response.commitment
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert 'id="origen"' in html and proposal.title in html

    program = Program.objects.filter(commitment__isnull=False).first()
    assert program is not None, "the demo links programmes to Sigue el Dinero commitments"
    html = client.get(program.commitment.get_absolute_url()).content.decode()
    assert 'id="dinero"' in html and program.name in html


@pytest.mark.django_db
def test_entity_page_links_every_capability(demo_site, client):
    html = client.get("/entidades/morelos/").content.decode()
    for href in ("/seguimiento/morelos/", "/cocreacion/morelos/", "/sigue-el-dinero/morelos/"):
        assert f'href="{href}' in html, href


@pytest.mark.django_db
def test_pages_load_no_script_or_style_from_other_hosts(demo_site, client):
    """The platform must work on a closed network: no CDN, no external fonts or scripts."""
    external = re.compile(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//[^"]+"')
    for url in ("/", "/en/", "/seguimiento/", "/cocreacion/", "/sigue-el-dinero/", "/eventos/",
                "/entidades/morelos/", "/datos/", "/api/v1/docs", "/admin/login/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        found = external.findall(_body(response))
        assert not found, f"{url} loads {found}"
