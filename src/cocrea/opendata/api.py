"""Open-data exports in the API: OCDS release and record packages, FollowTheMoney entities.

Each answer is streamed (constant memory) and carries the catalogue's licence. Bad filters
answer 400 with a JSON `detail` that says which one and why.
"""

from __future__ import annotations

from django.http import JsonResponse, StreamingHttpResponse
from ninja import Field, Query, Router, Schema

from . import ftm, ocds
from .catalogue import base_url

router = Router(tags=["Datos abiertos"])
router_prefix = ""


class Filters(Schema):
    entity: str | None = Field(None, description="Clave INEGI de la entidad, p. ej. 17")
    source: str | None = Field(None, description="Fuente (nombre dado al importar)")
    year: int | None = Field(None, description="Año de la fecha del proceso", ge=1900, le=2100)


class Error(Schema):
    detail: str


class Publisher(Schema):
    name: str
    uri: str


class ReleasePackage(Schema):
    uri: str
    version: str
    publishedDate: str | None = None  # noqa: N815 - OCDS field name
    publisher: Publisher
    license: str
    publicationPolicy: str  # noqa: N815
    releases: list[dict]


class RecordPackage(Schema):
    uri: str
    version: str
    publishedDate: str | None = None  # noqa: N815
    publisher: Publisher
    license: str
    publicationPolicy: str  # noqa: N815
    packages: list[str]
    records: list[dict]


RELEASES = "/api/v1/ocds/release-package"
RECORDS = "/api/v1/ocds/record-package"


def _filters(filters: Filters):
    try:
        return ocds.check_filters(filters.entity, filters.source, filters.year), None
    except ocds.BadFilter as e:
        return None, JsonResponse({"detail": str(e)}, status=400)


def _stream(chunks, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@router.get(
    "/ocds/release-package",
    response={200: ReleasePackage, 400: Error},
    summary="Paquete de entregas OCDS 1.1 (entregas compiladas)",
    description="Las entregas compiladas de los procesos de contratación, sin puntos de "
    "contacto, en un paquete de entregas OCDS 1.1. Filtros: `entity`, `source`, `year`.",
)
def release_package(request, filters: Query[Filters]):
    found, error = _filters(filters)
    if error:
        return error
    chunks = ocds.release_package(base_url(request), RELEASES, found)
    return _stream(chunks, "application/json", "release-package.json")


@router.get(
    "/ocds/record-package",
    response={200: RecordPackage, 400: Error},
    summary="Paquete de registros OCDS 1.1",
    description="Un registro por proceso con su entrega compilada y el enlace a ella en el "
    "paquete de entregas de los mismos filtros. Filtros: `entity`, `source`, `year`.",
)
def record_package(request, filters: Query[Filters]):
    found, error = _filters(filters)
    if error:
        return error
    chunks = ocds.record_package(base_url(request), RECORDS, RELEASES, found)
    return _stream(chunks, "application/json", "record-package.json")


FTM_ENTITY = {
    "type": "object",
    "required": ["id", "schema", "properties"],
    "properties": {
        "id": {"type": "string"},
        "schema": {"type": "string"},
        "properties": {"type": "object"},
    },
}


@router.get(
    "/ftm/entities",
    response={400: Error},
    openapi_extra={
        "responses": {
            "200": {
                "description": "Una entidad FollowTheMoney por línea",
                "content": {"application/x-ndjson": {"schema": FTM_ENTITY}},
            }
        }
    },
    summary="Contrataciones como entidades FollowTheMoney (JSON Lines)",
    description="Compradores (PublicBody), proveedores (Company/Organization con RFC), "
    "procesos y contratos (Contract), adjudicaciones (ContractAward) y pagos (Payment), una "
    "entidad por línea (application/x-ndjson). Filtros: `entity` y `year`.",
)
def ftm_entities(request, filters: Query[Filters]):
    found, error = _filters(filters)
    if error:
        return error
    found.pop("source", None)
    return _stream(ftm.lines(found), "application/x-ndjson", "cocrea-ftm.jsonl")
