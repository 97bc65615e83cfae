"""Fill English translations for Spanish msgids from scripts/translations_en.json.

Usage: uv run --with polib python scripts/translate_en.py
Writes the .po and the compiled .mo. Entries without a translation keep Spanish.
A plural entry (ngettext) takes a JSON list [singular, plural] and fills msgstr_plural.
"""

import json
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src/cocrea/locale/en/LC_MESSAGES/django.po"
TABLE = json.loads((ROOT / "scripts/translations_en.json").read_text(encoding="utf-8"))

po = polib.pofile(str(PO))
filled = missing = 0
for entry in po:
    if entry.msgid in TABLE:
        value = TABLE[entry.msgid]
        if entry.msgid_plural:
            if not isinstance(value, list) or len(value) != 2:
                raise SystemExit(f"plural entry needs [singular, plural]: {entry.msgid!r}")
            entry.msgstr_plural = {0: value[0], 1: value[1]}
        elif isinstance(value, list):
            raise SystemExit(f"not a plural entry: {entry.msgid!r}")
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = None
        filled += 1
    elif not (entry.msgstr or any(entry.msgstr_plural.values())):
        missing += 1
po.save(str(PO))
po.save_as_mofile(str(PO.with_suffix(".mo")))
print(f"{filled} translated, {missing} left in Spanish")
