"""Text helpers shared by importers and look-ups."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")


def normalize(value: str) -> str:
    """Lower-case, accent-free, single-spaced form used to match names.

    "  Ciudad de MÉXICO " and "ciudad de mexico" normalise to the same key.
    """
    return _SPACES.sub(" ", unidecode(value or "").lower()).strip()


def normalize_name(value: str) -> str:
    """Like `normalize`, also ignoring punctuation: "A.C." and "AC" match."""
    return _SPACES.sub(" ", _PUNCT.sub("", normalize(value))).strip()
