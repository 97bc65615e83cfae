"""/datos/ for people: searchable, each dataset with its formats, size, licence, last
update (from its data) and an example call."""

from __future__ import annotations

import re

import pytest

from cocrea.core import registry


@pytest.mark.django_db
def test_page_lists_formats_licence_last_update_and_example(demo_site, client):
    from cocrea.opendata.catalogue import entries

    html = client.get("/datos/").content.decode()
    assert 'rel="license" href="https://datos.gob.mx/libreusomx"' in html
    for link in ("/data.json", "/catalogo.jsonld", "/catalogo.ttl", "/api/3/action/package_search",
                 "/datos/avisos/compromisos.atom", "/datos/avisos/banderas.atom"):  # fmt: skip
        assert f'href="{link}"' in html, link
    national = {e.id: e for e in entries() if e.entity is None}
    for d in registry.DATASETS.values():
        row = html.split(f'<tr id="{d.name}">', 1)[1].split("</tr>", 1)[0]
        assert f'href="/datos/conjuntos/{d.name}/"' in row
        assert "curl -s" in row and d.json_url in row, d.name  # the example call
        stamp = re.search(r'<time datetime="([^"]+)"', row)
        assert stamp, f"{d.name} shows no last update"
        assert stamp.group(1) == national[d.name].modified.astimezone().isoformat(), d.name
        for f in d.other_formats:
            assert f'href="{f.url}"' in row
        # The size: the number of records, as the data counts them (when the store tells).
        size = re.search(r"<td data-records>([^<]*)<", row)
        records = national[d.name].coverage.records
        if records is not None:
            assert size and size.group(1).replace(",", "") == str(records), d.name
    counted = [e for e in national.values() if e.coverage.records]
    assert len(counted) >= 10, "most datasets say how many records they have"


@pytest.mark.django_db
def test_page_search(demo_site, client):
    html = client.get("/datos/", {"q": "contratación"}).content.decode()
    rows = re.findall(r'<tr id="([^"]+)">', html)
    assert "dinero-procesos" in rows and "eventos" not in rows
    assert "conjuntos encontrados" in html
    html = client.get("/datos/", {"q": "OGP"}).content.decode()
    # The commitments in OGP's layout, and the evaluation's ratings in the same layout.
    assert re.findall(r'<tr id="([^"]+)">', html) == ["compromisos-ogp", "evaluacion-compromisos"]
    html = client.get("/datos/", {"q": "zzzz-nada"}).content.decode()
    assert "Ningún conjunto de datos coincide" in html
    english = client.get("/en/datos/").content.decode()
    assert "<h1>Open data</h1>" in english
