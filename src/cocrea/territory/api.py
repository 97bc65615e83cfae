from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from .models import Entity
from .selectors import entities_with_adhesion, national_stats

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


@router.get("/stats/national", response=NationalStats, summary="Panorama nacional")
def get_national_stats(request):
    return national_stats()
