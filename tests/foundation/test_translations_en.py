"""The English interface (/en/...) is complete: every msgid has a translation and pages render it."""

import re
from pathlib import Path

import pytest
from django.utils import translation

import cocrea

PO = Path(cocrea.__file__).resolve().parent / "locale/en/LC_MESSAGES/django.po"


@pytest.fixture(autouse=True)
def _restore_language():
    """Requests to /en/ activate English in this thread; later tests must not inherit it."""
    previous = translation.get_language()
    yield
    if previous:
        translation.activate(previous)
    else:
        translation.deactivate()


def _unquote(lines: list[str]) -> str:
    return "".join(re.match(r'^"(.*)"$', line).group(1) for line in lines)


def po_entries(text: str) -> list[dict[str, str]]:
    """Tiny .po parser: returns one dict per entry with msgid, msgid_plural, msgstr, msgstr[N]."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry: dict[str, list[str]] = {}
        key = None
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d+\])?|msgctxt) (".*")$', line)
            if match:
                key = match.group(1)
                entry[key] = [match.group(2)]
            elif line.startswith('"') and key:
                entry[key].append(line)
        if "msgid" in entry:
            parsed = {k: _unquote(v) for k, v in entry.items()}
            parsed["fuzzy"] = "yes" if fuzzy else ""
            entries.append(parsed)
    return entries


def test_po_has_no_untranslated_or_fuzzy_entries():
    entries = [e for e in po_entries(PO.read_text(encoding="utf-8")) if e["msgid"]]
    assert len(entries) > 900
    untranslated = [
        e["msgid"]
        for e in entries
        if not (e.get("msgstr") or all(e.get(f"msgstr[{i}]") for i in (0, 1)))
    ]
    assert untranslated == []
    assert [e["msgid"] for e in entries if e["fuzzy"]] == []
    plurals = [e for e in entries if "msgid_plural" in e]
    assert plurals and all(e["msgstr[0]"] != e["msgstr[1]"] for e in plurals)


def test_placeholders_are_preserved():
    placeholder = re.compile(r"%\([^)]+\)[-\d.]*[sdf]|%%")
    for e in po_entries(PO.read_text(encoding="utf-8")):
        if not e["msgid"]:
            continue
        pairs = [(e["msgid"], e.get("msgstr", ""))]
        if "msgid_plural" in e:
            pairs = [(e["msgid"], e["msgstr[0]"]), (e["msgid_plural"], e["msgstr[1]"])]
        for source, target in pairs:
            assert sorted(placeholder.findall(source)) == sorted(placeholder.findall(target)), (
                source
            )


def test_compiled_catalog_translates_every_app():
    samples = {
        "Seguimiento de los planes de acción local": "Tracking of the local action plans",
        "Procesos de cocreación": "Co-creation processes",
        "Momentos del presupuesto": "Budget moments",
        "Eventos de Gobierno Abierto": "Open Government events",
        "Secretariado técnico local": "Local technical secretariat",
        "Banderas rojas": "Red flags",
        "Respuesta razonada": "Reasoned response",
        "Anotarme en la lista de espera": "Join the waiting list",
    }
    with translation.override("en"):
        for spanish, english in samples.items():
            assert translation.gettext(spanish) == english
        assert (
            translation.ngettext("%(n)d compromiso.", "%(n)d compromisos.", 1) % {"n": 1}
            == "1 commitment."
        )
        assert (
            translation.ngettext("%(n)d compromiso.", "%(n)d compromisos.", 3) % {"n": 3}
            == "3 commitments."
        )
    with translation.override("es-mx"):
        assert translation.gettext("Banderas rojas") == "Banderas rojas"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/en/seguimiento/", ["Tracking of the local action plans", "How is it calculated?"]),
        ("/en/seguimiento/metodologia/", ["How progress is calculated", "Aggregation rule"]),
        ("/en/cocreacion/", ["Co-creation processes", "There are no processes yet."]),
        ("/en/sigue-el-dinero/", ["Follow the Money", "Downloads (CSV, Parquet, OCDS)"]),
        ("/en/eventos/", ["Open Government events", "There are no upcoming events."]),
    ],
)
def test_english_pages_render_english(reference, client, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    for label in ["Plan tracking", "Co-creation", "Follow the Money", "Events"]:
        assert label in html
    for text in expected:
        assert text in html, text
    for spanish in ["Seguimiento de los planes", "Procesos de cocreación", "Próximos eventos"]:
        assert spanish not in html
