from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from .models import Entity, Municipality
from .selectors import entities_with_adhesion, municipalities, national_stats

router = Router(tags=["Territorio"])
router_prefix = ""


class EntityOut(Schema):
    code: str
    name: str
    common_name: str
    slug: str
    joined: bool
    adhesion_year: int | None
    adhesion_date: str | None


class ParticipantCounts(Schema):
    authorities: int
    guarantor_bodies: int
    civil_society: int
    academia: int
    other: int


class NationalStats(Schema):
    entities_total: int
    entities_joined: int
    joined_by_year: dict[str, int]
    participants: ParticipantCounts
    municipalities_joined: int
    municipalities_joined_by_entity: dict[str, int]
    municipalities_joined_by_year: dict[str, int]


class MunicipalityOut(Schema):
    code: str
    municipal_code: str
    name: str
    slug: str
    entity_code: str
    entity: str
    joined: bool
    adhesion_year: int | None


def _municipality_out(m: Municipality) -> dict:
    adhesion = getattr(m, "adhesion", None)
    return {
        "code": m.code,
        "municipal_code": m.municipal_code,
        "name": m.name,
        "slug": m.slug,
        "entity_code": m.entity.code,
        "entity": m.entity.common_name,
        "joined": adhesion is not None,
        "adhesion_year": adhesion.year if adhesion else None,
    }


def _entity_out(e: Entity) -> dict:
    adhesion = getattr(e, "adhesion", None)
    return {
        "code": e.code,
        "name": e.name,
        "common_name": e.common_name,
        "slug": e.slug,
        "joined": adhesion is not None,
        "adhesion_year": adhesion.year if adhesion else None,
        "adhesion_date": adhesion.date.isoformat() if adhesion and adhesion.date else None,
    }


@router.get("/entities", response=list[EntityOut], summary="Las 32 entidades federativas")
def list_entities(request):
    return [_entity_out(e) for e in entities_with_adhesion()]


@router.get("/entities/{code}", response=EntityOut, summary="Una entidad por clave INEGI")
def get_entity(request, code: str):
    entity = get_object_or_404(entities_with_adhesion(), code=code.zfill(2))
    return _entity_out(entity)


@router.get(
    "/municipalities",
    response=list[MunicipalityOut],
    summary="Municipios (y alcaldías) con su adhesión; filtros por entidad y adhesión",
)
def list_municipalities(request, entidad: str | None = None, adheridos: bool | None = None):
    if entidad is not None and not (entidad.isdigit() and 1 <= int(entidad) <= 32):
        from ninja.errors import HttpError

        raise HttpError(400, "entidad: use una clave INEGI de 01 a 32")
    return [_municipality_out(m) for m in municipalities(entity_code=entidad, joined=adheridos)]


@router.get("/municipalities/{code}", response=MunicipalityOut, summary="Un municipio por clave")
def get_municipality(request, code: str):
    return _municipality_out(get_object_or_404(municipalities(), code=code))


@router.get("/stats/national", response=NationalStats, summary="Panorama nacional")
def get_national_stats(request):
    return national_stats()
