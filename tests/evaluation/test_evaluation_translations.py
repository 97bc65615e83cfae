"""The evaluation app's English catalogue is complete and keeps every placeholder."""

import re
from pathlib import Path

import cocrea.evaluation
from foundation.test_translations_en import po_entries

PO = Path(cocrea.evaluation.__file__).resolve().parent / "locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\([^)]+\)[-\d.]*[sdf]|%%")


def test_every_entry_translated_and_placeholders_kept():
    entries = [e for e in po_entries(PO.read_text(encoding="utf-8")) if e["msgid"]]
    assert len(entries) > 250
    assert [e["msgid"] for e in entries if e["fuzzy"]] == []
    for e in entries:
        pairs = [(e["msgid"], e.get("msgstr", ""))]
        if "msgid_plural" in e:
            pairs = [(e["msgid"], e["msgstr[0]"]), (e["msgid_plural"], e["msgstr[1]"])]
        for source, target in pairs:
            assert target, source
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(target)), (
                source
            )
    assert PO.with_suffix(".mo").stat().st_size > 1000
