"""The co-creation block of the public entity page (aggregates only)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selectors import answer_stats, processes


def entity_summary(entity) -> dict | None:
    process = processes(entity.code).filter(municipality__isnull=True).first()
    return _summary(process)


def municipality_summary(place) -> dict | None:
    return _summary(processes(place.entity.code).filter(municipality=place).first())


def _summary(process) -> dict | None:
    if process is None:
        return None
    phase = process.current_phase()
    stats = answer_stats(process)
    facts = [
        _("Ciclo %(c)s, fase actual: %(p)s.")
        % {"c": process.cycle, "p": phase.title or phase.get_kind_display() if phase else "—"},
        ngettext("%(n)d propuesta ciudadana.", "%(n)d propuestas ciudadanas.", stats.total)
        % {"n": stats.total},
        _("Con respuesta razonada: %(s).0f %%.") % {"s": 100 * stats.share},
    ]
    if phase is not None and phase.proposals_open:
        facts.append(_("Recibe propuestas ahora."))
    return {"title": _("Cocreación"), "url": process.get_absolute_url(), "facts": facts}
