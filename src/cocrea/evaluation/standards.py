"""Figures of a co-creation process computed from the platform's data, with their formulas.

They inform the evaluator's judgement of OGP's Participation and Co-Creation Standards
(2021): space for dialogue, open and inclusive, information shared, reasoned response,
follow-up of implementation. Each figure says how it is computed; a figure with no data
is None («sin datos»), never 0.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocrea.participation.models import (
    Agreement,
    Phase,
    Proposal,
    Registration,
    Response,
    ResponseStatus,
    WorkingTable,
)


@dataclass
class Figure:
    key: str
    label: str
    value: float | None
    unit: str
    formula: str
    numerator: int | None = None
    denominator: int | None = None


FORMULAS = {
    "days_open": _("Σ (fin − inicio + 1) de las fases que recibieron propuestas."),
    "answered_share": _(
        "Propuestas visibles con respuesta razonada publicada y con motivo escrito ÷ propuestas "
        "visibles × 100."
    ),
    "answer_delay": _(
        "Mediana, en días, de (publicación de la respuesta − creación de la propuesta) de las "
        "propuestas respondidas."
    ),
    "minutes_share": _("Mesas ya celebradas con minuta publicada ÷ mesas ya celebradas × 100."),
    "attendance": _("Registros con asistencia ÷ registros a mesas celebradas × 100."),
    "traceable": _(
        "Compromisos del plan citados por una respuesta «incorporada» publicada o por un "
        "acuerdo de mesa del proceso ÷ compromisos del plan × 100."
    ),
}


def _share(n: int, d: int) -> float | None:
    return 100 * n / d if d else None


def process_figures(process, plan=None, now=None) -> list[Figure]:
    """Six figures of the process in six queries (whatever its size)."""
    now = now or timezone.now()
    days = sum(
        (p.ends_on - p.starts_on).days + 1
        for p in Phase.objects.filter(process=process, proposals_open=True).only(
            "starts_on", "ends_on"
        )
    )
    visible = Proposal.objects.filter(process=process, hidden_at__isnull=True)
    total = visible.count()
    answered = list(
        Response.objects.filter(proposal__in=visible, published_at__isnull=False)
        .exclude(reason="")
        .values_list("published_at", "proposal__created_at")
    )
    delays = [max(0.0, (pub - created).total_seconds() / 86400) for pub, created in answered]
    tables = WorkingTable.objects.filter(process=process, starts_at__lt=now).aggregate(
        held=Count("id"), minutes=Count("id", filter=~Q(minutes=""))
    )
    regs = Registration.objects.filter(table__process=process, table__starts_at__lt=now).aggregate(
        total=Count("id"), attended=Count("id", filter=Q(attended=True))
    )
    figures = [
        Figure("days_open", str(_("Días abiertos a propuestas")), float(days) if days else None,
               _("días"), str(FORMULAS["days_open"])),
        Figure("answered_share", str(_("Propuestas con respuesta razonada")),
               _share(len(answered), total), "%", str(FORMULAS["answered_share"]),
               len(answered), total),
        Figure("answer_delay", str(_("Mediana de días para responder")),
               statistics.median(delays) if delays else None, _("días"),
               str(FORMULAS["answer_delay"])),
        Figure("minutes_share", str(_("Mesas celebradas con minuta publicada")),
               _share(tables["minutes"], tables["held"]), "%", str(FORMULAS["minutes_share"]),
               tables["minutes"], tables["held"]),
        Figure("attendance", str(_("Asistencia a las mesas de trabajo")),
               _share(regs["attended"], regs["total"]), "%", str(FORMULAS["attendance"]),
               regs["attended"], regs["total"]),
    ]  # fmt: skip
    if plan is not None:
        commitment_ids = set(plan.commitments.values_list("id", flat=True))
        cited = set(
            Response.objects.filter(
                proposal__process=process,
                status=ResponseStatus.INCORPORATED,
                published_at__isnull=False,
                commitment_id__in=commitment_ids,
            ).values_list("commitment_id", flat=True)
        ) | set(
            Agreement.objects.filter(
                table__process=process, commitment_id__in=commitment_ids
            ).values_list("commitment_id", flat=True)
        )
        figures.append(
            Figure("traceable", str(_("Compromisos trazables a una propuesta")),
                   _share(len(cited), len(commitment_ids)), "%", str(FORMULAS["traceable"]),
                   len(cited), len(commitment_ids))
        )  # fmt: skip
    return figures
