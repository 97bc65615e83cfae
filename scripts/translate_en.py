"""Fill English translations for Spanish msgids from scripts/translations_en.json.

Usage: uv run --with polib python scripts/translate_en.py
(then `cocrea manage compilemessages`). Entries without a translation keep Spanish.
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
        entry.msgstr = TABLE[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    elif not entry.msgstr:
        missing += 1
po.save(str(PO))
po.save_as_mofile(str(PO.with_suffix(".mo")))
print(f"{filled} translated, {missing} left in Spanish")
