import csv
import io

from cocrea.participants.models import Organization, OrganizationType


def test_national_stats_reproduce_the_seed(reference, client):
    data = client.get("/api/v1/stats/national").json()
    assert data["entities_total"] == 32
    assert data["entities_joined"] == 26
    assert data["joined_by_year"] == {"2015": 13, "2016": 10, "2017": 3}


def test_entities_endpoint(reference, client):
    rows = client.get("/api/v1/entities").json()
    assert len(rows) == 32
    mexico = next(r for r in rows if r["code"] == "15")
    assert mexico == {
        "code": "15",
        "name": "México",
        "common_name": "Estado de México",
        "slug": "estado-de-mexico",
        "joined": True,
        "adhesion_year": 2016,
        "adhesion_date": None,
    }
    assert sum(r["joined"] for r in rows) == 26
    one = client.get("/api/v1/entities/17").json()
    assert one["common_name"] == "Morelos" and one["adhesion_year"] == 2015
    assert client.get("/api/v1/entities/99").status_code == 404


def test_openapi_documents_the_endpoints(reference, client):
    spec = client.get("/api/v1/openapi.json").json()
    for path in ["/api/v1/entities", "/api/v1/entities/{code}", "/api/v1/stats/national"]:
        assert path in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_csv_downloads_have_no_personal_data(users, reference, client):
    Organization.objects.create(
        entity=reference["17"], name="Red Ciudadana", type=OrganizationType.CIVIL_SOCIETY
    )
    response = client.get("/datos/participantes.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"entidad", "organizacion", "tipo", "poder"} <= set(rows[0])
    assert any(r["organizacion"] == "Red Ciudadana" for r in rows)
    for user in users.values():
        assert user.email not in text and user.username not in text
    entities = b"".join(client.get("/datos/entidades.csv").streaming_content).decode("utf-8-sig")
    assert len(entities.strip().splitlines()) == 33
    assert client.get("/datos/no-existe.csv").status_code == 404


def test_dashboard_shows_headline_years_map_and_summary(reference, client):
    html = client.get("/").content.decode()
    assert "26</span> de las 32 entidades federativas" in html
    assert "A la fecha, 26 de las 32 entidades federativas se han sumado" in html
    assert "En 2015, se sumaron Morelos, Durango" in html
    assert "y en 2017, Guanajuato, Quintana Roo y Baja California Sur." in html
    assert html.count('<path class="year-') == 26
    assert html.count('<path class="not-joined"') == 6
    assert 'href="/entidades/morelos/" aria-label="Morelos: se sumó en 2015"' in html
    assert "CC BY 4.0" in html


def test_dashboard_in_english(reference, client):
    html = client.get("/en/").content.decode()
    assert "To date, 26 of the 32 federal entities have joined" in html
    assert "26</span> of the 32 federal entities" in html
    assert "Adhesion map by year" in html
    assert 'lang="en"' in html


def test_dashboard_queries_do_not_grow_with_participants(
    reference, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = {url: count(url) for url in ("/", "/entidades/morelos/")}
    entity = reference["17"]
    Organization.objects.bulk_create(
        Organization(
            entity=entity, name=f"Org {i}", normalized_name=f"org {i}", type="sociedad_civil"
        )
        for i in range(2000)
    )
    assert {url: count(url) for url in small} == small
    # Nine: the national picture counts municipalities that joined (one grouped query).
    with django_assert_max_num_queries(9):
        assert client.get("/").status_code == 200
    # The entity page also asks every capability for its summary block.
    with django_assert_max_num_queries(20):
        assert client.get("/entidades/morelos/").status_code == 200


def test_entity_page(reference, client):
    Organization.objects.create(
        entity=reference["17"], name="Congreso del Estado", type="autoridad", power="legislativo"
    )
    html = client.get("/entidades/morelos/").content.decode()
    assert "Se sumó a Gobierno Abierto: Cocreación desde lo local en 2015." in html
    assert "Congreso del Estado" in html and "Legislativo" in html
    html = client.get("/entidades/colima/").content.decode()
    assert "aún no se suma" in html
    assert client.get("/entidades/atlantis/").status_code == 404


def test_demo_banner_only_with_demo_data(reference, client):
    from cocrea.core.models import DemoDataset

    assert "Datos de demostración" not in client.get("/").content.decode()
    DemoDataset.objects.create(seed=1)
    assert "Datos de demostración" in client.get("/").content.decode()


def test_entity_page_shows_registered_capability_sections(reference, client):
    from cocrea.core import registry

    def summary(entity):
        if entity.code != "17":
            return None
        return {
            "title": "Plan de acción",
            "url": "/seguimiento/morelos/",
            "facts": ["3 compromisos"],
        }

    registry.register_entity_section("test-section", summary, order=1)
    try:
        html = client.get("/entidades/morelos/").content.decode()
        assert '<a href="/seguimiento/morelos/">Plan de acción</a>' in html
        assert "<li>3 compromisos</li>" in html
        assert "Plan de acción" not in client.get("/entidades/jalisco/").content.decode()
    finally:
        registry.ENTITY_SECTIONS[:] = [
            s for s in registry.ENTITY_SECTIONS if s.name != "test-section"
        ]
