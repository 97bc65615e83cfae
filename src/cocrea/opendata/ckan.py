"""A subset of CKAN's Action API v3 over the catalogue (what harvesters such as
datos.gob.mx's call): status_show, package_list, package_show, package_search,
organization_list, organization_show, group_list, group_show, resource_show.

Answers use CKAN's envelope (``help``, ``success``, ``result`` or ``error`` with its
``__type``) and status codes: 404 "Not Found Error", 409 "Validation Error" and "Search Query
Error", 400 for an unknown action or a body that is not JSON. One organisation per entity
(plus ``nacional`` for the national datasets); one group per publishing capability.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import UTC, datetime

from cocrea.territory.models import Entity

from .catalogue import NATIONAL_ORG, PUBLISHER, Entry

CKAN_VERSION = "2.10.4"
MAX_ROWS = 1000
NAMESPACE = uuid.UUID("8f7c3f0e-6a57-4a4e-9d0f-6b2f0c0d6a11")
SORT_FIELDS = {"name", "title_string", "metadata_modified", "metadata_created", "score"}


class ActionError(Exception):
    def __init__(self, status: int, kind: str, message: str = "", fields: dict | None = None):
        super().__init__(message)
        self.status, self.kind, self.message, self.fields = status, kind, message, fields or {}

    def error(self) -> dict:
        out = {"__type": self.kind}
        if self.message:
            out["message"] = self.message
        out.update(self.fields)
        return out


def not_found(what: str) -> ActionError:
    return ActionError(404, "Not Found Error", f"Not found: {what}")


def invalid(field: str, message: str) -> ActionError:
    return ActionError(409, "Validation Error", "", {field: [message]})


def _uuid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


def _ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _tag(keyword: str) -> str:
    return re.sub(r"[^\w\-. ]", "", keyword, flags=re.UNICODE).strip()[:100] or "datos"


# ------------------------------------------------------------------ organisations and groups
def organizations(entities: list[Entity]) -> list[dict]:
    national = {
        "name": NATIONAL_ORG,
        "title": "Nacional",
        "description": "Conjuntos de datos de todo el país. " + PUBLISHER,
    }
    items = [national] + [
        {
            "name": e.slug,
            "title": e.common_name,
            "description": f"{e.name} (clave INEGI {e.code}).",
        }
        for e in entities
    ]
    for item in items:
        item.update(
            id=_uuid("organization", item["name"]),
            display_name=item["title"],
            type="organization",
            is_organization=True,
            state="active",
            approval_status="approved",
            image_url="",
        )
    return items


def organization_dict(org: dict, entries: list[Entry], with_datasets: bool) -> dict:
    mine = [e for e in entries if e.organization == org["name"]]
    out = {**org, "package_count": len(mine)}
    if with_datasets:
        out["packages"] = [package(e) for e in mine]
    return out


def groups(entries: list[Entry]) -> list[dict]:
    seen: dict[str, dict] = {}
    for e in entries:
        if e.group not in seen:
            seen[e.group] = {
                "id": _uuid("group", e.group),
                "name": e.group,
                "title": str(e.dataset.group_title),
                "display_name": str(e.dataset.group_title),
                "description": "",
                "type": "group",
                "is_organization": False,
                "state": "active",
                "approval_status": "approved",
                "image_url": "",
                "package_count": 0,
            }
        seen[e.group]["package_count"] += 1
    return list(seen.values())


# ------------------------------------------------------------------------------ packages
def resource(e: Entry, d, position: int) -> dict:
    return {
        "id": _uuid("resource", d.url),
        "package_id": _uuid("package", e.id),
        "name": d.title,
        "description": "",
        "format": d.format,
        "mimetype": d.media_type,
        "url": d.url,
        "url_type": None,
        "position": position,
        "created": _ts(e.issued),
        "last_modified": _ts(e.modified),
        "metadata_modified": _ts(e.modified),
        "state": "active",
    }


def package(e: Entry) -> dict:
    org = e.organization
    org_title = e.entity.common_name if e.entity else "Nacional"
    extras = [{"key": "spatial_text", "value": e.spatial}]
    if e.temporal:
        extras += [
            {"key": "temporal_start", "value": e.temporal[0].isoformat()},
            {"key": "temporal_end", "value": e.temporal[1].isoformat()},
        ]
    if e.issued:
        extras.append({"key": "issued", "value": e.issued.isoformat()})
    if e.modified:
        extras.append({"key": "modified", "value": e.modified.isoformat()})
    resources = [resource(e, d, i) for i, d in enumerate(e.distributions)]
    tags = [{"name": _tag(k), "display_name": _tag(k), "state": "active"} for k in e.keywords]
    return {
        "id": _uuid("package", e.id),
        "name": e.id,
        "title": e.title,
        "notes": e.description,
        "url": e.landing_page,
        "type": "dataset",
        "state": "active",
        "private": False,
        "author": PUBLISHER,
        "maintainer": PUBLISHER,
        "license_id": e.licence["id"],
        "license_title": e.licence["title"],
        "license_url": e.licence["url"],
        "isopen": True,
        "metadata_created": _ts(e.issued),
        "metadata_modified": _ts(e.modified),
        "owner_org": _uuid("organization", org),
        "organization": {
            "id": _uuid("organization", org),
            "name": org,
            "title": org_title,
            "type": "organization",
            "is_organization": True,
            "state": "active",
        },
        "groups": [
            {
                "id": _uuid("group", e.group),
                "name": e.group,
                "title": str(e.dataset.group_title),
                "display_name": str(e.dataset.group_title),
            }
        ],
        "tags": tags,
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "extras": extras,
    }


# -------------------------------------------------------------------------------- search
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def _int(value, field: str, default: int, low: int, high: int | None = None) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise invalid(field, "Invalid integer") from None
    if number < low:
        raise invalid(field, f"Must be a natural number (>= {low})")
    return min(number, high) if high is not None else number


def _when(text: str, field: str) -> datetime | None:
    if text == "*":
        return None
    value = text.strip().upper()
    if value.startswith("NOW"):
        return datetime.now(UTC) if value == "NOW" else _bad_query(field, text)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        _bad_query(field, text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _bad_query(field: str, text: str):
    raise ActionError(409, "Search Query Error", f"Search Query Error: cannot parse {field}:{text}")


FQ_TERM = re.compile(
    r'(?P<neg>-)?(?P<field>[a-z_]+):(?:\[(?P<low>[^\]]+?) TO (?P<high>[^\]]+?)\]|"(?P<quoted>[^"]*)"|(?P<word>\S+))'
)


def _filters(fq: str) -> list:
    """`fq` terms: organization:, groups:, tags:, res_format:, name:, license_id:,
    metadata_modified:[X TO Y] and metadata_created:[X TO Y] (ISO dates or *)."""
    fq = (fq or "").strip()
    tests = []
    position = 0
    for match in FQ_TERM.finditer(fq):
        between = fq[position : match.start()].strip()
        if between not in ("", "AND", "+"):
            _bad_query("fq", fq)
        position = match.end()
        field = match["field"]
        if match["low"] is not None:
            if field not in ("metadata_modified", "metadata_created"):
                _bad_query(field, match.group(0))
            low, high = _when(match["low"], field), _when(match["high"], field)
            tests.append((bool(match["neg"]), field, (low, high)))
            continue
        value = match["quoted"] if match["quoted"] is not None else match["word"]
        value = value.strip('"')
        if field not in ("organization", "groups", "tags", "res_format", "name", "license_id"):
            _bad_query(field, value)
        tests.append((bool(match["neg"]), field, value))
    if fq[position:].strip() not in ("", "*:*"):
        _bad_query("fq", fq)
    return tests


def _passes(e: Entry, tests: list) -> bool:
    for negate, field, value in tests:
        if field in ("metadata_modified", "metadata_created"):
            when = e.modified if field == "metadata_modified" else e.issued
            low, high = value
            ok = (
                when is not None and (low is None or when >= low) and (high is None or when <= high)
            )
        elif field == "organization":
            ok = e.organization == value
        elif field == "groups":
            ok = e.group == value
        elif field == "tags":
            ok = value in {_tag(k) for k in e.keywords}
        elif field == "res_format":
            ok = value.casefold() in {d.format.casefold() for d in e.distributions}
        elif field == "license_id":
            ok = e.licence["id"] == value
        else:
            ok = e.id == value
        if ok == negate:
            return False
    return True


def _matches(e: Entry, words: list[str]) -> bool:
    text = _fold(" ".join([e.id, e.title, e.description, *e.keywords, e.spatial]))
    return all(w in text for w in words)


def _sort_key(spec: str):
    keys = []
    for part in (spec or "score desc, metadata_modified desc").split(","):
        bits = part.split()
        if not bits:
            continue
        field, order = bits[0], (bits[1].lower() if len(bits) > 1 else "asc")
        if field not in SORT_FIELDS or order not in ("asc", "desc") or len(bits) > 2:
            raise invalid("sort", f"Invalid sort: {part.strip()}")
        keys.append((field, order == "desc"))
    return keys


def _value(e: Entry, field: str):
    if field == "name":
        return e.id
    if field == "title_string":
        return _fold(e.title)
    if field == "metadata_modified":
        return e.modified or datetime.min.replace(tzinfo=UTC)
    if field == "metadata_created":
        return e.issued or datetime.min.replace(tzinfo=UTC)
    return 0  # score: every match counts alike


def search(entries: list[Entry], params: dict) -> dict:
    rows = _int(params.get("rows"), "rows", 10, 0, MAX_ROWS)
    start = _int(params.get("start"), "start", 0, 0)
    keys = _sort_key(params.get("sort") or "")
    q = (params.get("q") or "").strip()
    words = [] if q in ("", "*:*", "*") else _fold(q).split()
    tests = _filters(params.get("fq") or "")
    found = [e for e in entries if _passes(e, tests) and _matches(e, words)]
    # Stable multi-key sort: least significant key first, the name as the final tie-breaker.
    found.sort(key=lambda e: e.id)
    for field, descending in reversed(keys):
        found.sort(key=lambda e, f=field: _value(e, f), reverse=descending)
    return {
        "count": len(found),
        "sort": params.get("sort") or "score desc, metadata_modified desc",
        "facets": {},
        "search_facets": {},
        "results": [package(e) for e in found[start : start + rows]],
    }
