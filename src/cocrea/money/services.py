"""State changes of Sigue el Dinero: programmes, their links, and budget imports.

Each function checks permission (actor None = the system: CLI, demo), runs in a transaction
and records an audit entry. Contracting data are imported by the store (`cocrea money import`).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cocrea.accounts.permissions import require
from cocrea.core import audit
from cocrea.core.csvimport import ImportResult

from .budget import moments
from .models import Program, ProgramProcess

PROGRAM_FIELDS = [
    "entity",
    "name",
    "clave_programa",
    "year_start",
    "year_end",
    "description",
    "commitment",
    "municipality",
]
OCID_RE = re.compile(r"^ocds-[A-Za-z0-9]{6}-\S+$|^ocds-\S+$")


@transaction.atomic
def create_program(actor, **fields) -> Program:
    program = Program(**fields)
    require(actor, "money.add_program", program)
    program.full_clean()
    program.save()
    audit.record(
        actor=actor,
        action="money.program.create",
        obj=program,
        entity_code=program.entity.code,
        after=audit.snapshot(program, PROGRAM_FIELDS),
    )
    return program


@transaction.atomic
def update_program(actor, program: Program, **changes) -> Program:
    require(actor, "money.change_program", program)
    before = audit.snapshot(program, PROGRAM_FIELDS)
    for name, value in changes.items():
        if name not in PROGRAM_FIELDS:
            raise ValueError(f"unknown field {name}")
        setattr(program, name, value)
    program.full_clean()
    program.save()
    audit.record(
        actor=actor,
        action="money.program.update",
        obj=program,
        entity_code=program.entity.code,
        before=before,
        after=audit.snapshot(program, PROGRAM_FIELDS),
    )
    return program


@transaction.atomic
def link_process(actor, program: Program, ocid: str, note: str = "") -> ProgramProcess:
    """Link a contracting process to a programme by hand."""
    require(actor, "money.link_process", program)
    ocid = (ocid or "").strip()
    if not OCID_RE.match(ocid):
        raise ValidationError({"ocid": _("«%(ocid)s» no es un OCID válido.") % {"ocid": ocid}})
    link, created = ProgramProcess.objects.get_or_create(
        program=program, ocid=ocid, defaults={"note": note[:300]}
    )
    if created:
        audit.record(
            actor=actor,
            action="money.program.link",
            obj=program,
            entity_code=program.entity.code,
            after={"ocid": ocid, "note": link.note},
        )
    return link


@transaction.atomic
def unlink_process(actor, program: Program, ocid: str) -> bool:
    require(actor, "money.link_process", program)
    deleted, _count = ProgramProcess.objects.filter(program=program, ocid=ocid).delete()
    if deleted:
        audit.record(
            actor=actor,
            action="money.program.unlink",
            obj=program,
            entity_code=program.entity.code,
            before={"ocid": ocid},
        )
    return bool(deleted)


@transaction.atomic
def tie_buyer(actor, buyer_id: str, *, entity, municipality=None, name: str = ""):
    """Tie a buyer of the contracting data to an entity or one of its municipalities."""
    from .models import BuyerTerritory

    buyer_id = (buyer_id or "").strip()
    if not buyer_id:
        raise ValidationError({"buyer_id": _("Indique el identificador del comprador.")})
    tie = BuyerTerritory.objects.filter(buyer_id=buyer_id).first() or BuyerTerritory(
        buyer_id=buyer_id
    )
    creating = tie.pk is None
    before = None if creating else audit.snapshot(tie, ["entity", "municipality", "name"])
    if not creating:
        require(actor, "money.change_buyerterritory", tie)  # who may move it from there
    tie.entity, tie.municipality, tie.name = entity, municipality, name.strip()[:300]
    require(actor, "money.add_buyerterritory" if creating else "money.change_buyerterritory", tie)
    tie.save()
    audit.record(
        actor=actor,
        action="money.buyer.tie",
        obj=tie,
        entity_code=entity.code,
        before=before,
        after=audit.snapshot(tie, ["buyer_id", "entity", "municipality", "name"]),
    )
    return tie


def import_budget(actor, path_or_stream, source: str) -> moments.BudgetImport:
    """Import a budget CSV into a new Parquet snapshot (all-or-nothing); audited."""
    require(actor, "money.import_budget")
    result = moments.import_budget(path_or_stream, source)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="money.budget.import",
            object_type="money.budget",
            object_id=result.snapshot,
            after={
                "source": result.source,
                "lines": result.lines,
                "replaced": result.replaced,
                "total_lines": result.total_lines,
                "totals": {k: str(v) for k, v in result.totals.items()},
            },
        )
    return result


def import_budget_registry(path_or_stream, actor=None, source: str | None = None, **_ignored):
    """`cocrea import budget FILE`: the registry's importer (source = the file name)."""
    name = source or getattr(path_or_stream, "name", None) or str(path_or_stream)
    name = re.sub(r"[^a-z0-9_.-]+", "-", str(name).rsplit("/", 1)[-1].lower()).strip("-.")[:64]
    result = import_budget(actor, path_or_stream, name)
    return ImportResult(created=result.lines, details={"replaced": result.replaced})
