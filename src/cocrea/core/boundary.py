"""The entity boundary: an object of one entity never points at another entity's objects.

Each app declares, for its models, the references that cross objects (a commitment's
responsible authority, a response's commitment, a working table's proposals…) with
`register`. The check runs on every save of those models (a `pre_save` / `m2m_changed`
receiver), whoever saves them: services, the back office, imports, the API, the CLI or
a demo loader. Forms call `check` too, so that the person sees the error at the field
instead of a server error. The error names the field and both entities.

An object's entity is found by following `TERRITORY_PATHS`; the first path that leads
to an object with an INEGI `code` wins.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, pre_save
from django.utils.translation import gettext as _

# How objects reach their entity, tried in order.
TERRITORY_PATHS = (
    "entity",
    "plan.entity",
    "commitment.plan.entity",
    "milestone.commitment.plan.entity",
    "process.entity",
    "proposal.process.entity",
    "table.process.entity",
    "secretariat.entity",
    "session.secretariat.entity",
    "program.entity",
)

# model label ("plans.commitment") -> names of its cross references (FK or M2M fields).
REFERENCES: dict[str, tuple[str, ...]] = {}


def entity_of(obj, skip: tuple[str, ...] = ()):
    """The entity an object belongs to, or None (national objects, people).

    `skip` leaves out paths through the named fields: an object's own place is not
    where its cross references lead.
    """
    if obj is None:
        return None
    if obj.__class__.__name__ == "Entity" and hasattr(obj, "code"):
        return obj
    for path in TERRITORY_PATHS:
        if path.split(".", 1)[0] in skip:
            continue
        target = obj
        for part in path.split("."):
            target = getattr(target, part, None)
            if target is None:
                break
        if target is not None and hasattr(target, "code"):
            return target
    return None


def entity_code_of(obj) -> str | None:
    entity = entity_of(obj)
    return entity.code if entity is not None else None


def _message(obj, name: str, related, other, own) -> str:
    field = obj._meta.get_field(name)
    return _(
        "«%(related)s» pertenece a %(other)s; %(field)s debe ser de %(own)s, "
        "la entidad de este registro."
    ) % {"related": related, "other": other, "field": field.verbose_name, "own": own}


def check(obj, m2m: dict[str, list] | None = None) -> None:
    """Raise a ValidationError naming each reference of `obj` that leaves its entity.

    `m2m` gives the members of many-to-many references about to be set (by name); on a
    saved object without it, the current members are checked.
    """
    names = REFERENCES.get(obj._meta.label_lower, ())
    own = entity_of(obj, skip=names)
    if not names or own is None:
        return
    errors: dict[str, list[str]] = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            if m2m is not None and name in m2m:
                members = m2m[name]
            elif obj.pk is not None:
                members = list(getattr(obj, name).all())
            else:
                members = []
        else:
            related = getattr(obj, name, None)
            members = [related] if related is not None else []
        for related in members:
            other = entity_of(related)
            if other is not None and other.code != own.code:
                errors.setdefault(name, []).append(_message(obj, name, related, other, own))
    if errors:
        raise ValidationError(errors)


def _check_before_save(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures load rows as they were
        check(instance)


def register(model, *names: str) -> None:
    """Declare the cross references of `model`; its saves are checked from now on."""
    label = model._meta.label_lower
    REFERENCES[label] = tuple(dict.fromkeys(REFERENCES.get(label, ()) + names))
    pre_save.connect(_check_before_save, sender=model, dispatch_uid=f"boundary:{label}")
    for name in names:
        field = model._meta.get_field(name)
        if field.many_to_many:
            through = getattr(model, name).through
            m2m_changed.connect(
                _checker_for(name),
                sender=through,
                dispatch_uid=f"boundary:{label}.{name}",
                weak=False,
            )


def _checker_for(name: str):
    def _check_members(sender, instance, action, pk_set=None, model=None, reverse=False, **kw):
        if action != "pre_add" or not pk_set:
            return
        if reverse:
            # `proposal.tables.add(table)`: each table must be of the proposal's entity.
            for target in model.objects.filter(pk__in=pk_set):
                check(target, m2m={name: [instance]})
        else:
            check(instance, m2m={name: list(model.objects.filter(pk__in=pk_set))})

    return _check_members
