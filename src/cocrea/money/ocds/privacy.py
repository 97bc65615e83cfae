"""Compiled releases as Cocrea publishes them: without contact points.

OCDS organisation references (parties, buyer, procuring entity, tenderers, suppliers, payers,
payees) may carry a ``contactPoint``: the name, e-mail, telephone or fax of a person. Cocrea
keeps what publishers sent in its private store, but personal data never appears in public
pages, APIs or downloads, so every compiled release that leaves the store goes through
`public_json`. Texts without the key (the usual case) are returned untouched, unparsed.
"""

from __future__ import annotations

from typing import Any

import orjson

CONTACT_KEY = "contactPoint"
_CONTACT_TEXT = b'"contactPoint"'


def without_contact_points(value: Any) -> Any:
    """Remove every ``contactPoint`` key from ``value`` (in place); return it."""
    if type(value) is dict:
        value.pop(CONTACT_KEY, None)
        for child in value.values():
            if type(child) is dict or type(child) is list:
                without_contact_points(child)
    elif type(value) is list:
        for child in value:
            if type(child) is dict or type(child) is list:
                without_contact_points(child)
    return value


def public_json(text: bytes) -> bytes:
    """The JSON text of a compiled release without its contact points."""
    if _CONTACT_TEXT not in text:
        return text
    return orjson.dumps(without_contact_points(orjson.loads(text)))
