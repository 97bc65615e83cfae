from ninja import Router, Schema

from .selectors import organizations

router = Router(tags=["Participantes"])
router_prefix = ""


class OrganizationOut(Schema):
    id: int
    entity_code: str
    name: str
    type: str
    power: str


@router.get(
    "/participants",
    response=list[OrganizationOut],
    summary="Organizaciones participantes (sin datos personales)",
)
def list_participants(request, entity: str | None = None, type: str | None = None):
    qs = organizations()
    if entity:
        qs = qs.filter(entity__code=entity.zfill(2))
    if type:
        qs = qs.filter(type=type)
    return [
        {"id": o.id, "entity_code": o.entity.code, "name": o.name, "type": o.type, "power": o.power}
        for o in qs
    ]
