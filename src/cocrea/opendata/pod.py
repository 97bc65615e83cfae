"""The catalogue as Project Open Data v1.1 (DCAT-US) JSON: /data.json."""

from __future__ import annotations

from .catalogue import PUBLISHER, Entry, contact_email

CONFORMS_TO = "https://project-open-data.cio.gov/v1.1/schema"
DESCRIBED_BY = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def dataset(e: Entry) -> dict:
    out = {
        "@type": "dcat:Dataset",
        "identifier": e.landing_page,
        "title": e.title,
        "description": e.description,
        "keyword": list(e.keywords),
        "issued": _iso(e.issued),
        "modified": _iso(e.modified),
        "publisher": {"@type": "org:Organization", "name": PUBLISHER},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": PUBLISHER,
            "hasEmail": f"mailto:{contact_email()}",
        },
        "accessLevel": "public",
        "license": e.licence["url"],
        "rights": e.licence["title"],
        "spatial": e.spatial,
        "landingPage": e.landing_page,
        "language": ["es-MX"],
        "distribution": [
            {
                "@type": "dcat:Distribution",
                "title": d.title,
                "format": d.format,
                "mediaType": d.media_type,
                "downloadURL": d.url,
            }
            for d in e.distributions
        ],
    }
    if e.temporal:
        out["temporal"] = f"{e.temporal[0].isoformat()}/{e.temporal[1].isoformat()}"
    if e.dataset.group:
        out["theme"] = [str(e.dataset.group_title)]
    return out


def catalog(entries: list[Entry], self_url: str) -> dict:
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": self_url,
        "@type": "dcat:Catalog",
        "conformsTo": CONFORMS_TO,
        "describedBy": DESCRIBED_BY,
        "dataset": [dataset(e) for e in entries],
    }
